import { describe, expect, it } from 'vitest';
import { ProcessError, runProcess } from './process-runner';

const node = process.execPath;

describe('runProcess', () => {
  it('streams output without breaking a multi-byte character split across chunks', async () => {
    // "é" is two bytes in UTF-8; the child writes them in two separate writes.
    const script = "process.stdout.write(Buffer.from([0x63,0x61,0x66,0xc3])); setTimeout(() => process.stdout.write(Buffer.from([0xa9,0x0a])), 50);";
    const chunks: string[] = [];
    const r = await runProcess(node, ['-e', script], { onOutput: (_s, t) => chunks.push(t) });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('café\n');
    expect(chunks.join('')).toBe('café\n');
    expect(chunks.some((c) => c.includes('\ufffd'))).toBe(false);
  });

  it('returns a non-zero exit as a result, not an error', async () => {
    const r = await runProcess(node, ['-e', 'process.stderr.write("no"); process.exit(4)']);
    expect(r).toMatchObject({ exitCode: 4, stderr: 'no' });
  });

  it('reports a missing program, a timeout and a cancel as typed errors', async () => {
    await expect(runProcess('/nonexistent/pic-store-no-such-program', [])).rejects.toMatchObject({ code: 'PROCESS_FAILED' });
    await expect(runProcess(node, ['-e', 'setTimeout(() => {}, 10000)'], { timeoutMs: 200 })).rejects.toMatchObject({ code: 'TIMEOUT', timedOut: true });
    const ac = new AbortController();
    const p = runProcess(node, ['-e', 'setTimeout(() => {}, 10000)'], { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProcessError);
    expect(e).toMatchObject({ code: 'CANCELLED', cancelled: true });
  });

  it('refuses output past the bound instead of buffering it', async () => {
    await expect(runProcess(node, ['-e', 'process.stdout.write("x".repeat(100000))'], { maxOutputBytes: 1000 })).rejects.toMatchObject({ code: 'PROCESS_FAILED' });
  });
});
