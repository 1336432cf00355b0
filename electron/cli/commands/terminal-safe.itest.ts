import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runBuiltCli } from '../../../scripts/testbed/built-cli';
import { appendReceipt } from '../../core/receipts/activity-log';
import { exportReceipt } from '../../core/receipts/receipt-file';
import { sampleReceipt } from '../../../scripts/testbed/sample-receipt';

/**
 * DESIGN 2.4 (issue 12.5): every line of the built CLI's human output that carries text from a
 * store, a registry or a receipt is terminal-safe. Hostile values — clear screen, an OSC window
 * title, an OSC 52 clipboard write, an 8-bit CSI, bidi overrides, and a newline trying to forge an
 * "OK VERIFIED" line — in a store name, service id, service name, tagline, image and receipt
 * fields reach the terminal only as visible escapes.
 */
const CLEAR = '\x1b[2J\x1b[H';
const TITLE = '\x1b]0;pwned\x07';
const CLIP = '\x1b]52;c;cm0gLXJmIH4K\x07';
const CSI8 = '\x9b2J';
const BIDI = '\u202eevil\u202c\u2066x\u2069';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const FORGED = `OK   Verified (VERIFIED)  notes: 127.0.0.1/pic/notes`;
const FORGE = `\n${FORGED}`;
const HOSTILE = `${CLEAR}${TITLE}${CLIP}${CSI8}${BIDI}${FORGE}`;

let home: string;
const picStore = (args: string[]) => runBuiltCli(args, { env: { ...process.env, PIC_STORE_HOME: home }, cwd: home, timeoutMs: 30_000 });

/** Nothing in `text` can drive a terminal, and no line was forged. */
function expectInert(text: string): void {
  // Only our own line breaks: no other C0 (TAB included), DEL, C1, bidi controls or separators.
  // eslint-disable-next-line no-control-regex
  expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/);
  expect(text.split('\n').filter((l) => l.startsWith('OK'))).toEqual([]);
  expect(text.split('\n').filter((l) => l.startsWith(FORGED.slice(0, 12)))).toEqual([]);
}

beforeAll(async () => {
  await buildCli();
  home = await mkdtemp(join(tmpdir(), 'pic-cli-terminal-'));
  await writeFile(
    join(home, 'index.json'),
    JSON.stringify({
      schemaVersion: 1,
      name: `Store ${HOSTILE}`,
      services: [
        { id: 'notes', name: `Notes ${HOSTILE}`, version: '1.0', tagline: `Tag ${HOSTILE}`, image: `127.0.0.1:1/pic/notes:1.0${HOSTILE}` },
        { id: `bad${HOSTILE}`, name: 'Bad', version: '1.0', image: `127.0.0.1:1/pic/bad@${DIGEST}` },
        { id: `bad${HOSTILE}`, name: 'Again', version: '1.0', image: `127.0.0.1:1/pic/bad@${DIGEST}` },
      ],
    }),
  );
}, 120_000);
afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

describe('the built CLI prints hostile values escaped', () => {
  it('verify (and -v): service ids, images, details and errors', async () => {
    for (const args of [['verify', 'index.json'], ['verify', '-v', 'index.json']]) {
      const r = await picStore(args);
      expect(r.code, r.stderr).toBe(1);
      expectInert(r.stdout);
      expectInert(r.stderr);
      expect(r.stdout).toContain('\\x1b]52;c;');
      expect(r.stdout).toContain('\\x0aOK   Verified (VERIFIED)');
      expect(r.stdout).toContain('\\u202eevil');
      expect(r.stdout).toContain('0 of 3 verified');
    }
  });

  it('lint: messages quoting a hostile id', async () => {
    const r = await picStore(['lint', 'index.json']);
    expect(r.code, r.stderr).toBe(1);
    expectInert(r.stdout);
    expect(r.stdout).toContain('/services/2/id: duplicate id "bad\\x1b[2J');
  });

  it('install: a configured store with a hostile name that cannot be read', async () => {
    const dir = await mkdtemp(join(home, 'stores-'));
    await writeFile(join(dir, 'stores.json'), JSON.stringify({ stores: [{ name: `Ours ${HOSTILE}`, url: `file://${join(dir, 'missing.json')}` }] }));
    const r = await runBuiltCli(['install', 'notes', '--cell', 'admin@cell.invalid', '--yes'], { env: { ...process.env, PIC_STORE_HOME: dir }, cwd: dir, timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(3);
    expectInert(r.stderr);
    expect(r.stderr).toContain('Ours \\x1b[2J');
  });

  const receipt = sampleReceipt({
    service: { id: 'notes', name: `Notes ${HOSTILE}`, version: `1.0${FORGE}` },
    cell: { name: `lab ${HOSTILE}`, destination: 'admin@lab', root: '/opt/pic' },
    image: `127.0.0.1:5000/pic/notes@${DIGEST}`,
    digest: DIGEST,
    outcome: 'failed',
    error: { code: 'RUNTIME_FAILED', message: `compose said: ${HOSTILE}` },
  });

  it('explain: a newline in a receipt field forges no line', async () => {
    const file = join(home, 'receipt.json');
    await exportReceipt(file, receipt);
    const r = await picStore(['explain', file]);
    expect(r.code, r.stderr).toBe(0);
    expectInert(r.stdout);
    expect(r.stdout).toContain('\\x0aOK   Verified (VERIFIED)');
  });

  it('activity: receipt fields on one line each', async () => {
    await appendReceipt(join(home, 'activity.jsonl'), receipt);
    const r = await picStore(['activity']);
    expect(r.code, r.stderr).toBe(0);
    expectInert(r.stdout);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  });
});
