import { describe, expect, it } from 'vitest';
import { inspectRoot } from './root-file';

describe('inspectRoot', () => {
  it('refuses a file that is not JSON by position only, never quoting its bytes (any path can be typed as a root file)', () => {
    let caught: unknown;
    try {
      inspectRoot(Buffer.from('token=s3cr3t-value\n'), '/home/ada/.netrc');
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'STORE_METADATA_INVALID', message: expect.stringMatching(/^\/home\/ada\/\.netrc is not a TUF root: unexpected token at line 1, column \d+$/) });
    expect(String((caught as Error).message)).not.toContain('s3cr3t');
  });

  it('refuses JSON that is not a root', () => {
    expect(() => inspectRoot(Buffer.from('{"signed":{}}'), 'x.json')).toThrow(expect.objectContaining({ code: 'STORE_METADATA_INVALID', message: expect.stringContaining('x.json is not a valid self-signed TUF root') }));
  });
});
