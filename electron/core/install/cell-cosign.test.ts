import { describe, expect, it } from 'vitest';
import { cellCosignArgv } from './cell-cosign';

const D = `sha256:${'a'.repeat(64)}`;

describe('the cell-side cosign check', () => {
  it('verifies under the cell key with the tlog ignored, the image by digest', () => {
    expect(cellCosignArgv('/opt/pic', `images.example:443/a/b@${D}`)).toEqual([
      'cosign', 'verify', '--key', '/opt/pic/config/cosign/cosign.pub', '--insecure-ignore-tlog=true', `images.example:443/a/b@${D}`,
    ]);
  });

  it('allows plain http only where the app does: loopback, or a registry the admin listed', () => {
    expect(cellCosignArgv('/opt/pic', `127.0.0.1:5000/a@${D}`)).toContain('--allow-http-registry');
    expect(cellCosignArgv('/opt/pic', `images.lan:5000/a@${D}`)).not.toContain('--allow-http-registry');
    expect(cellCosignArgv('/opt/pic', `images.lan:5000/a@${D}`, ['images.lan:5000'])).toContain('--allow-http-registry');
    expect(cellCosignArgv('/opt/pic', `images.lan:5000/a@${D}`, ['images.lan:6000'])).not.toContain('--allow-http-registry');
  });
});
