import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../scripts/testbed/electron-fake'));

const { APP_CSP, appProtocolHandler, registerAppScheme, serveAppProtocol } = await import('./app-protocol');
const fake = await import('../../scripts/testbed/electron-fake');

const tmp = mkdtempSync(join(tmpdir(), 'pic-app-protocol-'));
const rendererDir = join(tmp, 'renderer');
const html = readFileSync(join(__dirname, '..', '..', 'renderer', 'index.html'), 'utf8');

beforeAll(() => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), html);
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmp, 'secret.txt'), 'SECRET');
  symlinkSync(join(tmp, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const serve = appProtocolHandler(rendererDir);
const get = (url: string, method = 'GET') => serve(new Request(url, { method }));

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([n, ...v]) => [n as string, v]));
}

describe('the app:// protocol (checklist #18)', () => {
  it('serves the built files with the CSP as a header, the same policy as the page meta plus frame-ancestors', async () => {
    const page = await get('app://pic-store/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(await page.text()).toBe(html);
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    const header = directives(APP_CSP);
    expect(header.get('frame-ancestors')).toEqual(["'none'"]);
    header.delete('frame-ancestors');
    expect(header).toEqual(directives(meta));
    const js = await get('app://pic-store/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    const head = await get('app://pic-store/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('serves nothing outside dist/renderer and nothing for another host or method', async () => {
    for (const url of [
      'app://pic-store/../secret.txt',
      'app://pic-store/%2e%2e/secret.txt',
      'app://pic-store/assets/..%2f..%2fsecret.txt',
      'app://pic-store/assets/link.txt',
      'app://pic-store/missing.js',
      'app://pic-store/assets',
      'app://other/index.html',
    ]) {
      const r = await get(url);
      expect(r.status, url).toBe(404);
      expect(await r.text()).not.toContain('SECRET');
      expect(r.headers.get('content-security-policy')).toBe(APP_CSP);
    }
    expect((await get('app://pic-store/index.html', 'POST')).status).toBe(405);
  });

  it('registers app as a standard, secure scheme without CSP bypass, and handles it', () => {
    fake.protocol.privileged.length = 0;
    fake.app.ready = false;
    registerAppScheme();
    expect(fake.protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, bypassCSP: false, allowServiceWorkers: false, stream: false } },
    ]);
    fake.app.ready = true;
    serveAppProtocol(rendererDir);
    expect(fake.protocol.handlers.has('app')).toBe(true);
  });
});
