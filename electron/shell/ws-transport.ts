import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { PAGE_READY_CHANNEL, PageEventQueue } from '../ipc/main/event-hub';
import type { IpcRouter } from '../ipc/main/router';
import type { ShellCredentials } from './session-tokens';
import { clientMessage, MAX_SHELL_MESSAGE, SHELL_SUBPROTOCOL, SHELL_WS_PATH } from './ws-protocol';
import type { ShellServerMessage } from './ws-protocol';

/** Why an upgrade was refused, for tests and for the one stderr line the shell prints. */
export type UpgradeRefusal = 'path' | 'host' | 'origin' | 'protocol' | 'credential';

interface WsTransportOptions {
  router: IpcRouter;
  credentials: ShellCredentials;
  /** `127.0.0.1:PORT`, known once the server listens. */
  host: () => string;
  onRefused?: (reason: UpgradeRefusal) => void;
}

function credentialFrom(req: IncomingMessage): { kind: 'token' | 'session'; value: string } | null {
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!offered.includes(SHELL_SUBPROTOCOL)) return null;
  const creds = offered.filter((p) => p.startsWith('token.') || p.startsWith('session.'));
  if (creds.length !== 1) return null;
  const c = creds[0] as string;
  return c.startsWith('token.') ? { kind: 'token', value: c.slice(6) } : { kind: 'session', value: c.slice(8) };
}

/**
 * Carries the IPC contract over a WebSocket (transport 2, DESIGN 3.2). The upgrade is refused
 * unless the path, Host and Origin are this server's own and the client presents the bootstrap
 * token (single use, exchanged here for a session) or a session it was given. Every invoke on an
 * accepted socket goes through the same router as Electron's ipcMain.
 */
export function createWsTransport(opts: WsTransportOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_SHELL_MESSAGE, handleProtocols: () => SHELL_SUBPROTOCOL });
  // Each page's events are held until it invokes app:ready (its listeners exist), then delivered.
  const sockets = new Map<WebSocket, PageEventQueue>();

  const refuse = (socket: Duplex, reason: UpgradeRefusal): void => {
    opts.onRefused?.(reason);
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    socket.destroy();
  };

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const host = opts.host();
    if ((req.url ?? '').split('?')[0] !== SHELL_WS_PATH) return refuse(socket, 'path');
    if (req.headers.host !== host) return refuse(socket, 'host');
    if (req.headers.origin !== `http://${host}`) return refuse(socket, 'origin');
    const cred = credentialFrom(req);
    if (!cred) return refuse(socket, 'protocol');
    let session: string | null = null;
    let issued = false;
    if (cred.kind === 'token') {
      session = opts.credentials.redeemToken(cred.value);
      issued = session !== null;
    } else if (opts.credentials.hasSession(cred.value)) {
      session = cred.value;
    }
    if (!session) return refuse(socket, 'credential');
    const id = `session:${session.slice(0, 6)}`;
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.set(ws, new PageEventQueue((channel, payload) => send(ws, { type: 'event', channel, payload })));
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => ws.terminate());
      send(ws, issued ? { type: 'ready', session: session as string } : { type: 'ready' });
      ws.on('message', (data, isBinary) => {
        if (isBinary) return ws.close(1003, 'text frames only');
        void onMessage(ws, String(data), id);
      });
    });
  };

  const onMessage = async (ws: WebSocket, text: string, senderId: string): Promise<void> => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return ws.close(1007, 'not JSON');
    }
    const msg = clientMessage.safeParse(raw);
    if (!msg.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'number') send(ws, { type: 'result', id, result: { ok: false, error: { code: 'IPC_BAD_MESSAGE', message: 'malformed IPC message' } } });
      return;
    }
    const result = await opts.router.dispatch(msg.data.channel, msg.data.arg, { transport: 'browser-shell', id: senderId, trusted: true });
    send(ws, { type: 'result', id: msg.data.id, result });
    if (msg.data.channel === PAGE_READY_CHANNEL && result.ok) sockets.get(ws)?.open();
  };

  const offEvents = opts.router.onEvent((channel, payload) => {
    for (const queue of sockets.values()) queue.push(channel, payload);
  });

  return {
    handleUpgrade,
    close(): void {
      offEvents();
      for (const ws of sockets.keys()) ws.terminate();
      wss.close();
    },
  };
}

function send(ws: WebSocket, msg: ShellServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
}
