import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstallTestbed, type InstallTestbed } from '../../../scripts/testbed/install-testbed';
import { buildCli, runBuiltCli } from '../../../scripts/testbed/built-cli';
import { freePort } from '../../../scripts/testbed/registry';

// DESIGN 2.9 on the real cell (sshd + dockerd + compose), real registry and cosign-made
// signatures, through the BUILT CLI: install v1; v2 (same signer, one added port, one changed
// variable) is an `update` with exactly that diff and needs --accept-changes; v3 signed by another
// trusted key is `held` (SIGNER_CHANGED) until --accept-signer names the new fingerprint; a
// revoked listing makes `updates` exit 1 and is refused in enforce, warn and off; an unlisted
// service says so; an exited container reports its state.
let tb: InstallTestbed;
let tmp: string;
let home: string;
let indexPath: string;
let imgA: string;
let imgB: string;
let imgC: string;
let p1: number;
let p2: number;
let storeFp: string;
let otherFp: string;

const fingerprint = async (pub: string) => {
  const { createPublicKey } = await import('node:crypto');
  return createHash('sha256').update(createPublicKey(await readFile(pub, 'utf8')).export({ type: 'spki', format: 'der' })).digest('hex');
};

function cli(args: string[]) {
  return runBuiltCli(args, { cwd: tmp, timeoutMs: 180_000, env: { PATH: process.env.PATH ?? '', HOME: tmp, PIC_STORE_HOME: home, PIC_STORE_APP_CONFIG: join(tmp, 'appconfig') } });
}
const installArgs = (...extra: string[]) => ['install', 'web', '--cell', tb.cell.alias, '--ssh-config', tb.cell.sshConfig, '--root', tb.cell.root, '--yes', '--json', ...extra];

async function listStore(services: object[]) {
  await writeFile(indexPath, JSON.stringify({ schemaVersion: 1, name: 'Test store', services }));
}
const web = (version: string, image: string, extra: object = {}) => ({ id: 'web', name: 'Web', version, image, ...extra });
const v1 = () => web('1.0', imgA, { ports: [{ host: p1, container: 80, protocol: 'tcp' }], environment: { MODE: 'a', KEEP: 'k' } });
const v2 = () => web('2.0', imgB, { ports: [{ host: p1, container: 80, protocol: 'tcp' }, { host: p2, container: 443, protocol: 'tcp' }], environment: { MODE: 'b', KEEP: 'k' } });
const v3 = (extra: object = {}) => ({ ...v2(), version: '3.0', image: imgC, ...extra });

/** One service of the `updates` document (the fields these tests read). */
interface ServiceJson {
  id: string;
  state: string;
  review: { changes: object[] } & Record<string, unknown>;
  [k: string]: unknown;
}

async function updates() {
  const r = await cli(['updates', '--cell', 'testcell', '--json']);
  return { code: r.code, stderr: r.stderr, doc: JSON.parse(r.stdout) as { cells: { cell: string; reachable: boolean; services: ServiceJson[] }[] } };
}
async function runningImage(): Promise<string> {
  const ids = (await tb.docker(['ps', '-aq', '--filter', 'label=com.docker.compose.project=pic-web'])).trim().split('\n').filter(Boolean);
  expect(ids).toHaveLength(1);
  return (await tb.docker(['inspect', '--format', '{{.Config.Image}}', ids[0]!])).trim();
}

beforeAll(async () => {
  await buildCli();
  tb = await startInstallTestbed();
  tmp = await mkdtemp(join(tmpdir(), 'pic-updates-'));
  home = join(tmp, 'home');
  await mkdir(join(home, 'trust'), { recursive: true });
  await mkdir(join(tmp, 'appconfig'), { recursive: true });
  // The app trusts both keys (a rotation in progress); the cell trusts the store key.
  await writeFile(join(home, 'trust', 'store.pub'), await readFile(tb.storeKey.pub));
  await writeFile(join(home, 'trust', 'other.pub'), await readFile(tb.otherKey.pub));
  storeFp = await fingerprint(tb.storeKey.pub);
  otherFp = await fingerprint(tb.otherKey.pub);
  indexPath = join(tmp, 'index.json');
  await writeFile(join(home, 'stores.json'), JSON.stringify({ stores: [{ name: 'Test store', url: pathToFileURL(indexPath).href }] }));
  await writeFile(join(home, 'cells.json'), JSON.stringify({ version: 1, cells: [{ id: 'c1', name: 'testcell', destination: tb.cell.alias, root: tb.cell.root, sshConfig: tb.cell.sshConfig }] }));
  imgA = await tb.image('demo/web', 'web v1');
  imgB = await tb.image('demo/web', 'web v2');
  imgC = await tb.image('demo/web', 'web v3');
  await tb.sign(imgA);
  await tb.sign(imgB);
  await tb.sign(imgC, tb.otherKey.key);
  p1 = await freePort();
  p2 = await freePort();
  await tb.setMode('enforce');
}, 300_000);

afterAll(async () => {
  if (tb) await tb.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
}, 120_000);

describe('pic-store updates and the upgrade review on a real cell (built CLI)', () => {
  it('v1 installs; the same digest listed is current, never an upgrade', async () => {
    await listStore([v1()]);
    const r = await cli(installArgs());
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'installed', action: 'install' });
    expect(r.code).toBe(0);
    const u = await updates();
    expect(u.code).toBe(0);
    expect(u.doc.cells[0]).toMatchObject({ cell: 'testcell', reachable: true });
    expect(u.doc.cells[0]!.services[0]).toMatchObject({ id: 'web', state: 'current', reason: null, review: null, listed: { store: 'Test store', version: '1.0' }, installed: { version: '1.0', signers: [storeFp], container: { state: 'running' } } });
  }, 240_000);

  it('v2 (same signer, one added port, one changed variable) is an update with exactly that diff; install --yes refuses until --accept-changes', async () => {
    await listStore([v2()]);
    const u = await updates();
    expect(u.code).toBe(0);
    const s = u.doc.cells[0]!.services[0]!;
    expect(s).toMatchObject({ state: 'update', reason: 'UPDATE_NEEDS_REVIEW' });
    expect(s.review).toEqual({
      version: { from: '1.0', to: '2.0' },
      digest: { from: imgA.split('@')[1], to: imgB.split('@')[1] },
      signers: { from: [storeFp], to: [storeFp], changed: false },
      cellKeyVerifies: true,
      listingSigned: false,
      changes: [
        { field: 'ports', change: 'added', name: `${p2}/tcp`, to: `${p2}→443/tcp` },
        { field: 'environment', change: 'changed', name: 'MODE', from: 'a', to: 'b' },
      ],
    });
    const refused = await cli(installArgs());
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ action: 'upgrade', outcome: 'rejected', error: { code: 'UPDATE_NEEDS_REVIEW' } });
    expect(await runningImage()).toBe(imgA);
    const ok = await cli(installArgs('--accept-changes'));
    const receipt = JSON.parse(ok.stdout);
    expect(receipt).toMatchObject({ action: 'upgrade', outcome: 'installed', review: { ...s.review, from: { version: '1.0', digest: imgA.split('@')[1], signers: [storeFp] }, accepted: s.review.changes } });
    expect(ok.code).toBe(0);
    expect(await runningImage()).toBe(imgB);
    // The cell's own copy of the receipt carries the review too (what helpdesk imports).
    expect(JSON.parse(await readFile(join(tb.cell.root, 'services/web/receipt.json'), 'utf8')).review.accepted).toHaveLength(2);
  }, 240_000);

  it('v3 signed by another trusted key is held (SIGNER_CHANGED); refused without or with a wrong fingerprint, upgraded with the right one', async () => {
    await listStore([v3()]);
    const u = await updates();
    expect(u.doc.cells[0]!.services[0]).toMatchObject({ state: 'held', reason: 'SIGNER_CHANGED', review: { signers: { from: [storeFp], to: [otherFp], changed: true }, changes: [] } });
    // The cell rotates to the new key, so enforce itself allows the image: only the signer gate stands.
    await tb.setCellKey(tb.otherKey.pub);
    for (const extra of [[], ['--accept-signer', storeFp]]) {
      const r = await cli(installArgs('--accept-changes', ...extra));
      expect(r.code, extra.join(' ')).toBe(1);
      expect(JSON.parse(r.stdout), extra.join(' ')).toMatchObject({ outcome: 'rejected', error: { code: 'SIGNER_CHANGED' } });
    }
    expect(await runningImage()).toBe(imgB);
    const ok = await cli(installArgs('--accept-signer', otherFp));
    expect(JSON.parse(ok.stdout)).toMatchObject({ outcome: 'installed', review: { signers: { changed: true }, accepted: [{ field: 'signer', change: 'changed', name: otherFp }] } });
    expect(ok.code).toBe(0);
    expect(await runningImage()).toBe(imgC);
  }, 240_000);

  it('a revoked listing: updates exits 1 with the reason; install and upgrade are refused in enforce, warn and off', async () => {
    const revoked = { reason: 'signing key compromised', at: '2026-12-01T09:00:00Z' };
    await listStore([v3({ revoked }), { ...web('1', imgA), id: 'gone', revoked }]);
    const u = await updates();
    expect(u.code).toBe(1);
    expect(u.doc.cells[0]!.services[0]).toMatchObject({ id: 'web', state: 'revoked', reason: 'SERVICE_REVOKED', revoked });
    for (const mode of ['enforce', 'warn', 'off']) {
      await tb.setMode(mode);
      const before = await tb.snapshot();
      for (const [id, action] of [['web', 'upgrade'], ['gone', 'install']] as const) {
        const r = await cli(['install', id, ...installArgs('--accept-changes', '--accept-signer', otherFp).slice(2)]);
        // stderr in the message: a CI run once saw exit 1 with nothing on stdout (an uncaught error?).
        expect({ code: r.code, printed: r.stdout !== '' }, `${mode} ${id}: ${r.stderr}`).toEqual({ code: 1, printed: true });
        expect(JSON.parse(r.stdout), `${mode} ${id}`).toMatchObject({ action, outcome: 'rejected', decision: 'block', mode: { value: mode }, error: { code: 'SERVICE_REVOKED', message: expect.stringMatching(/signing key compromised/) } });
      }
      expect(await tb.snapshot(), mode).toBe(before);
    }
    await tb.setMode('enforce');
    const human = await cli(['updates', '--cell', 'testcell']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/web .* REVOKED/);
    expect(human.stdout).toMatch(/withdrawn on 2026-12-01T09:00:00Z: signing key compromised/);
  }, 240_000);

  it('an unlisted service says so, and an exited container reports its state (updates and cell status)', async () => {
    await listStore([]);
    const ids = (await tb.docker(['ps', '-q', '--filter', 'label=com.docker.compose.project=pic-web'])).trim();
    await tb.docker(['stop', ids]);
    const u = await updates();
    expect(u.code).toBe(0);
    expect(u.doc.cells[0]!.services[0]).toMatchObject({ id: 'web', state: 'unlisted', listed: null, note: 'no configured store lists this service', installed: { version: '3.0', container: { state: 'exited' } } });
    // A store that cannot be read is reported, and "unlisted" then says which store could not be asked.
    const stores = [{ name: 'Test store', url: pathToFileURL(indexPath).href }, { name: 'Gone store', url: pathToFileURL(join(tmp, 'gone.json')).href }];
    await writeFile(join(home, 'stores.json'), JSON.stringify({ stores }));
    const partial = await updates();
    expect(partial.doc.cells[0]!.services[0]).toMatchObject({ state: 'unlisted', note: 'not listed by any store that could be read (Gone store could not be)' });
    expect((partial.doc as unknown as { stores: unknown[] }).stores).toEqual([{ ...stores[0], error: null }, { ...stores[1], error: { code: 'INDEX_UNREADABLE', message: expect.stringMatching(/gone\.json/) } }]);
    const st = await cli(['cell', 'status', tb.cell.alias, '--ssh-config', tb.cell.sshConfig, '--root', tb.cell.root, '--json']);
    expect(JSON.parse(st.stdout).installed).toEqual([{ id: 'web', version: '3.0', digest: imgC.split('@')[1], signers: [otherFp], container: { state: 'exited', health: null } }]);
  }, 240_000);
});
