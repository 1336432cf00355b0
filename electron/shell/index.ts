// Entry of `node dist/shell/shell.cjs`: the browser shell used where Electron's binary cannot
// be had (DESIGN 3.2). Prints exactly one line — the URL — on stdout and runs until SIGINT or
// SIGTERM.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createIpcRouter } from '../ipc/main/router';
import { createServices } from '../ipc/main/services/app-services';
import { writeBootstrapFile, type BootstrapFile } from './bootstrap-file';
import { canOpenBrowser, openInBrowser } from './open-browser';
import { startShellServer } from './shell-server';

async function main(): Promise<void> {
  const rendererDir = resolve(process.env.PIC_STORE_RENDERER_DIR ?? join(__dirname, '..', 'renderer'));
  if (!existsSync(join(rendererDir, 'index.html'))) {
    process.stderr.write(`pic-store shell: no built renderer at ${rendererDir}; run \`npm run build\` first\n`);
    process.exit(3);
  }
  const mayOpen = canOpenBrowser();
  const services = createServices({
    transport: 'browser-shell',
    startDir: __dirname,
    openExternal: async (url) => (mayOpen ? openInBrowser(url.href) : false),
  });
  const router = createIpcRouter(services);
  let handOver: BootstrapFile | null = null;
  const shell = await startShellServer({
    rendererDir,
    router,
    onRefused: (reason) => process.stderr.write(`pic-store shell: refused a connection (${reason})\n`),
    onTokenRedeemed: () => handOver?.remove(),
  });
  process.stdout.write(`${shell.url}\n`);
  if (mayOpen) {
    // The opener gets a private file's path, never the URL: argv and environment are readable by
    // every local process, and the token would be theirs before the browser spent it (DESIGN 3.2).
    handOver = writeBootstrapFile(shell.url);
    process.on('exit', () => handOver?.remove());
    void openInBrowser(handOver.path);
  }

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void Promise.allSettled([shell.close(), services.dispose()]).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`pic-store shell: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(3);
});
