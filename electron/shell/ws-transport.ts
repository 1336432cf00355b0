import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { PAGE_READY_CHANNEL, PageEventQueue } from '../ipc/main/event-hub';
import type { IpcRouter } from '../ipc/main/router';
import { sessionCookie, sessionFromCookie, type ShellCredentials } from './session-tokens';
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

/** The offered bootstrap token ('' when none), or null when the subprotocols are not ours. */
function offeredToken(req: IncomingMessage): string | null {
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!offered.includes(SHELL_SUBPROTOCOL)) return null;
  const tokens = offered.filter((p) => p.startsWith('token.'));
  if (tokens.length > 1 || offered.length > 1 + tokens.length) return null;
  return tokens[0]?.slice(6) ?? '';
}

/**
 * Carries the IPC contract over a WebSocket (transport 2, DESIGN 3.2). The upgrade is refused
 * unless the path, Host and Origin are this server's own and the client holds a session cookie
 * or presents the bootstrap token (single use, exchanged here for a session set as an HttpOnly,
 * SameSite=Strict cookie on the handshake). A session cookie wins over a spent token, so a
 * reload, a reopened tab and a second tab with the printed URL in the same browser profile all
 * connect; another profile with the spent URL has no cookie and is refused. Every invoke on an
 * accepted socket goes through the same router as Electron's ipcMain.
 */
export function createWsTransport(opts: WsTransportOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_SHELL_MESSAGE, handleProtocols: () => SHELL_SUBPROTOCOL });
  // Each page's events are held until it invokes app:ready (its listeners exist), then delivered.
  const sockets = new Map<WebSocket, PageEventQueue>();
  // Sessions issued by an upgrade now in progress, for the handshake's Set-Cookie header.
  const issuing = new WeakMap<IncomingMessage, string>();
  wss.on('headers', (headers, req) => {
    const issued = issuing.get(req);
    if (issued) headers.push(`Set-Cookie: ${sessionCookie(Number(opts.host().split(':')[1]), issued)}`);
  });

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
    const token = offeredToken(req);
    if (token === null) return refuse(socket, 'protocol');
    const cookie = sessionFromCookie(req.headers.cookie, Number(host.split(':')[1]));
    let session = cookie !== null && opts.credentials.hasSession(cookie) ? cookie : null;
    if (!session && token) {
      session = opts.credentials.redeemToken(token);
      if (session) issuing.set(req, session);
    }
    if (!session) return refuse(socket, 'credential');
    const id = `session:${session.slice(0, 6)}`;
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.set(ws, new PageEventQueue((channel, payload) => send(ws, { type: 'event', channel, payload })));
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => ws.terminate());
      send(ws, { type: 'ready' });
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
