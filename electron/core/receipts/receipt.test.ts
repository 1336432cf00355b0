import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCoreError } from '../errors';
import { APP_VERSION } from '../app-info';
import { createReceipt } from './receipt';
import { exportReceipt, importReceiptFile, parseReceiptText, serializeReceipt } from './receipt-file';
import { validateReceipt } from './receipt-schema';
import { sampleReceipt } from '../../../scripts/testbed/sample-receipt';

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

  it('keeps a transparency-log refusal and each signature\'s log record through validation and export (DESIGN 2.8: log, index, time in receipts)', async () => {
    const r = sampleReceipt();
    const signatures = [
      { format: 'classic' as const, keyFingerprint: 'a'.repeat(64), identity: 'reg/x', problem: 'tlog-invalid' as const, tlog: { status: 'invalid' as const, log: 'https://log.example', logId: 'b'.repeat(64), index: 7, integratedTime: '2026-12-01T00:00:00.000Z', detail: 'the SET does not verify' } },
      { format: 'bundle' as const, keyFingerprint: 'a'.repeat(64), identity: 'reg/x', problem: 'tlog-missing' as const, tlog: { status: 'none' as const } },
    ];
    const withTlog = { ...r, verification: { ...r.verification!, reason: 'TLOG_ENTRY_INVALID' as const, signatures } };
    const v = validateReceipt(JSON.parse(JSON.stringify(withTlog)));
    expect(v.ok, JSON.stringify(!v.ok && v.problems)).toBe(true);
    if (!v.ok) return;
    const file = join(dir, 'tlog-receipt.json');
    await exportReceipt(file, v.receipt);
    expect(JSON.parse(await readFile(file, 'utf8')).verification.signatures).toEqual(signatures);
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

  it('export creates a NEW .json file only: never overwrites, follows no symlink, makes no directory', async () => {
    const r = sampleReceipt();
    const existing = join(dir, 'existing.json');
    await writeFile(existing, 'precious\n');
    await expect(exportReceipt(existing, r)).rejects.toMatchObject({ code: 'EXPORT_EXISTS' });
    expect(await readFile(existing, 'utf8')).toBe('precious\n');

    const target = join(dir, 'symlink-target.json');
    const link = join(dir, 'link.json');
    await symlink(target, link);
    await expect(exportReceipt(link, r)).rejects.toMatchObject({ code: 'EXPORT_EXISTS' });
    expect(existsSync(target)).toBe(false);

    const nested = join(dir, 'no-such-dir', 'r.json');
    await expect(exportReceipt(nested, r)).rejects.toMatchObject({ code: 'EXPORT_FAILED' });
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);

    for (const name of ['.bashrc', 'r.txt', 'r.json.sh', 'r']) {
      await expect(exportReceipt(join(dir, name), r)).rejects.toMatchObject({ code: 'EXPORT_NAME' });
      expect(existsSync(join(dir, name))).toBe(false);
    }
  });

  it('export writes only the fields of the receipt schema, whatever else the value carries', async () => {
    const r = sampleReceipt();
    const loaded = { ...r, payload: '#!/bin/sh\nrm -rf ~', service: { ...r.service, extra: 'x' }, verification: r.verification && { ...r.verification, checks: r.verification.checks.map((c) => ({ ...c, junk: 1 })) } } as Mutable;
    const v = validateReceipt(loaded);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const file = join(dir, 'known-only.json');
    await exportReceipt(file, v.receipt);
    const text = await readFile(file, 'utf8');
    expect(text).not.toMatch(/payload|extra|junk|rm -rf/);
    expect(JSON.parse(text)).toEqual(r);
    expect(text).toBe(serializeReceipt(r));
  });

  it('import never quotes the file: a JSON error names line and column only', async () => {
    const secret = join(dir, 'token.json');
    await writeFile(secret, 'ghp_SECRETTOKEN\n');
    const err = await importReceiptFile(secret).catch((e: unknown) => e);
    expect(isCoreError(err) && err.code).toBe('RECEIPT_INVALID');
    expect(String((err as Error).message)).toMatch(/is not valid JSON: unexpected token at line 1, column 1/);
    expect(String((err as Error).message)).not.toMatch(/SECRET|ghp/);
    expect(() => parseReceiptText('{"a": ghp_SECRET}', 'x.json')).toThrow(/x\.json is not valid JSON: unexpected token at line 1, column 7$/);
  });

  it('import refuses a FIFO (or any non-regular file) without opening it, so it cannot block', async () => {
    const fifo = join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    const t0 = performance.now();
    await expect(importReceiptFile(fifo)).rejects.toMatchObject({ code: 'RECEIPT_UNREADABLE', message: expect.stringMatching(/named pipe, not a regular file/) });
    expect(performance.now() - t0).toBeLessThan(2000);
    await expect(importReceiptFile('/dev/zero')).rejects.toMatchObject({ code: 'RECEIPT_UNREADABLE' });
    const big = join(dir, 'big.json');
    await writeFile(big, Buffer.alloc(4 * 1024 * 1024 + 1, 0x20));
    await expect(importReceiptFile(big)).rejects.toMatchObject({ code: 'RECEIPT_INVALID', message: expect.stringMatching(/more than the limit/) });
  });

  it('accepts a BOM at the start of an imported file', () => {
    const r = sampleReceipt();
    expect(parseReceiptText(`\uFEFF${serializeReceipt(r)}`)).toEqual(r);
  });
});
