import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistrySource } from './registry-source';

// The registry client's transport against fake loopback servers: redirects (a real https hop
// with a self-signed certificate made at run time), keep-alive reuse and the concurrency bound.
const BLOB = Buffer.from('a blob the fake registry serves');
const DIGEST = `sha256:${createHash('sha256').update(BLOB).digest('hex')}`;
const servers: (http.Server | https.Server)[] = [];
let tmp: string;
let cert: Buffer;
let key: Buffer;

function listen<S extends http.Server | https.Server>(s: S): Promise<number> {
  servers.push(s);
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pic-reg-transport-'));
  await new Promise<void>((res, rej) =>
    execFile('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(tmp, 'key.pem'), '-out', join(tmp, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], (e) => (e ? rej(e) : res())),
  );
  [cert, key] = await Promise.all([readFile(join(tmp, 'cert.pem')), readFile(join(tmp, 'key.pem'))]);
});

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('redirects', () => {
  it('http → https is followed, https → http is refused and the http target is never asked, even on loopback', async () => {
    let plainAsked = 0;
    const plainPort = await listen(http.createServer((_q, r) => { plainAsked++; r.end(BLOB); }));
    let tlsAsked = 0;
    const tlsPort = await listen(https.createServer({ cert, key }, (q, r) => {
      tlsAsked++;
      if (q.url?.startsWith('/ok/')) r.end(BLOB);
      else r.writeHead(307, { Location: `http://127.0.0.1:${plainPort}${q.url}` }).end();
    }));
    const startPort = await listen(http.createServer((q, r) => {
      const path = q.url!.includes('/good/') ? `/ok${q.url}` : q.url;
      r.writeHead(302, { Location: `https://127.0.0.1:${tlsPort}${path}` }).end();
    }));
    const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true, ca: cert }) };
    const src = new RegistrySource({ registry: `127.0.0.1:${startPort}`, agents, timeoutMs: 5000 });
    try {
      expect(await src.getBlob('x/good', DIGEST, 1024)).toEqual(BLOB);
      await expect(src.getBlob('x/bad', DIGEST, 1024)).rejects.toMatchObject({ kind: 'unreachable', message: expect.stringMatching(/from https to plain http/) });
      expect(tlsAsked).toBe(2);
      expect(plainAsked).toBe(0);
    } finally {
      agents.http.destroy();
      agents.https.destroy();
    }
  });
});

describe('connections', () => {
  it('keep-alive: several requests one after another share one socket', async () => {
    let sockets = 0;
    let requests = 0;
    const s = http.createServer((_q, r) => { requests++; r.end(BLOB); });
    s.on('connection', () => sockets++);
    const port = await listen(s);
    const src = new RegistrySource({ registry: `127.0.0.1:${port}`, timeoutMs: 5000 });
    try {
      for (let i = 0; i < 6; i++) expect(await src.getBlob(`x/r${i}`, DIGEST, 1024)).toEqual(BLOB);
      expect(requests).toBe(6);
      expect(sockets).toBe(1);
    } finally {
      src.close();
    }
  });

  it('never more than maxConcurrency requests in flight, and the bound is used', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let requests = 0;
    const port = await listen(http.createServer((_q, r) => {
      requests++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => { inFlight--; r.end(BLOB); }, 15 + (requests % 3) * 5);
    }));
    const src = new RegistrySource({ registry: `127.0.0.1:${port}`, maxConcurrency: 3, timeoutMs: 5000 });
    try {
      const all = await Promise.all(Array.from({ length: 24 }, (_, i) => src.getBlob(`x/c${i}`, DIGEST, 1024)));
      expect(all.every((b) => b?.equals(BLOB))).toBe(true);
      expect(requests).toBe(24);
      expect(maxInFlight).toBe(3);
    } finally {
      src.close();
    }
  });
});
