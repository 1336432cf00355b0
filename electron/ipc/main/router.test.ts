import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CoreError } from '../../core/errors';
import { allEventChannels, allInvokeChannels, buildPicStoreApi, type RendererTransport } from '../contract/api-builder';
import { domains } from '../contract/channels';
import { createIpcRouter } from './router';
import { createServices } from './services/app-services';

const home = mkdtempSync(join(tmpdir(), 'pic-ipc-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function makeServices() {
  return createServices({
    transport: 'browser-shell',
    env: { PIC_STORE_HOME: home, PIC_STORE_APP_CONFIG: join(home, 'appcfg') },
    startDir: home,
    openExternal: vi.fn(async () => true),
  });
}
const trusted = { transport: 'browser-shell' as const, id: 'test', trusted: true };

describe('IPC contract', () => {
  it('names every domain by its key and derives domain:action channels', () => {
    for (const [key, d] of Object.entries(domains)) expect(d.name).toBe(key);
    expect(allInvokeChannels()).toEqual(expect.arrayContaining(['app:info', 'app:open-external', 'trust:get']));
    expect(allEventChannels()).toContain('trust:changed');
    for (const c of [...allInvokeChannels(), ...allEventChannels()]) expect(c).toMatch(/^[a-z]+:[a-z-]+$/);
  });

  it('has a handler registered for every invoke channel', () => {
    const router = createIpcRouter(makeServices());
    expect(router.channels().sort()).toEqual(allInvokeChannels().sort());
  });
});

describe('IpcRouter.dispatch', () => {
  it('refuses an untrusted sender before parsing or running anything', async () => {
    const services = makeServices();
    const spy = vi.spyOn(services.core, 'trustStatus');
    const router = createIpcRouter(services);
    const r = await router.dispatch('trust:get', undefined, { ...trusted, trusted: false });
    expect(r).toEqual({ ok: false, error: { code: 'IPC_SENDER_REFUSED', message: expect.stringContaining('trust:get') } });
    expect(spy).not.toHaveBeenCalled();
  });

  it('gives a clean envelope for a malformed argument and never calls the service', async () => {
    const services = makeServices();
    const open = vi.mocked(services.openExternal);
    const router = createIpcRouter(services);
    for (const bad of [undefined, 'https://x', { url: 5 }, { url: 'https://x', extra: 1 }, { url: 'a'.repeat(3000) }]) {
      const r = await router.dispatch('app:open-external', bad, trusted);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('IPC_BAD_ARGUMENT');
    }
    expect(open).not.toHaveBeenCalled();
  });

  it('keeps a CoreError code and refuses non-https links before the port', async () => {
    const services = makeServices();
    const router = createIpcRouter(services);
    const r = await router.dispatch('app:open-external', { url: 'file:///etc/passwd' }, trusted);
    expect(r).toEqual({ ok: false, error: { code: 'URL_NOT_ALLOWED', message: expect.stringContaining('https') } });
    expect(services.openExternal).not.toHaveBeenCalled();
    const ok = await router.dispatch('app:open-external', { url: 'https://example.org/a' }, trusted);
    expect(ok).toEqual({ ok: true, data: { opened: true, url: 'https://example.org/a' } });
  });

  it('turns a thrown error into an envelope, and unknown channels too', async () => {
    const services = makeServices();
    vi.spyOn(services.core, 'trustStatus').mockRejectedValue(new CoreError('READ_FAILED', 'boom'));
    const router = createIpcRouter(services);
    expect(await router.dispatch('trust:get', undefined, trusted)).toEqual({ ok: false, error: { code: 'READ_FAILED', message: 'boom' } });
    expect(await router.dispatch('nope:nothing', undefined, trusted)).toMatchObject({ ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL' } });
  });

  it('reports an empty trust root as no-key', async () => {
    const router = createIpcRouter(makeServices());
    const r = await router.dispatch('trust:get', undefined, trusted);
    expect(r).toMatchObject({ ok: true, data: { state: 'no-key', storeKeyInstalled: false, keys: [] } });
  });
});

describe('buildPicStoreApi', () => {
  it('builds one frozen object of named methods over any transport, with events and unsubscribe', async () => {
    const listeners = new Map<string, Set<(p: unknown) => void>>();
    const transport: RendererTransport = {
      invoke: vi.fn(async (channel: string, arg: unknown) => ({ ok: true as const, data: { channel, arg } })),
      on: (channel, l) => {
        const set = listeners.get(channel) ?? new Set();
        set.add(l);
        listeners.set(channel, set);
        return () => set.delete(l);
      },
    };
    const api = buildPicStoreApi(transport);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.trust)).toBe(true);
        expect(await api.app.openExternal({ url: 'https://a' })).toEqual({ ok: true, data: { channel: 'app:open-external', arg: { url: 'https://a' } } });
    const seen: unknown[] = [];
    const off = api.trust.on('changed', (p) => seen.push(p));
    listeners.get('trust:changed')?.forEach((l) => l('x'));
    off();
    listeners.get('trust:changed')?.forEach((l) => l('y'));
    expect(seen).toEqual(['x']);
    expect(() => api.trust.on('nope' as 'changed', () => undefined)).toThrow(/unknown event/);
  });

  it('turns a transport failure into an error envelope', async () => {
    const api = buildPicStoreApi({ invoke: async () => Promise.reject(new Error('socket closed')), on: () => () => undefined });
    expect(await api.trust.get()).toEqual({ ok: false, error: { code: 'IPC_TRANSPORT', message: 'socket closed' } });
  });
});
