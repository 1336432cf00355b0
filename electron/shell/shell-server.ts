import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IpcRouter } from '../ipc/main/router';
import { shellCsp, shellHtml } from './csp';
import { ShellCredentials } from './session-tokens';
import { securityHeaders, serveStatic } from './static-files';
import { createWsTransport, type UpgradeRefusal } from './ws-transport';

interface ShellServerOptions {
  /** The built renderer (dist/renderer): the only files ever served. */
  rendererDir: string;
  router: IpcRouter;
  onRefused?: (reason: UpgradeRefusal) => void;
  /** Runs once, when the bootstrap token is spent. */
  onTokenRedeemed?: () => void;
}

export interface ShellServer {
  /** `http://127.0.0.1:PORT/#token=…` — the one line the shell prints. */
  url: string;
  origin: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the loopback browser shell (DESIGN 3.2): 127.0.0.1 only, a random port, the built
 * renderer over HTTP and the IPC contract over a WebSocket. Requests whose Host is not exactly
 * this server (DNS rebinding) are refused.
 */
export async function startShellServer(opts: ShellServerOptions): Promise<ShellServer> {
  const credentials = new ShellCredentials(undefined, opts.onTokenRedeemed);
  let host = '';
  const transport = createWsTransport({ router: opts.router, credentials, host: () => host, onRefused: opts.onRefused });
  const server: Server = createServer((req, res) => {
    const ownPort = Number(host.split(':')[1]);
    const csp = shellCsp(ownPort);
    if (req.headers.host !== host) {
      res.writeHead(421, { ...securityHeaders(csp), 'Content-Type': 'text/plain; charset=utf-8' }).end('wrong host\n');
      return;
    }
    serveStatic(opts.rendererDir, req, res, csp, (html) => shellHtml(html, ownPort)).catch(() => {
      if (!res.headersSent) res.writeHead(500, securityHeaders(csp));
      res.end();
    });
  });
  server.on('upgrade', transport.handleUpgrade);
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  host = `127.0.0.1:${port}`;
  return {
    url: `http://${host}/#token=${credentials.token}`,
    origin: `http://${host}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        transport.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
