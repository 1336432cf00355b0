import { api } from '../api/api';

/**
 * The local path of something dropped on a path field, or null. In Electron a dropped file's
 * path comes from the preload (`picStore.app.pathForFile`, webUtils underneath); the browser
 * shell cannot see File paths, so there it is a `file:` URL or an absolute path dropped as text
 * (from a file manager's text/uri-list). Only the path is taken: main reads the file.
 */
export function pathFromDrop(data: DataTransfer): string | null {
  const file = data.files[0];
  if (file) {
    const p = api().app.pathForFile(file);
    if (p) return p;
  }
  const raw = (data.getData('text/uri-list') || data.getData('text/plain')).split('\n').find((l) => l.trim() && !l.startsWith('#'))?.trim() ?? '';
  if (raw.startsWith('file://')) {
    try {
      return decodeURIComponent(new URL(raw).pathname);
    } catch {
      return null;
    }
  }
  return raw.startsWith('/') ? raw : null;
}
