import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runBuiltCli } from '../../../scripts/testbed/built-cli';

// The BUILT CLI's install lookup: how a manifest file is read and how a service id is found across
// the configured stores. The cell is a loopback port nothing listens on, so a run that gets as far
// as CELL_UNREACHABLE proves the lookup succeeded; nothing is installed anywhere.
const DIGEST = `sha256:${'0'.repeat(64)}`;
let tmp: string;
let dataDir: string;
let sshConfig: string;

function run(args: string[]) {
  return runBuiltCli(args, { cwd: tmp, env: { PATH: process.env.PATH ?? '', HOME: tmp, PIC_STORE_HOME: dataDir, PIC_STORE_APP_CONFIG: join(tmp, 'appconfig') } });
}

const cellArgs = () => ['--cell', 'deadcell', '--ssh-config', sshConfig, '--yes', '--json'];
const service = (id: string) => ({ id, name: 'Hello', version: '1', image: `127.0.0.1:1/x/${id}@${DIGEST}` });

beforeAll(async () => {
  await buildCli();
  tmp = await mkdtemp(join(tmpdir(), 'pic-cli-install-'));
  dataDir = join(tmp, 'data');
  await mkdir(dataDir, { recursive: true });
  sshConfig = join(tmp, 'ssh_config');
  await writeFile(sshConfig, 'Host deadcell\n  HostName 127.0.0.1\n  Port 1\n');
  await writeFile(join(tmp, 'good.json'), `\ufeff${JSON.stringify({ schemaVersion: 1, name: 'Good store', services: [service('hello')] })}`);
  const stores = [
    { name: 'Gone store', url: pathToFileURL(join(tmp, 'gone.json')).href },
    { name: 'Good store', url: pathToFileURL(join(tmp, 'good.json')).href },
  ];
  await writeFile(join(dataDir, 'stores.json'), JSON.stringify({ stores }));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('pic-store install: finding the service (built CLI)', () => {
  it('an id found in one store while another store cannot be loaded: a warning naming that store, and the install goes on to the cell', async () => {
    const r = await run(['install', 'hello', ...cellArgs()]);
    expect(r.stderr).toMatch(/warning: store Gone store \(file:.*gone\.json\) could not be read/);
    expect(r.code).toBe(3);
    const receipt = JSON.parse(r.stdout) as { store: { name: string }; service: { id: string }; error: { code: string } };
    expect(receipt).toMatchObject({ store: { name: 'Good store' }, service: { id: 'hello' }, error: { code: 'CELL_UNREACHABLE' } });
  });

  it('an id found nowhere while a store cannot be loaded: exit 3 naming the unreadable store', async () => {
    const r = await run(['install', 'nothere', ...cellArgs()]);
    expect(r.code).toBe(3);
    const err = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
    expect(err.code).toBe('INDEX_UNREADABLE');
    expect(err.message).toMatch(/no service "nothere" found, and Gone store \(file:.*gone\.json\) could not be read/);
  });

  it('an id found nowhere and every store readable stays a usage error (exit 2)', async () => {
    const r = await run(['install', 'nothere', '--store', join(tmp, 'good.json'), ...cellArgs()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no service "nothere"/);
  });

  it('a manifest file is read as verify reads it: a byte-order mark is accepted; an oversized file is unreadable before any cell step', async () => {
    await writeFile(join(tmp, 'bom-manifest.json'), `\ufeff${JSON.stringify(service('bommed'))}`);
    const bom = await run(['install', 'bom-manifest.json', ...cellArgs()]);
    expect(bom.code).toBe(3);
    expect(JSON.parse(bom.stdout)).toMatchObject({ service: { id: 'bommed' }, error: { code: 'CELL_UNREACHABLE' } });
    await writeFile(join(tmp, 'huge.json'), Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
    const huge = await run(['install', 'huge.json', ...cellArgs()]);
    expect(huge.code).toBe(3);
    expect(JSON.parse(huge.stdout)).toMatchObject({ error: { code: 'MANIFEST_UNREADABLE', message: expect.stringMatching(/more than the limit/) } });
  });
});
