import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../scripts/testbed/electron-fake'));

const fake = await import('../../scripts/testbed/electron-fake');
const { createPathChooser, dialogFor } = await import('./path-chooser');
const { startElectronApp } = await import('./lifecycle');
const { IpcRouter } = await import('../ipc/main/router');
const { registerAppHandlers } = await import('../ipc/main/handlers/app');
const { PATH_PURPOSES } = await import('../ipc/contract/channels/app');
type AppServices = import('../ipc/main/services/app-services').AppServices;

const work = mkdtempSync(join(tmpdir(), 'pic-chooser-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const trusted = { transport: 'electron' as const, id: 'app://pic-store/index.html', trusted: true };

beforeEach(() => {
  vi.clearAllMocks();
  fake.BrowserWindow.created.length = 0;
  fake.ipcMainFake.handlers.clear();
  fake.app.listeners.clear();
});

function routerWith(chooser: AppServices['chooser']) {
  const router = new IpcRouter();
  const services = {
    app: { name: 'n', version: 'v', platform: 'linux', transport: 'electron' },
    dataDir: work,
    appConfigDir: work,
    trust: { status: async () => ({}) },
    openExternal: async () => false,
    chooser,
  } as unknown as AppServices;
  registerAppHandlers(router, services);
  return router;
}

describe('dialog per purpose', () => {
  it('opens files for reading, a directory for the OCI layout, and a save dialog for export and for saving a fleet plan', () => {
    for (const purpose of PATH_PURPOSES) {
      const d = dialogFor({ purpose }, '/home/ada');
      expect(d.kind).toBe(purpose.endsWith('-export') ? 'save' : 'open');
      expect(d.options.title).toBeTruthy();
    }
    expect(dialogFor({ purpose: 'store-index' }, '/h').options).toMatchObject({ properties: ['openFile'], filters: [{ extensions: ['json'] }, { extensions: ['*'] }] });
    expect(dialogFor({ purpose: 'store-root' }, '/h').options).toMatchObject({ buttonLabel: 'Use this root', properties: ['openFile'], filters: [{ extensions: ['json'] }, { extensions: ['*'] }] });
    expect(dialogFor({ purpose: 'public-key' }, '/h').options).toMatchObject({ filters: [{ extensions: ['pub', 'pem', 'key'] }, { extensions: ['*'] }] });
    expect(dialogFor({ purpose: 'oci-layout' }, '/h').options).toMatchObject({ properties: ['openDirectory'] });
    expect(dialogFor({ purpose: 'identity-file' }, '/home/ada').options).toMatchObject({ defaultPath: '/home/ada/.ssh', properties: ['openFile', 'showHiddenFiles'] });
    const save = dialogFor({ purpose: 'receipt-export', suggestedName: 'receipt-1a2b3c4d.json' }, '/home/ada');
    expect(save.options).toMatchObject({ defaultPath: '/home/ada/receipt-1a2b3c4d.json', filters: [{ extensions: ['json'] }] });
    // Export never replaces a file, so the dialog does not offer to.
    expect(JSON.stringify(save.options)).not.toContain('showOverwriteConfirmation');
    expect(dialogFor({ purpose: 'fleet-plan-export', suggestedName: 'fleet-plan-1a2b.json' }, '/home/ada').options).toMatchObject({ defaultPath: '/home/ada/fleet-plan-1a2b.json', filters: [{ extensions: ['json'] }] });
  });
});

describe('Electron path chooser', () => {
  it('shows the open dialog modal to the app window and answers the chosen path', async () => {
    const win = new fake.BrowserWindow({});
    fake.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/home/ada/index.json'] });
    const choose = createPathChooser({ window: () => win as never, home: '/home/ada' });
    expect(await choose({ purpose: 'store-index' })).toBe('/home/ada/index.json');
    expect(fake.dialog.showOpenDialog).toHaveBeenCalledTimes(1);
    expect(fake.dialog.showOpenDialog).toHaveBeenCalledWith(win, dialogFor({ purpose: 'store-index' }, '/home/ada').options);
    expect(fake.dialog.showSaveDialog).not.toHaveBeenCalled();
  });

  it('answers null when the dialog is cancelled (open and save)', async () => {
    const win = new fake.BrowserWindow({});
    const choose = createPathChooser({ window: () => win as never, home: '/h' });
    fake.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: ['/ignored'] });
    expect(await choose({ purpose: 'listing' })).toBeNull();
    fake.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '/ignored.json' });
    expect(await choose({ purpose: 'receipt-export' })).toBeNull();
    fake.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '' });
    expect(await choose({ purpose: 'receipt-export' })).toBeNull();
  });

  it('uses the save dialog for export, with the suggested name', async () => {
    const win = new fake.BrowserWindow({});
    fake.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/h/out.json' });
    const choose = createPathChooser({ window: () => win as never, home: '/h' });
    expect(await choose({ purpose: 'receipt-export', suggestedName: 'receipt-ab.json' })).toBe('/h/out.json');
    expect(fake.dialog.showSaveDialog).toHaveBeenCalledWith(win, expect.objectContaining({ defaultPath: '/h/receipt-ab.json' }));
  });

  it('shows an unparented dialog when there is no live window', async () => {
    fake.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/k.pub'] });
    const choose = createPathChooser({ window: () => null, home: '/h' });
    expect(await choose({ purpose: 'public-key' })).toBe('/k.pub');
    expect(fake.dialog.showOpenDialog.mock.calls[0]).toHaveLength(1);
  });
});

describe('app:choose-path', () => {
  it('answers the path only, never opening it: a FIFO (a read would block) and a missing file come back as chosen', async () => {
    const fifo = join(work, 'receipt.json');
    execFileSync('mkfifo', [fifo]);
    const missing = join(work, 'nope', 'index.json');
    const chooser = vi.fn(async (req: { purpose: string }) => (req.purpose === 'receipt-import' ? fifo : missing));
    const router = routerWith(chooser);
    expect(await router.dispatch('app:choose-path', { purpose: 'receipt-import' }, trusted)).toEqual({ ok: true, data: { supported: true, path: fifo } });
    expect(await router.dispatch('app:choose-path', { purpose: 'store-index' }, trusted)).toEqual({ ok: true, data: { supported: true, path: missing } });
    expect(await router.dispatch('app:info', undefined, trusted)).toMatchObject({ ok: true, data: { canChoosePaths: true } });
  });

  it('passes a cancel through as path null', async () => {
    const router = routerWith(async () => null);
    expect(await router.dispatch('app:choose-path', { purpose: 'identity-file' }, trusted)).toEqual({ ok: true, data: { supported: true, path: null } });
  });

  it('answers supported: false without a chooser (the browser shell)', async () => {
    const router = routerWith(undefined);
    expect(await router.dispatch('app:choose-path', { purpose: 'listing' }, trusted)).toEqual({ ok: true, data: { supported: false } });
    expect(await router.dispatch('app:info', undefined, trusted)).toMatchObject({ ok: true, data: { canChoosePaths: false } });
  });

  it('refuses unknown purposes, extra fields and a suggested name that is a path, before any dialog', async () => {
    const chooser = vi.fn(async () => '/x');
    const router = routerWith(chooser);
    for (const arg of [{ purpose: 'anything' }, { purpose: 'listing', defaultPath: '/etc' }, { purpose: 'receipt-export', suggestedName: '../../etc/x.json' }, { purpose: 'receipt-export', suggestedName: '/tmp/x.json' }, undefined]) {
      expect(await router.dispatch('app:choose-path', arg, trusted)).toMatchObject({ ok: false, error: { code: 'IPC_BAD_ARGUMENT' } });
    }
    expect(chooser).not.toHaveBeenCalled();
  });

  it('is wired in the Electron app: the ipcMain channel opens the dialog parented to the window', async () => {
    expect(startElectronApp({ mainDir: '/opt/app/dist/main', appConfigDir: '/nonexistent/config' })).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    const win = fake.BrowserWindow.created[0];
    fake.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/home/ada/.ssh/id_ed25519'] });
    const frame = { url: 'app://pic-store/index.html' };
    const r = await fake.ipcMainFake.handlers.get('app:choose-path')?.({ senderFrame: frame, sender: { mainFrame: frame } }, { purpose: 'identity-file' });
    expect(r).toEqual({ ok: true, data: { supported: true, path: '/home/ada/.ssh/id_ed25519' } });
    expect(fake.dialog.showOpenDialog).toHaveBeenCalledWith(win, expect.objectContaining({ properties: ['openFile', 'showHiddenFiles'] }));
    const info = await fake.ipcMainFake.handlers.get('app:info')?.({ senderFrame: frame, sender: { mainFrame: frame } }, undefined);
    expect(info).toMatchObject({ ok: true, data: { canChoosePaths: true, transport: 'electron' } });
  });
});
