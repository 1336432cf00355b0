import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../scripts/testbed/built-cli';

// An independent check of the publishing script (issue 13): the repository it writes through its
// command line — threshold 2 root, a release, a timestamp-only bump, a root rotation — is verified
// by Debian's python3-securesystemslib over its own canonical JSON (scripts/testbed/tuf-verify.py),
// sharing no code with @tufjs/models. A changed `signed` part must fail the same check.
const SCRIPT = join(REPO_ROOT, 'scripts', 'tuf', 'publish-store.mjs');
const CHECK = join(REPO_ROOT, 'scripts', 'testbed', 'tuf-verify.py');
// Debian's interpreter: it is the one python3-securesystemslib is installed for.
const PYTHON = '/usr/bin/python3';

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => execFile(cmd, args, { timeout: 60_000 }, (e, stdout, stderr) => done({ code: e ? Number((e as { code?: number }).code ?? -1) : 0, stdout, stderr })));
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pic-tuf-pub-'));
  await writeFile(join(tmp, 'index.json'), JSON.stringify({ schemaVersion: 1, name: 'Published', services: [] }));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe.each(['ed25519', 'ecdsa'])('publish-store.mjs with %s keys, checked by securesystemslib', (keyType) => {
  it('every signature of every role verifies; root 2 is signed by root 1 as well; a changed signed part fails', async () => {
    const repo = join(tmp, `repo-${keyType}`);
    const keys = join(tmp, `keys-${keyType}`);
    const pub = (...a: string[]) => run(process.execPath, [SCRIPT, ...a, '--repo', repo, '--keys', keys]);
    for (const step of [
      ['init', '--key-type', keyType, '--threshold', 'root=2', '--consistent-snapshot'],
      ['publish', '--index', join(tmp, 'index.json')],
      ['timestamp'],
      ['rotate-root', '--key-type', keyType],
      ['publish', '--index', join(tmp, 'index.json'), '--expires', 'timestamp=1d'],
    ]) {
      const r = await pub(...step);
      expect(r.stderr, step.join(' ')).toBe('');
      expect(r.code).toBe(0);
    }
    const ok = await run(PYTHON, [CHECK, join(repo, 'metadata')]);
    expect(ok.stderr).toBe('');
    const sigs = JSON.parse(ok.stdout) as { file: string; keyid: string; valid: boolean }[];
    const count = (file: string) => sigs.filter((s) => s.file === file && s.valid).length;
    expect(sigs.every((s) => s.valid)).toBe(true);
    expect(count('1.root.json')).toBe(2);
    expect(count('2.root.json')).toBe(1);
    expect(count('2.root.json (by root 1)')).toBe(2);
    for (const role of ['targets.json', 'snapshot.json', 'timestamp.json']) expect(count(role)).toBe(1);
    const tampered = JSON.parse((await run(PYTHON, [CHECK, join(repo, 'metadata'), '--tamper'])).stdout) as { file: string; valid: boolean }[];
    expect(tampered.filter((s) => ['targets.json', 'snapshot.json', 'timestamp.json'].includes(s.file)).map((s) => s.valid)).toEqual([false, false, false]);
  });
});
