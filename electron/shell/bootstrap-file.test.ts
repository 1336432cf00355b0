import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapHtml, writeBootstrapFile } from './bootstrap-file';

const parent = mkdtempSync(join(tmpdir(), 'pic-bootstrap-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('the bootstrap hand-over file', () => {
  it('is 0600 in a 0700 directory of its own, and carries the URL only in its content', () => {
    const url = 'http://127.0.0.1:4242/#token=abc_DEF-123';
    const file = writeBootstrapFile(url, parent);
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file.path)).mode & 0o777).toBe(0o700);
    expect(file.path).not.toContain('abc_DEF');
    expect(readFileSync(file.path, 'utf8')).toContain(`content="0;url=${url}"`);
    file.remove();
    expect(existsSync(dirname(file.path))).toBe(false);
    file.remove();
  });

  it('escapes the URL for an HTML attribute', () => {
    expect(bootstrapHtml('http://x/"><script>')).not.toContain('"><script>');
  });
});
