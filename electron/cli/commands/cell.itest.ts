// `pic-store cell status` through the built CLI against the real test cell (DESIGN 2.4).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runBuiltCli } from '../../../scripts/testbed/built-cli';
import { startTestCell, type TestCell } from '../../../scripts/testbed/cell';
import { adHocProfile } from '../../core/cell/profiles';
import { closeCellConnection } from '../../core/cell/ssh';

let home: string;
let cell: TestCell;

function picStore(args: string[]) {
  return runBuiltCli(args, { env: { ...process.env, PIC_STORE_HOME: home }, timeoutMs: 30_000 });
}

beforeAll(async () => {
  await buildCli();
  home = await mkdtemp(join(tmpdir(), 'pic-cli-cell-'));
  cell = await startTestCell();
});
afterAll(async () => {
  if (cell) {
    await closeCellConnection(adHocProfile({ destination: cell.alias, sshConfig: cell.sshConfig, root: cell.root }), { dataDir: home }).catch(() => undefined);
    await cell.stop();
  }
  await rm(home, { recursive: true, force: true });
});

describe('pic-store cell status', () => {
  it('refuses an unknown host key with its fingerprint, then works once it is accepted', async () => {
    await cell.writeFile('config/api/cell_config.json', '{"image_verification":{"mode":"warn"}}');
    const base = ['cell', 'status', cell.alias, '--ssh-config', cell.sshConfig, '--root', cell.root, '--json'];
    const { fingerprint } = await cell.hostKey();

    const refused = await picStore(base);
    expect(refused.code).toBe(3);
    const err = JSON.parse(refused.stdout);
    expect(err.error.code).toBe('HOST_KEY_UNKNOWN');
    expect(err.error.message).toContain(`--accept-host-key ${fingerprint}`);

    const wrong = await picStore([...base, '--accept-host-key', `SHA256:${'B'.repeat(43)}`]);
    expect(wrong.code).toBe(3);
    expect(JSON.parse(wrong.stdout).error.code).toBe('HOST_KEY_MISMATCH');

    const ok = await picStore([...base, '--accept-host-key', fingerprint]);
    expect(ok.code).toBe(0);
    const status = JSON.parse(ok.stdout);
    expect(Object.keys(status)).toEqual(['mode', 'cellKey', 'runtime', 'cosign', 'installed']);
    expect(status).toEqual({
      mode: { value: 'warn', source: 'config', detail: 'set in cell_config.json' },
      cellKey: null,
      runtime: 'docker-compose',
      cosign: null,
      installed: [],
    });

    // Recorded: later calls need no flag.
    const again = await picStore(base);
    expect(again.code).toBe(0);
  });

  it('prints a human banner without --json', async () => {
    await cell.writeFile('config/api/cell_config.json', '{\n  "image_verification": {\n    "mode": "off",\n  }\n}\n');
    const r = await picStore(['cell', 'status', cell.alias, '--ssh-config', cell.sshConfig, '--root', cell.root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('enforce — config unreadable: unexpected token at line 4, column 3 (failing closed)');
    expect(r.stdout).toContain('(non-default)');
  });

  it('exit 3 with an error envelope when the cell cannot be reached; exit 2 for an option-like DEST', async () => {
    const r = await picStore(['cell', 'status', 'nobody@127.0.0.1', '--port', '1', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.code).toMatch(/CELL_UNREACHABLE|HOST_KEY_UNKNOWN/);
    const opt = await picStore(['cell', 'status', '--json', '--', '-oProxyCommand=true']);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toMatch(/starts with "-"/);
  });

  it('install and uninstall refuse an option-like --cell as a usage error (exit 2), before ssh runs', async () => {
    const marker = join(home, 'proxy-ran');
    for (const args of [
      ['install', 'anything', `--cell=-oProxyCommand=touch ${marker}`, '--yes', '--json'],
      ['uninstall', 'anything', `--cell=-oProxyCommand=touch ${marker}`, '--json'],
    ]) {
      const r = await picStore(args);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr).toMatch(/starts with "-"/);
      expect(existsSync(marker)).toBe(false);
    }
  });
});
