import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCoreError } from '../errors';
import { APP_VERSION } from '../app-info';
import { createReceipt } from './receipt';
import { exportReceipt, importReceiptFile, parseReceiptText, serializeReceipt } from './receipt-file';
import { validateReceipt } from './receipt-schema';
import { sampleReceipt } from './sample-receipt';

// A receipt loosened for deliberate corruption in tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = Record<string, any>;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pic-receipt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createReceipt', () => {
  it('fills the envelope: kind, version, a random id, ISO time, app version', () => {
    const a = sampleReceipt();
    const b = sampleReceipt();
    expect(a.kind).toBe('pic-store-receipt');
    expect(a.version).toBe(1);
    expect(a.app.version).toBe(APP_VERSION);
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.id).not.toBe(b.id);
    expect(new Date(a.at).toISOString()).toBe(a.at);
  });

  it('uses an injected clock and id source', () => {
    const r = sampleReceipt({}, { now: () => new Date('2030-01-02T03:04:05.000Z'), newId: () => 'fixed-id' });
    expect(r.at).toBe('2030-01-02T03:04:05.000Z');
    expect(r.id).toBe('fixed-id');
  });

  it('keeps exactly the DESIGN 2.5 top-level fields', () => {
    const r = createReceipt({
      action: 'uninstall',
      store: null,
      service: { id: 'x', name: 'X', version: '1' },
      cell: { name: 'c', destination: 'c', root: '/opt/pic' },
      image: 'r/x@sha256:' + '0'.repeat(64),
      digest: 'sha256:' + '0'.repeat(64),
      verification: null,
      cellVerification: null,
      mode: null,
      decision: null,
      outcome: 'uninstalled',
      error: null,
    });
    expect(Object.keys(r)).toEqual([
      'kind', 'version', 'id', 'at', 'action', 'app', 'store', 'service', 'cell', 'image', 'digest',
      'verification', 'cellVerification', 'mode', 'decision', 'outcome', 'error',
    ]);
    expect(validateReceipt(r).ok).toBe(true);
  });
});

describe('validateReceipt', () => {
  it('accepts a real receipt and keeps unknown extra fields (round-trip unchanged)', () => {
    const r = { ...sampleReceipt(), futureField: { a: 1 } };
    const v = validateReceipt(JSON.parse(JSON.stringify(r)));
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.receipt).toEqual(r);
  });

  it('names each problem by JSON pointer with a clear message', () => {
    const r = JSON.parse(JSON.stringify(sampleReceipt())) as Mutable;
    r.kind = 'something-else';
    r.digest = 'sha256:XYZ';
    r.verification.checks[0].id = 'made-up';
    r.mode.value = 'Enforce';
    const v = validateReceipt(r);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    const byPath = Object.fromEntries(v.problems.map((p) => [p.path, p.message]));
    expect(byPath['/kind']).toMatch(/not a PIC Store receipt/);
    expect(byPath['/digest']).toMatch(/sha256/);
    expect(Object.keys(byPath)).toContain('/verification/checks/0/id');
    expect(Object.keys(byPath)).toContain('/mode/value');
  });

  it('rejects an unsupported version and oversized strings', () => {
    const r = JSON.parse(JSON.stringify(sampleReceipt())) as Mutable;
    r.version = 2;
    r.cellVerification.output = 'x'.repeat(300 * 1024);
    const v = validateReceipt(r);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['/version', '/cellVerification/output']));
    expect(v.problems.find((p) => p.path === '/version')?.message).toMatch(/unsupported/);
  });

  it('rejects non-objects', () => {
    for (const bad of [null, 42, 'receipt', []]) expect(validateReceipt(bad).ok).toBe(false);
  });
});

describe('export / import', () => {
  it('round-trips a receipt byte for byte', async () => {
    const r = sampleReceipt();
    const file = join(dir, 'r.json');
    await exportReceipt(file, r);
    const text = await readFile(file, 'utf8');
    expect(text).toBe(serializeReceipt(r));
    const back = await importReceiptFile(file);
    expect(back).toEqual(r);
    expect(serializeReceipt(back)).toBe(text);
  });

  it('refuses invalid JSON, invalid receipts and missing files with clear errors', async () => {
    expect(() => parseReceiptText('{not json', 'upload.json')).toThrow(/upload\.json is not valid JSON/);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ ...sampleReceipt(), outcome: 'exploded' }));
    await expect(importReceiptFile(bad)).rejects.toThrow(/\/outcome/);
    try {
      await importReceiptFile(bad);
    } catch (e) {
      expect(isCoreError(e) && e.code).toBe('RECEIPT_INVALID');
    }
    await expect(importReceiptFile(join(dir, 'missing.json'))).rejects.toThrow(/cannot read/);
    await expect(importReceiptFile(dir)).rejects.toThrow(/not a regular file/);
  });

  it('accepts a BOM at the start of an imported file', () => {
    const r = sampleReceipt();
    expect(parseReceiptText(`\uFEFF${serializeReceipt(r)}`)).toEqual(r);
  });
});
