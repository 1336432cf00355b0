import { describe, expect, it } from 'vitest';
import { isSha256Digest, parseImageReference, registryHostname } from './image-reference';

const D = `sha256:${'a'.repeat(64)}`;

function ok(s: string) {
  const r = parseImageReference(s);
  if (!r.ok) throw new Error(`expected ${s} to parse: ${r.reason}`);
  return r.ref;
}
function bad(s: string): string {
  const r = parseImageReference(s);
  if (r.ok) throw new Error(`expected ${s} to be refused`);
  return r.reason;
}

describe('parseImageReference', () => {
  it('normalises Docker Hub names', () => {
    expect(ok(`nginx@${D}`)).toMatchObject({ registry: 'docker.io', repository: 'library/nginx', name: 'docker.io/library/nginx', digest: D, tag: null });
    expect(ok('user/app:1.0')).toMatchObject({ registry: 'docker.io', repository: 'user/app', tag: '1.0', digest: null });
    expect(ok(`index.docker.io/library/busybox@${D}`).name).toBe('docker.io/library/busybox');
  });
  it('reads registry hosts with ports, localhost and IPv6', () => {
    expect(ok(`127.0.0.1:5000/demo/web@${D}`)).toMatchObject({ registry: '127.0.0.1:5000', repository: 'demo/web' });
    expect(ok(`localhost/x@${D}`)).toMatchObject({ registry: 'localhost', repository: 'x' });
    expect(ok(`[::1]:5000/a/b:t@${D}`)).toMatchObject({ registry: '[::1]:5000', repository: 'a/b', tag: 't' });
    expect(registryHostname('[::1]:5000')).toBe('::1');
    expect(registryHostname('127.0.0.1:5000')).toBe('127.0.0.1');
  });
  it('accepts repo:tag@digest, the digest governs', () => {
    expect(ok(`ghcr.io/o/r:v1@${D}`)).toMatchObject({ tag: 'v1', digest: D, repository: 'o/r' });
  });
  it('allows separators in path components', () => {
    expect(ok(`reg.example:443/a_b/c.d/e__f/g--h@${D}`).repository).toBe('a_b/c.d/e__f/g--h');
  });
  it('refuses malformed digests with a reason', () => {
    expect(bad(`a/b@sha256:${'A'.repeat(64)}`)).toMatch(/lowercase/);
    expect(bad(`a/b@sha256:${'a'.repeat(63)}`)).toMatch(/63 hex/);
    expect(bad(`a/b@sha512:${'a'.repeat(128)}`)).toMatch(/only sha256/);
    expect(bad(`a/b@sha256:${'g'.repeat(64)}`)).toMatch(/not hex/);
    expect(bad('a/b@')).toMatch(/not a digest/);
    expect(bad(`a/b@${D}@${D}`)).toMatch(/more than one/);
  });
  it('refuses malformed names with a reason', () => {
    expect(bad('')).toMatch(/empty/);
    expect(bad('Nginx')).toMatch(/lowercase/);
    expect(bad('a//b')).toMatch(/empty component/);
    expect(bad('https://reg/x')).toMatch(/scheme/);
    expect(bad('a b')).toMatch(/whitespace/);
    expect(bad('reg:99999/x')).toMatch(/port/);
    expect(bad('x:-bad')).toMatch(/tag/);
    expect(bad('-x')).toMatch(/grammar/);
    expect(bad(`${'a'.repeat(300)}`)).toMatch(/longer/);
  });
  it('refuses registry hosts a URL cannot name as written (they would break the registry client)', () => {
    for (const h of ['example.123', '256.1.1.1:5000', '1.2.3.4.5', '[1:2]', '[fe80::1%eth0]:5000', '127.1', '0x7f.0.0.1', '1.2.3.04']) {
      expect(bad(`${h}/x/y@${D}`), h).toMatch(/registry (host|port)/);
    }
    expect(bad(`[0:0:0:0:0:0:0:1]:5000/x@${D}`)).toMatch(/would be read as "\[::1\]"/);
    expect(ok(`Registry.Example.com:443/x@${D}`).registry).toBe('Registry.Example.com:443');
    expect(ok(`10.0.0.1:5000/x@${D}`).registry).toBe('10.0.0.1:5000');
    expect(ok(`xn--bcher-kva.example/x@${D}`).registry).toBe('xn--bcher-kva.example');
  });
  it('isSha256Digest', () => {
    expect(isSha256Digest(D)).toBe(true);
    expect(isSha256Digest(D.toUpperCase())).toBe(false);
  });
});
