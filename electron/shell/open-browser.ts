import { spawn } from 'node:child_process';

/**
 * Whether this shell should open a browser: only with a display, never in CI, never when
 * PIC_STORE_NO_BROWSER=1 (tests). Where it does not, the printed URL is enough.
 */
export function canOpenBrowser(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  if (env.PIC_STORE_NO_BROWSER === '1' || env.CI) return false;
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * The OS opener and its argv (never a shell string). Its argument is public to every local
 * process: an external https URL, or the path of the shell's private hand-over file — never the
 * shell's own URL with its token.
 */
export function openerCommand(url: string, platform: NodeJS.Platform = process.platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  if (platform === 'win32') return ['explorer.exe', [url]];
  return ['xdg-open', [url]];
}

/** Opens a URL or file in the user's browser; resolves false when it could not be started. */
export function openInBrowser(url: string, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  const [cmd, args] = openerCommand(url, platform);
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
