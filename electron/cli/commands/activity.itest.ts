// `pic-store activity` through the built CLI, on a data directory seeded with real receipts.
import { appendFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../core/data-dir';
import { appendReceipt } from '../../core/receipts/activity-log';
import { sampleReceipt } from '../../../scripts/testbed/sample-receipt';
import { buildCli, runBuiltCli } from '../../../scripts/testbed/built-cli';

let home: string;

function picStore(args: string[], env: Record<string, string> = {}) {
  return runBuiltCli(args, { env: { ...process.env, PIC_STORE_HOME: home, ...env }, timeoutMs: 20_000 });
}

beforeAll(async () => {
  await buildCli();
  home = await mkdtemp(join(tmpdir(), 'pic-cli-activity-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('pic-store activity', () => {
  it('says so when there is no activity', async () => {
    const r = await picStore(['activity']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No activity recorded/);
    const j = await picStore(['activity', '--json']);
    expect(JSON.parse(j.stdout)).toMatchObject({ receipts: [], total: 0 });
  });

  it('lists receipts newest first, one line each, and as JSON', async () => {
    const log = dataPaths(home).activity;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = sampleReceipt(
        { service: { id: `svc-${i}`, name: `S${i}`, version: `1.${i}` }, outcome: i === 3 ? 'installed' : 'rejected' },
        { now: () => new Date(Date.UTC(2031, 4, 1, 12, 0, i)) },
      );
      ids.push(r.id);
      await appendReceipt(log, r);
    }
    const human = await picStore(['activity']);
    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^2031-05-01T12:00:04Z\s+install\s+svc-4 1\.4\s+→ home \(pic@cell\.example\)\s+rejected\s+Unsigned \(SIGNATURE_NOT_FOUND\)\s+mode enforce \(config\)/);
    expect(lines[0]).toContain(ids[4]);
    expect(lines[1]).toMatch(/svc-3 1\.3 .* installed /);

    const json = await picStore(['activity', '--json', '--limit', '2']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { receipts: { id: string; kind: string }[]; total: number };
    expect(doc.receipts.map((r) => r.id)).toEqual([ids[4], ids[3]]);
    expect(doc.receipts[0]!.kind).toBe('pic-store-receipt');
    expect(doc.total).toBe(5);

    const limited = await picStore(['activity', '--limit', '2']);
    expect(limited.stdout).toMatch(/3 older; use --offset 2/);
    const filtered = await picStore(['activity', '--json', '--outcome', 'installed']);
    expect((JSON.parse(filtered.stdout) as { receipts: { id: string }[] }).receipts.map((r) => r.id)).toEqual([ids[3]]);
  });

  it('explain takes the id activity prints; --export ID FILE writes that receipt to a new file (issue 17 item 9)', async () => {
    const listed = (await picStore(['activity', '--limit', '1'])).stdout.split('\n')[0]!.trim().split(/\s+/);
    const id = listed[listed.length - 1]!;
    const byId = await picStore(['explain', id]);
    expect(byId.code, byId.stderr).toBe(0);
    expect(byId.stdout).toContain('Verdict: Unsigned (SIGNATURE_NOT_FOUND)');
    const missing = await picStore(['explain', '0b5e7c1e-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no receipt with id "0b5e7c1e-0000-4000-8000-000000000000" in the activity log; "pic-store activity" lists the ids');

    const file = join(home, 'exported.json');
    const exported = await picStore(['activity', '--export', id, file]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(`Receipt ${id} written to ${file}.\n`);
    expect((JSON.parse(await readFile(file, 'utf8')) as { id: string }).id).toBe(id);
    // The exported file explains exactly as the id does.
    expect((await picStore(['explain', file])).stdout).toBe(byId.stdout);
    // An export never replaces a file, and needs exactly one FILE.
    const again = await picStore(['activity', '--export', id, file]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('already exists');
    expect((await picStore(['activity', '--export', id])).code).toBe(2);
  });

  it('skips a torn last line with a warning on stderr, stdout still one JSON document', async () => {
    await appendFile(dataPaths(home).activity, '{"kind":"pic-store-receipt","version":1,"id":"to');
    const r = await picStore(['activity', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { receipts: unknown[] }).receipts).toHaveLength(5);
    expect(r.stderr).toMatch(/warning: 1 line\(s\) .* skipped \(line 6: incomplete last line/);
  });

  it('usage errors exit 2; an unreadable log exits 3 with a JSON error', async () => {
    expect((await picStore(['activity', '--limit', 'ten'])).code).toBe(2);
    expect((await picStore(['activity', '--outcome', 'exploded'])).code).toBe(2);
    expect((await picStore(['activity', 'extra'])).code).toBe(2);
    const other = await mkdtemp(join(tmpdir(), 'pic-cli-activity-bad-'));
    try {
      await mkdir(join(other, 'activity.jsonl'));
      const r = await picStore(['activity', '--json'], { PIC_STORE_HOME: other });
      expect(r.code).toBe(3);
      expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'ACTIVITY_LOG_UNREADABLE', message: expect.stringMatching(/not a regular file/) } });
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
