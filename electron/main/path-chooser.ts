import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { join } from 'node:path';
import type { ChoosePathRequest, PathPurpose } from '../ipc/contract/channels';
import type { PathChooser } from '../ipc/main/services/app-services';

const JSON_FILES = { name: 'JSON files', extensions: ['json'] };
const ALL_FILES = { name: 'All files', extensions: ['*'] };

type Dialog = { kind: 'open'; options: OpenDialogOptions } | { kind: 'save'; options: SaveDialogOptions };

/**
 * The dialog for each purpose (DESIGN 3: files are opened by path in main). Main decides the
 * kind and the filters; the renderer only names the purpose. SSH files have no extension and
 * live in a hidden folder, so those dialogs show hidden files and filter nothing.
 */
export function dialogFor(req: ChoosePathRequest, home: string): Dialog {
  const open = (title: string, options: Omit<OpenDialogOptions, 'title'>): Dialog => ({ kind: 'open', options: { title, ...options } });
  const purpose: PathPurpose = req.purpose;
  switch (purpose) {
    case 'store-index':
      return open('Add a store from an index file', { buttonLabel: 'Add store', properties: ['openFile'], filters: [{ name: 'Store index', extensions: ['json'] }, ALL_FILES] });
    case 'store-root':
      return open("A signed store's root file", { buttonLabel: 'Use this root', properties: ['openFile'], filters: [{ name: 'TUF root', extensions: ['json'] }, ALL_FILES] });
    case 'listing':
      return open('Preview a manifest or store index', { buttonLabel: 'Preview', properties: ['openFile'], filters: [{ name: 'Manifest or index', extensions: ['json'] }, ALL_FILES] });
    case 'oci-layout':
      return open('Choose an OCI image layout directory', { buttonLabel: 'Use this layout', properties: ['openDirectory'] });
    case 'receipt-import':
      return open('Import a receipt', { buttonLabel: 'Import', properties: ['openFile'], filters: [{ name: 'Receipt', extensions: ['json'] }, ALL_FILES] });
    case 'public-key':
      return open('Your cosign public key', { buttonLabel: 'Use this key', properties: ['openFile'], filters: [{ name: 'Public key (PEM)', extensions: ['pub', 'pem', 'key'] }, ALL_FILES] });
    case 'identity-file':
      return open('SSH identity file (private key)', { buttonLabel: 'Use this key', defaultPath: join(home, '.ssh'), properties: ['openFile', 'showHiddenFiles'] });
    case 'ssh-config':
      return open('SSH config file', { buttonLabel: 'Use this config', defaultPath: join(home, '.ssh'), properties: ['openFile', 'showHiddenFiles'] });
    case 'inventory-import':
      return open('Import cells from an Ansible inventory', { buttonLabel: 'Import', properties: ['openFile'], filters: [{ name: 'Ansible YAML inventory', extensions: ['yml', 'yaml'] }, ALL_FILES] });
    case 'inventory-export':
      return {
        kind: 'save',
        options: { title: 'Export cells as an Ansible inventory', buttonLabel: 'Export', defaultPath: join(home, req.suggestedName ?? 'inventory.yml'), filters: [{ name: 'Ansible YAML inventory', extensions: ['yml', 'yaml'] }], properties: ['createDirectory'] },
      };
    case 'fleet-plan-export':
      return {
        kind: 'save',
        options: { title: 'Save the fleet plan', buttonLabel: 'Save', defaultPath: join(home, req.suggestedName ?? 'fleet-plan.json'), filters: [JSON_FILES], properties: ['createDirectory'] },
      };
    case 'receipt-export':
      // No overwrite prompt: export creates a new file only and refuses an existing one.
      return {
        kind: 'save',
        options: { title: 'Export the receipt', buttonLabel: 'Export', defaultPath: join(home, req.suggestedName ?? 'receipt.json'), filters: [JSON_FILES], properties: ['createDirectory'] },
      };
  }
}

/**
 * The Electron shell's file dialog: modal to the app window when there is one, answering the
 * chosen path or null on cancel. It never opens the file.
 */
export function createPathChooser(opts: { window: () => BrowserWindow | null; home: string }): PathChooser {
  return async (req) => {
    const d = dialogFor(req, opts.home);
    const win = opts.window();
    const parent = win && !win.isDestroyed() ? win : null;
    if (d.kind === 'save') {
      const r = parent ? await dialog.showSaveDialog(parent, d.options) : await dialog.showSaveDialog(d.options);
      return r.canceled || !r.filePath ? null : r.filePath;
    }
    const r = parent ? await dialog.showOpenDialog(parent, d.options) : await dialog.showOpenDialog(d.options);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  };
}
