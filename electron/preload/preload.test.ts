import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../scripts/testbed/electron-fake'));

const fake = await import('../../scripts/testbed/electron-fake');
await import('./index');

describe('preload', () => {
  const exposed = fake.contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [string, Record<string, Record<string, (...a: unknown[]) => unknown>>];

  it('exposes one frozen picStore object of named methods, never ipcRenderer', () => {
    expect(fake.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = exposed;
    expect(name).toBe('picStore');
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api)).toEqual(expect.arrayContaining(['app', 'trust']));
    for (const d of Object.values(api)) expect(Object.isFrozen(d)).toBe(true);
    expect(typeof api.trust?.get).toBe('function');
    expect(JSON.stringify(Object.keys(api.app ?? {}))).not.toMatch(/ipc|send|invoke/i);
  });

  it('invokes through ipcRenderer on the derived channel, and unsubscribes events', async () => {
    const api = exposed[1];
    await api.app?.openExternal?.({ url: 'https://x' });
    expect(fake.ipcRenderer.invoke).toHaveBeenCalledWith('app:open-external', { url: 'https://x' });
    const seen: unknown[] = [];
    const off = api.trust?.on?.('changed', (p: unknown) => seen.push(p)) as () => void;
    fake.ipcRenderer.emit('trust:changed', { sender: 'event object' }, 'payload');
    off();
    fake.ipcRenderer.emit('trust:changed', {}, 'later');
    expect(seen).toEqual(['payload']);
  });
});

describe('preload: dropped-file path', () => {
  const api = () => (fake.contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [string, { app: { pathForFile: (f: unknown) => string | null } }])[1];

  it('answers a dropped File path through webUtils.getPathForFile, and null when there is none', () => {
    expect(api().app.pathForFile({ fakePath: '/home/ada/manifest.json' })).toBe('/home/ada/manifest.json');
    expect(fake.webUtils.getPathForFile).toHaveBeenCalledTimes(1);
    // A File made in the page (not on disk) has no path: '' becomes null; a non-File throws → null.
    expect(api().app.pathForFile({})).toBeNull();
    expect(api().app.pathForFile('not a file')).toBeNull();
  });

  it('is the only non-IPC method on picStore', () => {
    const exposed = api() as unknown as Record<string, Record<string, unknown>>;
    expect(Object.keys(exposed.app ?? {}).sort()).toEqual(['choosePath', 'info', 'on', 'openExternal', 'pathForFile', 'ready']);
    expect(exposed.trust?.pathForFile).toBeUndefined();
  });
});
