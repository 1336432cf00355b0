import { describe, expect, it } from 'vitest';
import { cellWebHost, isAllowedOpenUrl, openTarget } from './open-address';

const ports = (...p: [number, 'tcp' | 'udp'][]) => ({ ports: p.map(([host, protocol]) => ({ host, container: 80, protocol })) });

describe('Open: the address of an installed service', () => {
  it('is the profile host and the first tcp port; none without a tcp port', () => {
    expect(openTarget('admin@cell.lan', ports([5353, 'udp'], [8080, 'tcp'], [9090, 'tcp']))).toEqual({ url: 'http://cell.lan:8080/', host: 'cell.lan', port: 8080 });
    expect(openTarget('pi@[fd00::1]', ports([8080, 'tcp']))?.url).toBe('http://[fd00::1]:8080/');
    expect(openTarget('alias', ports([8080, 'tcp']), '192.168.1.20')?.url).toBe('http://192.168.1.20:8080/');
    expect(openTarget('cell.lan', ports([5353, 'udp']))).toBeNull();
    expect(openTarget('cell.lan', null)).toBeNull();
    expect(cellWebHost('x@bad host')).toBeNull();
  });
  it('main opens only http to a configured cell host and a published port', () => {
    const targets = [openTarget('admin@cell.lan', ports([8080, 'tcp']))!];
    expect(isAllowedOpenUrl('http://cell.lan:8080/', targets)).toBe(true);
    expect(isAllowedOpenUrl('http://CELL.lan:8080/x', targets)).toBe(true);
    for (const bad of ['https://cell.lan:8080/', 'http://cell.lan:8081/', 'http://other.lan:8080/', 'http://u:p@cell.lan:8080/', 'http://cell.lan/', 'file:///etc/passwd', 'nonsense']) {
      expect(isAllowedOpenUrl(bad, targets), bad).toBe(false);
    }
  });
});
