import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, REPO_ROOT, runBuiltCli } from '../../../scripts/testbed/built-cli';

// The BUILT CLI reads the embedded demo store the way the app does (DESIGN 2.7): a signed `file:`
// directory store under its own demo root, never its plain index.json. The demo store is a copy of
// the committed config/demo-store; the cell is a loopback port nothing listens on, so a run that
// reaches CELL_UNREACHABLE has found the service and recorded the listing it came from.
let tmp: string;
let sshConfig: string;

async function home(name: string, { withRoot }: { withRoot: boolean }): Promise<{ dataDir: string; appConfig: string }> {
  const dataDir = join(tmp, name, 'data');
  const appConfig = join(tmp, name, 'appconfig');
  await mkdir(dataDir, { recursive: true });
  await cp(join(REPO_ROOT, 'config', 'demo-store'), join(appConfig, 'demo-store'), { recursive: true });
  if (!withRoot) await rm(join(appConfig, 'demo-store', 'metadata', '1.root.json'));
  return { dataDir, appConfig };
}

function run(args: string[], h: { dataDir: string; appConfig: string }) {
  return runBuiltCli(args, { cwd: tmp, env: { PATH: process.env.PATH ?? '', HOME: tmp, PIC_STORE_HOME: h.dataDir, PIC_STORE_APP_CONFIG: h.appConfig } });
}

const cellArgs = () => ['--cell', 'deadcell', '--ssh-config', sshConfig, '--yes', '--json'];

beforeAll(async () => {
  await buildCli();
  tmp = await mkdtemp(join(tmpdir(), 'pic-cli-demo-signed-'));
  sshConfig = join(tmp, 'ssh_config');
  await writeFile(sshConfig, 'Host deadcell\n  HostName 127.0.0.1\n  Port 1\n');
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('pic-store and the embedded demo store (built CLI)', () => {
  it('install with no store configured finds the service in the signed demo store; the receipt records the signed listing', async () => {
    const h = await home('signed', { withRoot: true });
    const r = await run(['install', 'pinboard', ...cellArgs()], h);
    expect(r.code).toBe(3);
    const receipt = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(receipt).toMatchObject({
      store: { name: 'PIC Demo Store' },
      service: { id: 'pinboard' },
      error: { code: 'CELL_UNREACHABLE' },
      listing: { signed: true, storeVersion: 1, state: 'current' },
    });
    // The store's URL is the demo directory as a file: URL, not its plain index file.
    expect((receipt.store as { url: string }).url).toMatch(/^file:.*\/demo-store\/$/);
  });

  it('with the demo root missing the demo store cannot be read — install stops naming it, never reading index.json unsigned', async () => {
    const h = await home('no-root', { withRoot: false });
    const r = await run(['install', 'pinboard', ...cellArgs()], h);
    expect(r.code).toBe(3);
    const err = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
    expect(err.code).toBe('STORE_METADATA_INVALID');
    expect(err.message).toMatch(/no service "pinboard" found, and PIC Demo Store \(file:.*demo-store\/\) could not be read: the root shipped for PIC Demo Store cannot be read/);
  });

  it('updates with no store configured reads the signed demo store (its directory, through TUF) without an error', async () => {
    const h = await home('updates', { withRoot: true });
    const r = await run(['updates', '--cell', 'deadcell', '--ssh-config', sshConfig, '--json'], h);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as { stores: unknown[] };
    expect(doc.stores).toEqual([{ name: 'PIC Demo Store', url: expect.stringMatching(/^file:.*\/demo-store\/$/), error: null }]);
  });
});
