import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../main/electron-fake.test-helper'));

const fake = await import('../main/electron-fake.test-helper');
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
