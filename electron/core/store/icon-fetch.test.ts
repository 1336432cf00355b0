import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../errors';
import { fetchIconAsDataUrl, MAX_ICON_BYTES, MAX_SCREENSHOT_BYTES, sniffIconType } from './icon-fetch';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-and-the-rest')]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x10, 0, 0, 0]), Buffer.from('WEBPVP8 data')]);
const SVG = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A loopback server whose routes each test sets; it counts the requests each path received. */
function startServer(): Promise<{ server: Server; base: string; routes: Map<string, Handler>; hits: Map<string, number> }> {
  const routes = new Map<string, Handler>();
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const h = routes.get(path);
    if (h) h(req, res);
    else res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, routes, hits })));
}

let srv: Awaited<ReturnType<typeof startServer>>;
let other: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  srv = await startServer();
  other = await startServer();
});
afterAll(async () => {
  await Promise.all([srv, other].map((s) => new Promise<void>((r) => (s ? s.server.close(() => r()) : r()))));
});
beforeEach(() => {
  for (const s of [srv, other]) {
    s.routes.clear();
    s.hits.clear();
  }
});

const serve = (body: Buffer, contentType: string, status = 200): Handler => (_req, res) => {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length }).end(body);
};

async function refusal(p: Promise<unknown>): Promise<CoreError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    return e as CoreError;
  }
  throw new Error('expected the icon to be refused');
}

const loopback = { allowLoopbackHttp: true, timeoutMs: 5000 };

describe('fetchIconAsDataUrl', () => {
  it('hands PNG, WebP and SVG over as data: URLs of exactly the bytes served', async () => {
    srv.routes.set('/a.png', serve(PNG, 'image/png'));
    srv.routes.set('/b.webp', serve(WEBP, 'image/webp'));
    srv.routes.set('/c.svg', serve(SVG, 'image/svg+xml'));
    expect(await fetchIconAsDataUrl(`${srv.base}/a.png`, loopback)).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    expect(await fetchIconAsDataUrl(`${srv.base}/b.webp`, loopback)).toBe(`data:image/webp;base64,${WEBP.toString('base64')}`);
    const svg = await fetchIconAsDataUrl(`${srv.base}/c.svg`, loopback);
    expect(svg.startsWith('data:image/svg+xml;base64,')).toBe(true);
    expect(Buffer.from(svg.slice(svg.indexOf(',') + 1), 'base64').equals(SVG)).toBe(true);
  });

  it('judges the type from the bytes: HTML labelled image/png is refused, a PNG labelled text/plain is accepted as PNG', async () => {
    srv.routes.set('/lie.png', serve(Buffer.from('<html><script>alert(1)</script></html>'), 'image/png'));
    srv.routes.set('/plain', serve(PNG, 'text/plain'));
    srv.routes.set('/gif', serve(Buffer.from('GIF89a\x01\x00\x01\x00'), 'image/gif'));
    const lie = await refusal(fetchIconAsDataUrl(`${srv.base}/lie.png`, loopback));
    expect(lie.code).toBe('ICON_REFUSED');
    expect(lie.message).toContain('not a PNG, WebP or SVG');
    expect((await refusal(fetchIconAsDataUrl(`${srv.base}/gif`, loopback))).code).toBe('ICON_REFUSED');
    expect(await fetchIconAsDataUrl(`${srv.base}/plain`, loopback)).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
  });

  it('refuses an icon over the size limit, whether announced or streamed without a length', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_ICON_BYTES)]);
    srv.routes.set('/big.png', serve(big, 'image/png'));
    srv.routes.set('/chunked.png', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'image/png' });
      res.write(PNG);
      res.end(Buffer.alloc(2048));
    });
    const announced = await refusal(fetchIconAsDataUrl(`${srv.base}/big.png`, loopback));
    expect(announced.code).toBe('ICON_UNAVAILABLE');
    expect(announced.message).toMatch(/limit/);
    // A smaller limit, so the chunked body (no Content-Length) crosses it while streaming.
    const streamed = await refusal(fetchIconAsDataUrl(`${srv.base}/chunked.png`, { ...loopback, maxBytes: 1024 }));
    expect(streamed.code).toBe('ICON_UNAVAILABLE');
    expect(streamed.message).toMatch(/more than 1024 bytes/);
    // Exactly at the limit is fine.
    srv.routes.set('/edge.png', serve(Buffer.concat([PNG, Buffer.alloc(1024 - PNG.length)]), 'image/png'));
    expect(await fetchIconAsDataUrl(`${srv.base}/edge.png`, { ...loopback, maxBytes: 1024 })).toMatch(/^data:image\/png;base64,/);
  });

  it('follows no redirect: not to another scheme, not even to another loopback server', async () => {
    other.routes.set('/icon.png', serve(PNG, 'image/png'));
    for (const [path, location] of [
      ['/to-file', 'file:///etc/passwd'],
      ['/to-data', `data:image/png;base64,${PNG.toString('base64')}`],
      ['/to-ftp', 'ftp://127.0.0.1/icon.png'],
      ['/to-other', `${other.base}/icon.png`],
    ] as const) {
      srv.routes.set(path, (_req, res) => res.writeHead(302, { Location: location }).end());
      const err = await refusal(fetchIconAsDataUrl(`${srv.base}${path}`, loopback));
      expect(err.code, path).toBe('ICON_UNAVAILABLE');
      expect(err.message, path).toContain('HTTP 302');
      expect(err.message, path).toContain('redirects are not followed');
    }
    expect(other.hits.get('/icon.png') ?? 0).toBe(0);
  });

  it('refuses other schemes and credentials before any request is made', async () => {
    srv.routes.set('/a.png', serve(PNG, 'image/png'));
    const plain = await refusal(fetchIconAsDataUrl(`${srv.base}/a.png`));
    expect(plain.code).toBe('ICON_REFUSED');
    expect(plain.message).toContain('only over https');
    expect((await refusal(fetchIconAsDataUrl('http://example.org/a.png', loopback))).code).toBe('ICON_REFUSED');
    expect((await refusal(fetchIconAsDataUrl('file:///etc/hostname', loopback))).code).toBe('ICON_REFUSED');
    expect((await refusal(fetchIconAsDataUrl(`data:image/png;base64,${PNG.toString('base64')}`, loopback))).code).toBe('ICON_REFUSED');
    expect((await refusal(fetchIconAsDataUrl('javascript:alert(1)', loopback))).code).toBe('ICON_REFUSED');
    expect((await refusal(fetchIconAsDataUrl('not a url', loopback))).code).toBe('ICON_REFUSED');
    const creds = srv.base.replace('http://', 'http://user:pw@');
    expect((await refusal(fetchIconAsDataUrl(`${creds}/a.png`, loopback))).message).toContain('credentials');
    expect(srv.hits.get('/a.png') ?? 0).toBe(0);
  });

  it('reports an error status and an unreachable server as unavailable', async () => {
    srv.routes.set('/gone.png', serve(Buffer.from('nope'), 'text/plain', 404));
    const gone = await refusal(fetchIconAsDataUrl(`${srv.base}/gone.png`, loopback));
    expect(gone.code).toBe('ICON_UNAVAILABLE');
    expect(gone.message).toContain('HTTP 404');
    // A port nothing listens on: take one from a server and close it.
    const tmp = createServer();
    const port = await new Promise<number>((r) => tmp.listen(0, '127.0.0.1', () => r((tmp.address() as AddressInfo).port)));
    await new Promise<void>((r) => tmp.close(() => r()));
    expect((await refusal(fetchIconAsDataUrl(`http://127.0.0.1:${port}/a.png`, loopback))).code).toBe('ICON_UNAVAILABLE');
  });
});

describe('fetchIconAsDataUrl for screenshots (DESIGN 2.1)', () => {
  it('takes PNG and WebP, refuses SVG, and has its own byte limit', async () => {
    srv.routes.set('/s.png', serve(PNG, 'image/png'));
    srv.routes.set('/s.webp', serve(WEBP, 'image/webp'));
    srv.routes.set('/s.svg', serve(SVG, 'image/svg+xml'));
    const shot = { ...loopback, kind: 'screenshot' as const };
    expect(await fetchIconAsDataUrl(`${srv.base}/s.png`, shot)).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    expect(await fetchIconAsDataUrl(`${srv.base}/s.webp`, shot)).toBe(`data:image/webp;base64,${WEBP.toString('base64')}`);
    const svg = await refusal(fetchIconAsDataUrl(`${srv.base}/s.svg`, shot));
    expect(svg).toMatchObject({ code: 'ICON_REFUSED', message: 'the screenshot is not a PNG or WebP image' });
    // Bigger than an icon may be, within a screenshot's limit.
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_ICON_BYTES)]);
    srv.routes.set('/big.png', serve(big, 'image/png'));
    expect(await fetchIconAsDataUrl(`${srv.base}/big.png`, shot)).toBe(`data:image/png;base64,${big.toString('base64')}`);
    const huge = Buffer.concat([PNG, Buffer.alloc(MAX_SCREENSHOT_BYTES)]);
    srv.routes.set('/huge.png', serve(huge, 'image/png'));
    expect((await refusal(fetchIconAsDataUrl(`${srv.base}/huge.png`, shot))).code).toBe('ICON_UNAVAILABLE');
    expect((await refusal(fetchIconAsDataUrl('http://example.org/s.png', shot))).message).toBe('screenshots are fetched only over https (this one is http:)');
  });
});

describe('sniffIconType', () => {
  it('recognises the three allowed types and nothing else', () => {
    expect(sniffIconType(PNG)).toBe('image/png');
    expect(sniffIconType(WEBP)).toBe('image/webp');
    expect(sniffIconType(SVG)).toBe('image/svg+xml');
    expect(sniffIconType(Buffer.from('\uFEFF<!-- c -->\n<svg viewBox="0 0 1 1"></svg>'))).toBe('image/svg+xml');
    expect(sniffIconType(Buffer.from('<html><svg></svg></html>'))).toBeNull();
    expect(sniffIconType(Buffer.from('RIFF\0\0\0\0WAVE'))).toBeNull();
    expect(sniffIconType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBeNull();
    expect(sniffIconType(Buffer.alloc(0))).toBeNull();
  });
});
