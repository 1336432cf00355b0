import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { EventHub } from '../event-hub';
import { createServices } from './app-services';
import { watchTrust } from './trust-watcher';

const home = mkdtempSync(join(tmpdir(), 'pic-trustwatch-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('watchTrust', () => {
  it('emits trust:changed once a key file is placed, and not before', async () => {
    const services = createServices({ transport: 'browser-shell', env: { PIC_STORE_HOME: home, PIC_STORE_APP_CONFIG: join(home, 'cfg') }, startDir: home, openExternal: async () => false });
    const hub = new EventHub();
    const seen = vi.fn();
    hub.onEvent(seen);
    const stop = watchTrust(hub, () => services.core.trustStatus(), 50);
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).not.toHaveBeenCalled();
      mkdirSync(join(home, 'trust'));
      const pem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
      writeFileSync(join(home, 'trust', 'k.pub'), pem);
      await vi.waitFor(() => expect(seen).toHaveBeenCalledTimes(1), { timeout: 3000 });
      expect(seen.mock.calls[0]?.[0]).toBe('trust:changed');
      expect(seen.mock.calls[0]?.[1]).toMatchObject({ state: 'local-only', keys: [{ origin: 'local', type: 'ed25519' }] });
    } finally {
      stop();
      await services.dispose();
    }
  });
});
