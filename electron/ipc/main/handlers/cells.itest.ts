import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestCell, type TestCell } from '../../../../scripts/testbed/cell';
import type { CellCheckResult, CellProfile, CellProfileForm, CellSaveResult } from '../../contract/channels/cells';
import type { IpcResult } from '../../contract/domain';
import type { IpcRouter } from '../router';
import { createServices } from '../services/app-services';
import { createIpcRouter } from '../router';

/**
 * The `cells` handlers through the real router (argument parsing, envelopes, events) against the
 * real sshd test cell: what the Cells view relies on, without a browser.
 */
const sender = { transport: 'browser-shell' as const, id: 'itest', trusted: true };
let cell: TestCell;
let home: string;
let router: IpcRouter;
const events: Array<{ channel: string; payload: unknown }> = [];

async function call<T>(channel: string, arg?: unknown): Promise<IpcResult<T>> {
  return (await router.dispatch(channel, arg, sender)) as IpcResult<T>;
}
async function ok<T>(channel: string, arg?: unknown): Promise<T> {
  const r = await call<T>(channel, arg);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.data;
}
async function acceptedLogins(): Promise<number> {
  return ((await readFile(join(cell.dir, 'sshd.log'), 'utf8').catch(() => '')).match(/Accepted publickey/g) ?? []).length;
}

beforeAll(async () => {
  cell = await startTestCell();
  home = mkdtempSync(join(tmpdir(), 'pic-cells-ipc-'));
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  await cell.writeFile('config/cosign/cosign.pub', pem);
  await cell.writeFile('config/api/cell_config.json', '{"image_verification":{"mode":"enforce"}}');
  mkdirSync(join(home, 'trust'));
  writeFileSync(join(home, 'trust', 'k.pub'), pem);
  router = createIpcRouter(
    createServices({ transport: 'browser-shell', env: { PIC_STORE_HOME: home, PIC_STORE_APP_CONFIG: join(home, 'appcfg') }, startDir: home, openExternal: vi.fn(async () => false) }),
  );
  router.onEvent((channel, payload) => events.push({ channel, payload }));
}, 60_000);

afterAll(async () => {
  await cell?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

const form = (over: Partial<CellProfileForm> = {}): CellProfileForm => ({
  name: 'lab',
  destination: cell.userAtHost,
  port: String(cell.port),
  identityFile: cell.clientKey,
  root: cell.root,
  sshConfig: '',
  ...over,
});

describe('cells handlers on a real sshd', () => {
  let profile: CellProfile;

  it('returns field errors (not an envelope error) for an invalid form and stores nothing', async () => {
    const r = await ok<CellSaveResult>('cells:add', form({ name: ' ', destination: '-oProxyCommand=id', port: '0' }));
    expect(r.saved).toBe(false);
    if (!r.saved) expect(Object.keys(r.fieldErrors).sort()).toEqual(['destination', 'name', 'port']);
    expect(existsSync(join(home, 'cells.json'))).toBe(false);
    const bad = await call('cells:add', { ...form(), extra: 1 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'IPC_BAD_ARGUMENT' } });
  });

  it('adds a profile, pushes cells:changed, and refuses a duplicate name on the name field', async () => {
    const r = await ok<CellSaveResult>('cells:add', form());
    expect(r.saved).toBe(true);
    if (r.saved) profile = r.profile;
    expect(events.at(-1)).toMatchObject({ channel: 'cells:changed', payload: [{ id: profile.id, name: 'lab', port: cell.port }] });
    const dup = await ok<CellSaveResult>('cells:add', form());
    expect(dup).toMatchObject({ saved: false, fieldErrors: { name: expect.stringContaining('already exists') } });
    expect(await ok<CellProfile[]>('cells:list')).toHaveLength(1);
  });

  it('an unknown host key asks for confirmation; nothing is recorded and no login happens', async () => {
    const before = await acceptedLogins();
    const r = await ok<CellCheckResult>('cells:check', { id: profile.id });
    const hk = await cell.hostKey();
    expect(r).toMatchObject({ kind: 'host-key-unknown', hostToken: `[127.0.0.1]:${cell.port}`, port: cell.port, preferred: { type: 'ssh-ed25519', fingerprint: hk.fingerprint } });
    expect(existsSync(join(home, 'known_hosts'))).toBe(false);
    expect(await acceptedLogins()).toBe(before);
  });

  it('a fingerprint the host does not present is refused and nothing is recorded', async () => {
    const wrong = `SHA256:${createHash('sha256').update('other').digest('base64').replace(/=+$/, '')}`;
    const r = await call('cells:confirm-host-key', { id: profile.id, fingerprint: wrong });
    expect(r).toMatchObject({ ok: false, error: { code: 'HOST_KEY_MISMATCH' } });
    expect(existsSync(join(home, 'known_hosts'))).toBe(false);
  });

  it('after confirming the shown fingerprint, check returns the status with the mode banner', async () => {
    const hk = await cell.hostKey();
    const c = await ok<{ fingerprint: string; hostToken: string }>('cells:confirm-host-key', { id: profile.id, fingerprint: hk.fingerprint });
    expect(c).toMatchObject({ fingerprint: hk.fingerprint, hostToken: `[127.0.0.1]:${cell.port}` });
    expect(readFileSync(join(home, 'known_hosts'), 'utf8')).toBe(`[127.0.0.1]:${cell.port} ${hk.line}\n`);
    const r = await ok<CellCheckResult>('cells:check', { id: profile.id });
    expect(r.kind).toBe('status');
    if (r.kind !== 'status') return;
    expect(r.status.mode).toEqual({ value: 'enforce', source: 'config', detail: 'set in cell_config.json' });
    expect(r.status.banner).toMatch(/^enforce — set in the cell's config · PIC root .* \(non-default\)$/);
    expect(r.status.cellKey?.matchesTrustRoot).toBe(true);
    expect(r.status.rootIsDefault).toBe(false);
  });

  it('edit keeps the id; a corrupt config then reads fail-closed', async () => {
    const r = await ok<CellSaveResult>('cells:edit', { id: profile.id, form: form({ name: 'lab 2' }) });
    expect(r).toMatchObject({ saved: true, profile: { id: profile.id, name: 'lab 2' } });
    await cell.writeFile('config/api/cell_config.json', '{"image_verification": {"mode": "Enforce"}}');
    const s = await ok<CellCheckResult>('cells:check', { id: profile.id });
    expect(s).toMatchObject({ kind: 'status', status: { mode: { value: 'enforce', source: 'fail-closed' }, banner: expect.stringMatching(/^enforce — config invalid: unknown mode "Enforce".*\(failing closed\)/) } });
  });

  it('a changed host key is a refusal with the plain explanation, and the recorded key stays', async () => {
    const recorded = readFileSync(join(home, 'known_hosts'), 'utf8');
    await cell.restartWithNewHostKey();
    const r = await ok<CellCheckResult>('cells:check', { id: profile.id });
    expect(r).toMatchObject({ kind: 'host-key-changed', message: expect.stringContaining('REMOTE HOST IDENTIFICATION HAS CHANGED'), presented: [{ fingerprint: (await cell.hostKey()).fingerprint }] });
    const confirm = await call('cells:confirm-host-key', { id: profile.id, fingerprint: (await cell.hostKey()).fingerprint });
    expect(confirm).toMatchObject({ ok: false, error: { code: 'HOST_KEY_CHANGED' } });
    expect(readFileSync(join(home, 'known_hosts'), 'utf8')).toBe(recorded);
  }, 60_000);

  it('an unreachable cell is an error envelope with its code; remove then forgets the profile', async () => {
    const port = String(cell.port === 1 ? 2 : 1);
    const e = await ok<CellSaveResult>('cells:edit', { id: profile.id, form: form({ port }) });
    expect(e.saved).toBe(true);
    const r = await call('cells:check', { id: profile.id });
    expect(r).toMatchObject({ ok: false, error: { code: 'CELL_UNREACHABLE' } });
    expect(await ok('cells:remove', { id: profile.id })).toEqual({ removed: profile.id });
    expect(await ok<CellProfile[]>('cells:list')).toEqual([]);
    expect(events.at(-1)).toEqual({ channel: 'cells:changed', payload: [] });
    expect(await call('cells:check', { id: profile.id })).toMatchObject({ ok: false, error: { code: 'CELL_NOT_FOUND' } });
  });
  it('concurrent IPC calls lose no write (DESIGN 2.6): every cell and store added at once is kept, a duplicate is refused', async () => {
    const adds = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => ok<CellSaveResult>('cells:add', form({ name: `cell ${i}` }))),
      ...Array.from({ length: 3 }, () => ok<CellSaveResult>('cells:add', form({ name: 'twin' }))),
    ]);
    expect(adds.filter((r) => r.saved)).toHaveLength(9);
    expect(adds.filter((r) => !r.saved).map((r) => (r as { fieldErrors?: Record<string, string> }).fieldErrors?.name)).toEqual(Array(2).fill('a cell named "twin" already exists'));
    expect((await ok<CellProfile[]>('cells:list')).map((c) => c.name).sort()).toEqual([...Array.from({ length: 8 }, (_, i) => `cell ${i}`), 'twin'].sort());

    // A store is read before it is saved (issue 17): local index files, so the adds stay on this machine.
    const storeDir = mkdtempSync(join(home, 'stores-'));
    const storeUrls = Array.from({ length: 6 }, (_, i) => {
      const file = join(storeDir, `index${i}.json`);
      writeFileSync(file, JSON.stringify({ schemaVersion: 1, name: `Store ${i}`, services: [] }));
      return pathToFileURL(file).href;
    });
    const stores = await Promise.all([...storeUrls, storeUrls[0]!].map((location) => call('store:add', { location })));
    expect(stores.filter((r) => !r.ok).map((r) => (r as { error: { code: string } }).error.code)).toEqual(['STORE_EXISTS']);
    const listed = await ok<{ stores: { url: string }[] }>('store:list');
    expect(listed.stores.map((s) => s.url).filter((u) => u.startsWith('file:')).sort()).toEqual([...storeUrls].sort());
  });
});
