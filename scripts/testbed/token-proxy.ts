// A bearer-token front for a real registry, as Docker Hub and GHCR behave: every /v2/ request
// without a valid token gets `401 WWW-Authenticate: Bearer realm=…,service=…,scope=…`; the token
// endpoint issues a token per repository scope, anonymously or only to the given user. Requests
// with a token are forwarded unchanged to the registry.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface TokenProxy {
  host: string;
  stop(): Promise<void>;
  /** How many tokens were issued (each scope once per client). */
  issued(): number;
}

export async function startTokenProxy(upstream: string, opts: { user?: { name: string; password: string }; refreshToken?: string } = {}): Promise<TokenProxy> {
  const tokens = new Map<string, string>(); // token → repository
  let issued = 0;
  let selfHost = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${selfHost}`);
    if (url.pathname === '/token' && req.method === 'POST') {
      // OAuth2 refresh-token exchange (Docker identity tokens).
      let form = '';
      req.on('data', (c: Buffer) => {
        if (form.length < 8192) form += c.toString();
      });
      req.on('end', () => {
        const f = new URLSearchParams(form);
        const m = /^repository:([^:]+):pull$/.exec(f.get('scope') ?? '');
        if (f.get('grant_type') !== 'refresh_token' || !opts.refreshToken || f.get('refresh_token') !== opts.refreshToken || !m || f.get('service') !== 'pic-test') {
          res.writeHead(401, { 'Content-Type': 'application/json' });
          res.end('{"error":"invalid_grant"}');
          return;
        }
        const t = randomBytes(16).toString('hex');
        tokens.set(t, m[1]!);
        issued++;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ access_token: t, expires_in: 300 }));
      });
      return;
    }
    if (url.pathname === '/token') {
      if (opts.user) {
        const want = `Basic ${Buffer.from(`${opts.user.name}:${opts.user.password}`).toString('base64')}`;
        if (req.headers.authorization !== want) {
          res.writeHead(401, { 'Content-Type': 'application/json' });
          res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
          return;
        }
      }
      const scope = url.searchParams.get('scope') ?? '';
      const m = /^repository:([^:]+):pull$/.exec(scope);
      if (url.searchParams.get('service') !== 'pic-test' || !m) {
        res.writeHead(400);
        res.end();
        return;
      }
      const t = randomBytes(16).toString('hex');
      tokens.set(t, m[1]!);
      issued++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ token: t, expires_in: 300 }));
      return;
    }
    const repo = /^\/v2\/(.+?)\/(manifests|blobs|tags|referrers)\//.exec(url.pathname)?.[1];
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (url.pathname !== '/v2/' && (!auth || !repo || tokens.get(auth) !== repo)) {
      res.writeHead(401, {
        'Content-Type': 'application/json',
        'WWW-Authenticate': `Bearer realm="http://${selfHost}/token",service="pic-test"${repo ? `,scope="repository:${repo}:pull"` : ''}`,
      });
      res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    if (url.pathname === '/v2/' && !auth) {
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${selfHost}/token",service="pic-test"` });
      res.end();
      return;
    }
    const headers = { ...req.headers, host: upstream };
    delete headers.authorization;
    const up = http.request(`http://${upstream}${url.pathname}${url.search}`, { method: req.method, headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
    });
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  selfHost = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host: selfHost,
    issued: () => issued,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
