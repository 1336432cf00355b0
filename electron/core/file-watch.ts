// Watches one file (a listing being previewed, the activity log the CLI appends to). Editors
// often save by writing a new file and renaming it over the old one, which ends a watch on the
// file itself — so the DIRECTORY is watched and events for the file's name are debounced into
// one callback.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface FileWatch {
  close(): void;
}

export function watchFile(path: string, onChange: () => void, debounceMs = 120): FileWatch {
  const name = basename(path);
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
      if (closed || (file !== null && file.toString() !== name)) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        if (!closed) onChange();
      }, debounceMs);
    });
    watcher.on('error', () => undefined);
  } catch {
    // The directory cannot be watched (gone, no permission): what shows it still works, just not live.
    watcher = null;
  }
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
