import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellCsp, shellHtml } from './csp';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

const html = readFileSync(join(__dirname, '..', '..', 'renderer', 'index.html'), 'utf8');
const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';

describe('content security policy (DESIGN 3.1)', () => {
  for (const [name, policy] of [
    ['renderer/index.html meta', meta],
    ['shell header', shellCsp(4242)],
  ] as const) {
    it(`${name} is strict`, () => {
      const d = directives(policy);
      expect(d.get('default-src')).toEqual(["'none'"]);
      expect(d.get('script-src')).toEqual(["'self'"]);
      expect(d.get('style-src')).toEqual(["'self'"]);
      expect(d.get('img-src')).toEqual(["'self'", 'data:']);
      expect(d.get('font-src')).toEqual(["'self'"]);
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https?:\/\//);
      for (const values of d.values()) expect(values).not.toContain('*');
      // No wildcard port, nothing but 'none' (the built page) or one loopback WebSocket (the shell).
      for (const src of d.get('connect-src') ?? []) expect(src).toMatch(/^('none'|ws:\/\/127\.0\.0\.1:\d+)$/);
    });
  }

  it('the built page allows no connection at all (Electron needs none)', () => {
    expect(directives(meta).get('connect-src')).toEqual(["'none'"]);
  });

  it('the shell serves the page with connect-src rewritten to its own WebSocket, the same as its header, and nothing else changed', () => {
    const served = shellHtml(html, 4242);
    const servedMeta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(served)?.[1] ?? '';
    expect(directives(servedMeta).get('connect-src')).toEqual(['ws://127.0.0.1:4242']);
    expect(directives(servedMeta).get('connect-src')).toEqual(directives(shellCsp(4242)).get('connect-src'));
    expect(served.replace('ws://127.0.0.1:4242', "'none'")).toBe(html);
    // Only the CSP meta is touched: the same words elsewhere in a page stay as they are.
    const other = `<p>connect-src 'none'</p>${html}`;
    expect(shellHtml(other, 1).startsWith("<p>connect-src 'none'</p>")).toBe(true);
  });

  it('the header pins connect-src to the shell’s own port', () => {
    expect(directives(shellCsp(4242)).get('connect-src')).toEqual(['ws://127.0.0.1:4242']);
    expect(directives(shellCsp(4242)).get('frame-ancestors')).toEqual(["'none'"]);
  });
});
