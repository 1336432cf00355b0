/*
 * The private hand-over of the shell's URL to a browser (DESIGN 3.2). The token must never sit
 * in a process's arguments or environment, where any local process can read it before the
 * browser redeems it; so the opener is given the path of a small HTML file instead — mode 0600
 * in a 0700 directory of the shell's own — which sends the browser on to the URL (fragment and
 * all) with a meta refresh. The file is removed once the token is redeemed, or at exit.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BootstrapFile {
  /** The file to hand to the opener: its path says nothing secret. */
  path: string;
  /** Removes the file and its directory; safe to call more than once, and synchronous so it can run at exit. */
  remove(): void;
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The page: no script, no referrer; a link for a browser that does not follow the refresh. */
export function bootstrapHtml(url: string): string {
  const href = escapeAttr(url);
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    `<meta http-equiv="refresh" content="0;url=${href}">`,
    '<title>PIC Store Manager</title></head>',
    `<body><a href="${href}">Open PIC Store Manager</a></body></html>`,
    '',
  ].join('\n');
}

/** Writes the hand-over file (refusing to follow or reuse anything already there). */
export function writeBootstrapFile(url: string, parent: string = tmpdir()): BootstrapFile {
  const dir = mkdtempSync(join(parent, 'pic-store-shell-'));
  chmodSync(dir, 0o700);
  const path = join(dir, 'open.html');
  writeFileSync(path, bootstrapHtml(url), { mode: 0o600, flag: 'wx' });
  let removed = false;
  return {
    path,
    remove() {
      if (removed) return;
      removed = true;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
