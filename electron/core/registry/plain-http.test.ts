import { describe, expect, it } from 'vitest';
import { plainHttpAllowed, redirectRefusal, registryBaseUrl } from './plain-http';

// The plain-http decision of DESIGN 2.3, tested as the pure functions the registry client uses
// (a registry on a non-loopback address cannot be reached from this machine's tests).
describe('plain http decision (DESIGN 2.3)', () => {
  it('loopback registries are always plain http, listed or not', () => {
    for (const r of ['localhost:5000', '127.0.0.1:5000', '127.1.2.3', '[::1]:5000', 'LOCALHOST']) {
      expect(plainHttpAllowed(r), r).toBe(true);
      expect(registryBaseUrl(r).protocol, r).toBe('http:');
    }
  });

  it('a non-loopback registry the admin listed is plain http: by name:port (that port only) or by name (any port)', () => {
    expect(registryBaseUrl('images.lan:5000', ['images.lan:5000']).href).toBe('http://images.lan:5000/');
    expect(registryBaseUrl('images.lan:5001', ['images.lan:5000']).protocol).toBe('https:');
    expect(registryBaseUrl('Images.LAN:5001', ['images.lan']).protocol).toBe('http:');
    expect(registryBaseUrl('10.0.0.7:80', ['10.0.0.7:80']).protocol).toBe('http:');
  });

  it('an unlisted non-loopback registry is https only: its base is https and no redirect may take it to http', () => {
    for (const r of ['images.lan:5000', '10.0.0.7', 'docker.io', 'ghcr.io', '[fd00::1]:5000', '127.0.0.1.example.org', 'localhost.example.org']) {
      expect(plainHttpAllowed(r, ['other.lan:5000']), r).toBe(false);
      expect(registryBaseUrl(r, ['other.lan:5000']).protocol, r).toBe('https:');
    }
    expect(registryBaseUrl('docker.io').host).toBe('registry-1.docker.io');
    const from = new URL('https://images.lan:5000/v2/x/blobs/sha256:0');
    expect(redirectRefusal(from, new URL('http://images.lan:5000/blob'))).toMatch(/from https to plain http/);
    expect(redirectRefusal(from, new URL('http://cdn.lan/blob'), ['cdn.lan'])).toMatch(/from https to plain http/);
  });
});

describe('redirect check', () => {
  const listed = ['cdn.lan:8080'];
  it('https → https (any origin) and http → loopback or listed http are followed', () => {
    expect(redirectRefusal(new URL('https://r.lan/a'), new URL('https://cdn.example.org/b'))).toBeNull();
    expect(redirectRefusal(new URL('http://127.0.0.1:5000/a'), new URL('http://127.0.0.1:6000/b'))).toBeNull();
    expect(redirectRefusal(new URL('http://127.0.0.1:5000/a'), new URL('http://cdn.lan:8080/b'), listed)).toBeNull();
    expect(redirectRefusal(new URL('http://127.0.0.1:5000/a'), new URL('https://cdn.example.org/b'))).toBeNull();
  });

  it('https → http is refused even to loopback or a listed host; http → unlisted http and non-http schemes are refused', () => {
    expect(redirectRefusal(new URL('https://r.lan/a'), new URL('http://127.0.0.1:5000/b'))).toMatch(/from https to plain http/);
    expect(redirectRefusal(new URL('https://r.lan/a'), new URL('http://cdn.lan:8080/b'), listed)).toMatch(/from https to plain http/);
    expect(redirectRefusal(new URL('http://127.0.0.1:5000/a'), new URL('http://cdn.lan:8081/b'), listed)).toMatch(/not loopback or an allowed host/);
    expect(redirectRefusal(new URL('http://127.0.0.1:5000/a'), new URL('file:///etc/passwd'))).toMatch(/file: URL; refused/);
    expect(redirectRefusal(new URL('http://127.0.0.1:5000/a'), new URL('ftp://127.0.0.1/b'))).toMatch(/ftp: URL; refused/);
  });
});
