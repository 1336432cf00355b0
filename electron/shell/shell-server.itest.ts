import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createIpcRouter } from '../ipc/main/router';
import type { IpcRouter } from '../ipc/main/router';
import { createServices, type AppServices } from '../ipc/main/services/app-services';
import { startShellServer, type ShellServer } from './shell-server';
import { SHELL_SUBPROTOCOL, type ShellServerMessage } from './ws-protocol';
import * as trustView from '../core/trust/trust-view';
import * as externalUrl from '../core/external-url';

// Spies on the core functions themselves, so a test can prove a malformed call never reaches core.
vi.mock('../core/trust/trust-view', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../core/trust/trust-view')>();
  return { ...orig, loadTrustStatus: vi.fn(orig.loadTrustStatus) };
});
vi.mock('../core/external-url', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../core/external-url')>();
  return { ...orig, parseExternalUrl: vi.fn(orig.parseExternalUrl) };
});

const tmp = mkdtempSync(join(tmpdir(), 'pic-shell-'));
const rendererDir = join(tmp, 'renderer');
let services: AppServices;
let router: IpcRouter;
let shell: ShellServer;
const refusals: string[] = [];
const open: WebSocket[] = [];

beforeAll(() => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  // The real page, so the served CSP meta is the one the app ships.
  writeFileSync(join(rendererDir, 'index.html'), readFileSync(join(__dirname, '..', '..', 'renderer', 'index.html')));
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(tmp, 'secret.txt'), 'SECRET');
  symlinkSync(join(tmp, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
  mkdirSync(join(tmp, 'home'));
  mkdirSync(join(tmp, 'appcfg', 'cosign'), { recursive: true });
});

async function freshShell(): Promise<void> {
  services = createServices({
    transport: 'browser-shell',
    env: { PIC_STORE_HOME: join(tmp, 'home'), PIC_STORE_APP_CONFIG: join(tmp, 'appcfg') },
    startDir: tmp,
    openExternal: vi.fn(async () => false),
  });
  router = createIpcRouter(services);
  shell = await startShellServer({ rendererDir, router, onRefused: (r) => refusals.push(r) });
}

afterEach(async () => {
  for (const ws of open.splice(0)) ws.terminate();
  await shell?.close();
  refusals.length = 0;
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tokenOf = (s: ShellServer) => new URL(s.url).hash.replace('#token=', '');

/** Connects; resolves with the socket and its first message, or with the HTTP status refused. */
function connectWs(opts: { protocols?: string[]; origin?: string; host?: string; cookie?: string }): Promise<{ ws: WebSocket; first: ShellServerMessage; setCookie: string[] } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ipc`, opts.protocols ?? [], {
      origin: opts.origin ?? shell.origin,
      headers: { ...(opts.host ? { Host: opts.host } : {}), ...(opts.cookie ? { Cookie: opts.cookie } : {}) },
    });
    open.push(ws);
    let setCookie: string[] = [];
    ws.once('upgrade', (res) => (setCookie = res.headers['set-cookie'] ?? []));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('message', (data) => resolve({ ws, first: JSON.parse(String(data)) as ShellServerMessage, setCookie }));
    ws.once('error', (e) => reject(e));
    setTimeout(() => reject(new Error('timeout')), 5000).unref();
  });
}

function invoke(ws: WebSocket, id: number, channel: string, arg?: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMsg = (data: WebSocket.RawData) => {
      const m = JSON.parse(String(data)) as ShellServerMessage;
      if (m.type === 'result' && m.id === id) {
        ws.off('message', onMsg);
        resolve(m.result);
      }
    };
    ws.on('message', onMsg);
    ws.send(JSON.stringify({ type: 'invoke', id, channel, arg }));
  });
}

describe('browser shell: who may connect', () => {
  it('prints a 127.0.0.1 URL with a 256-bit token in the fragment', async () => {
    await freshShell();
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a connection without a token or session cookie', async () => {
    await freshShell();
    expect(await connectWs({ protocols: [SHELL_SUBPROTOCOL] })).toEqual({ status: 403 });
    expect(await connectWs({})).toEqual({ status: 403 });
    expect(refusals).toEqual(['credential', 'protocol']);
  });

  it('refuses a wrong token', async () => {
    await freshShell();
    const wrong = `${tokenOf(shell).slice(0, -2)}AA`;
    expect(await connectWs({ protocols: [SHELL_SUBPROTOCOL, `token.${wrong}`] })).toEqual({ status: 403 });
    expect(refusals).toEqual(['credential']);
  });

  it('accepts the token once, exchanging it for an HttpOnly SameSite=Strict session cookie; the used token alone is refused', async () => {
    await freshShell();
    const first = await connectWs({ protocols: [SHELL_SUBPROTOCOL, `token.${tokenOf(shell)}`] });
    expect('ws' in first && first.first).toEqual({ type: 'ready' });
    const setCookie = 'ws' in first ? first.setCookie : [];
    expect(setCookie).toEqual([expect.stringMatching(new RegExp(`^pic-store-shell-${shell.port}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict$`))]);
    expect(await connectWs({ protocols: [SHELL_SUBPROTOCOL, `token.${tokenOf(shell)}`] })).toEqual({ status: 403 });
    // The cookie (sent by every tab of the profile that redeemed the token) reconnects, even
    // alongside the spent token; it wins over it and is not issued again.
    const cookie = (setCookie[0] ?? '').split(';')[0] as string;
    const again = await connectWs({ protocols: [SHELL_SUBPROTOCOL], cookie });
    expect('ws' in again && again.first).toEqual({ type: 'ready' });
    const withSpent = await connectWs({ protocols: [SHELL_SUBPROTOCOL, `token.${tokenOf(shell)}`], cookie: `other=1; ${cookie}` });
    expect('ws' in withSpent && withSpent.setCookie).toEqual([]);
    // A forged session, another port's cookie name, and the old session subprotocol are refused.
    expect(await connectWs({ protocols: [SHELL_SUBPROTOCOL], cookie: `pic-store-shell-${shell.port}=${'x'.repeat(43)}` })).toEqual({ status: 403 });
    expect(await connectWs({ protocols: [SHELL_SUBPROTOCOL], cookie: cookie.replace(String(shell.port), String(shell.port + 1)) })).toEqual({ status: 403 });
    expect(await connectWs({ protocols: [SHELL_SUBPROTOCOL, `session.${cookie.split('=')[1]}`] })).toEqual({ status: 403 });
    expect(refusals).toEqual(['credential', 'credential', 'credential', 'protocol']);
  });

  it('refuses a foreign Origin or Host even with the right token, without spending it', async () => {
    await freshShell();
    const proto = [SHELL_SUBPROTOCOL, `token.${tokenOf(shell)}`];
    expect(await connectWs({ protocols: proto, origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await connectWs({ protocols: proto, origin: `http://localhost:${shell.port}` })).toEqual({ status: 403 });
    expect(await connectWs({ protocols: proto, host: `evil.example:${shell.port}`, origin: `http://evil.example:${shell.port}` })).toEqual({ status: 403 });
    expect(refusals).toEqual(['origin', 'origin', 'host']);
    const ok = await connectWs({ protocols: proto });
    expect('ws' in ok).toBe(true);
  });
});

describe('browser shell: IPC over the socket', () => {
  async function session(): Promise<WebSocket> {
    const r = await connectWs({ protocols: [SHELL_SUBPROTOCOL, `token.${tokenOf(shell)}`] });
    if (!('ws' in r)) throw new Error(`refused ${r.status}`);
    return r.ws;
  }

  it('answers a valid call through the same router', async () => {
    await freshShell();
    const ws = await session();
    expect(await invoke(ws, 1, 'trust:get')).toMatchObject({ ok: true, data: { state: 'no-key', keys: [] } });
    expect(await invoke(ws, 2, 'app:info')).toMatchObject({ ok: true, data: { transport: 'browser-shell', dataDir: join(tmp, 'home') } });
  });

  it('gives malformed arguments a clean error envelope and never reaches core', async () => {
    await freshShell();
    const trustSpy = vi.spyOn(services.core, 'trustStatus');
    const coreTrust = vi.mocked(trustView.loadTrustStatus);
    const coreUrl = vi.mocked(externalUrl.parseExternalUrl);
    coreTrust.mockClear();
    coreUrl.mockClear();
    const ws = await session();
    expect(await invoke(ws, 1, 'trust:get', { sneaky: true })).toEqual({ ok: false, error: { code: 'IPC_BAD_ARGUMENT', message: expect.any(String) } });
    expect(await invoke(ws, 2, 'app:open-external', { url: ['https://x'] })).toMatchObject({ ok: false, error: { code: 'IPC_BAD_ARGUMENT' } });
    expect(coreUrl).not.toHaveBeenCalled();
    // A well-formed argument does reach core, which refuses a non-https link itself.
    expect(await invoke(ws, 3, 'app:open-external', { url: 'javascript:alert(1)' })).toMatchObject({ ok: false, error: { code: 'URL_NOT_ALLOWED' } });
    expect(coreUrl).toHaveBeenCalledTimes(1);
    expect(await invoke(ws, 4, 'no:such')).toMatchObject({ ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL' } });
    // A message that is not an invoke at all gets an envelope too when it carries an id.
    const bad = new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    ws.send(JSON.stringify({ type: 'invoke', id: 5, channel: 42 }));
    expect(await bad).toEqual({ type: 'result', id: 5, result: { ok: false, error: { code: 'IPC_BAD_MESSAGE', message: 'malformed IPC message' } } });
    expect(trustSpy).not.toHaveBeenCalled();
    expect(coreTrust).not.toHaveBeenCalled();
    expect(services.openExternal).not.toHaveBeenCalled();
    // The control: the same channel with a valid (absent) argument reaches core.
    expect(await invoke(ws, 6, 'trust:get')).toMatchObject({ ok: true });
    expect(coreTrust).toHaveBeenCalledTimes(1);
  });

  it('holds events for a page until it says app:ready, then delivers them in order, and later ones at once', async () => {
    await freshShell();
    const ws = await session();
    const seen: ShellServerMessage[] = [];
    ws.on('message', (d) => seen.push(JSON.parse(String(d)) as ShellServerMessage));
    const status = await services.core.trustStatus();
    router.emit('trust:changed', status);
    router.emit('activity:changed', { at: 'early' });
    // Nothing reaches a page that has not subscribed yet (it would be lost there).
    expect(await invoke(ws, 1, 'app:info')).toMatchObject({ ok: true });
    expect(seen.filter((m) => m.type === 'event')).toEqual([]);
    expect(await invoke(ws, 2, 'app:ready')).toEqual({ ok: true, data: { ready: true } });
    // The services' own start-up work (the update check) may announce itself too; this test follows the two it sent.
    const mine = () => seen.filter((m) => m.type === 'event' && (m.channel === 'trust:changed' || m.channel === 'activity:changed'));
    await vi.waitFor(() => expect(mine()).toHaveLength(2));
    expect(mine()).toEqual([
      { type: 'event', channel: 'trust:changed', payload: status },
      { type: 'event', channel: 'activity:changed', payload: { at: 'early' } },
    ]);
    router.emit('activity:changed', { at: 'late' });
    await vi.waitFor(() => expect(mine()).toHaveLength(3));
    expect(mine().at(-1)).toEqual({ type: 'event', channel: 'activity:changed', payload: { at: 'late' } });
  });
});

/** A raw HTTP request, so paths reach the server exactly as written (no client normalising). */
function rawGet(path: string, host = `127.0.0.1:${shell.port}`): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const sock = connect(shell.port, '127.0.0.1');
    let buf = '';
    sock.on('data', (d) => (buf += String(d)));
    sock.on('end', () => {
      const [head = '', ...rest] = buf.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head, body: rest.join('\r\n\r\n') });
    });
    sock.on('error', reject);
    sock.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  });
}

describe('browser shell: static files', () => {
  it('serves the built renderer with content types and the CSP header', async () => {
    await freshShell();
    const index = await rawGet('/');
    expect(index.status).toBe(200);
    expect(index.headers).toMatch(/Content-Type: text\/html; charset=utf-8/i);
    expect(index.headers).toMatch(new RegExp(`Content-Security-Policy: default-src 'none'; script-src 'self';.*connect-src ws://127\\.0\\.0\\.1:${shell.port}`, 'i'));
    expect(index.headers).toMatch(/X-Content-Type-Options: nosniff/i);
    // The page's own meta policy allows exactly this shell's WebSocket (the built file says 'none').
    expect(index.body).toMatch(new RegExp(`http-equiv="Content-Security-Policy"\\s+content="[^"]*connect-src ws://127\\.0\\.0\\.1:${shell.port};`));
    expect(index.body).not.toMatch(/connect-src 'none'/);
    expect(Number(/Content-Length: (\d+)/i.exec(index.headers)?.[1])).toBe(Buffer.byteLength(index.body));
    expect((await rawGet('/assets/app.js')).headers).toMatch(/Content-Type: text\/javascript/i);
    expect((await rawGet('/assets/app.css')).headers).toMatch(/Content-Type: text\/css/i);
  });

  it('serves nothing outside the built files', async () => {
    await freshShell();
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/assets/link.txt', '/%00', '/nope.html', '/assets']) {
      const r = await rawGet(p);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('SECRET');
    }
  });

  it('refuses a request for another Host (DNS rebinding) and non-GET methods', async () => {
    await freshShell();
    expect((await rawGet('/', `evil.example:${shell.port}`)).status).toBe(421);
    const r = await fetch(`${shell.origin}/`, { method: 'POST', body: 'x' });
    expect(r.status).toBe(405);
  });
});
