import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adHocProfile } from './profiles';
import { buildStatus } from './status';
import { parseStatusReport, statusScript } from './status-script';

// The status script is plain POSIX sh: run it with the local /bin/sh against a temp PIC root, so
// the framing, bounds and encodings are tested without ssh (the itests do the same over sshd).
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "pic root 'q' "));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function run(r: string) {
  return execFileSync('/bin/sh', ['-s'], { input: statusScript(r), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

describe('status script + report', () => {
  it('reports an empty root as absent config and key', () => {
    const recs = parseStatusReport(run(join(root, 'nothing-here')));
    const st = buildStatus(adHocProfile({ destination: 'x', root: join(root, 'nothing-here') }), recs, { keys: [], problems: [] });
    expect(st.rootExists).toBe(false);
    expect(st.mode).toMatchObject({ value: 'enforce', source: 'default' });
    expect(st.cellKey).toBeNull();
    expect(st.banner).toMatch(/^enforce — default .*non-default.*no PIC root/);
  });

  it('carries bytes intact (BOM, newlines in names) and reads receipts and the key', async () => {
    await mkdir(join(root, 'config/api'), { recursive: true });
    await mkdir(join(root, 'config/cosign'), { recursive: true });
    await writeFile(join(root, 'config/api/cell_config.json'), Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]));
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await writeFile(join(root, 'config/cosign/cosign.pub'), pem);
    const fp = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
    const digest = `sha256:${'a'.repeat(64)}`;
    await mkdir(join(root, 'services/web'), { recursive: true });
    const signer = 'b'.repeat(64);
    const verification = { signatures: [{ keyFingerprint: signer }, { keyFingerprint: signer }, { keyFingerprint: 'c'.repeat(64), problem: 'digest-mismatch' }, { keyFingerprint: null }] };
    const store = { name: 'Team store', url: 'https://store.example/index.json' };
    await writeFile(join(root, 'services/web/receipt.json'), JSON.stringify({ service: { id: 'web', name: 'Web', version: '1.2' }, image: 'reg.example:5000/team/web:1.2', digest, store, verification }));
    await writeFile(join(root, 'services/web/manifest.json'), JSON.stringify({ id: 'web', ports: [{ container: 80, host: 8080 }, { container: 0, host: 1 }], volumes: [{ name: 'data', path: '/d' }], environment: { A: 'x', 'bad name': 'y' } }));
    await mkdir(join(root, 'services/bad\nname'), { recursive: true });
    await mkdir(join(root, 'services/noreceipt'), { recursive: true });
    const recs = parseStatusReport(run(root));
    const st = buildStatus(adHocProfile({ destination: 'x', root }), recs, { keys: [{ fingerprint: fp } as never], problems: [] });
    expect(st.mode).toMatchObject({ source: 'fail-closed' });
    expect(st.mode.detail).toMatch(/byte-order mark/);
    expect(st.cellKey).toEqual({ fingerprint: fp, type: 'ecdsa-p256', matchesTrustRoot: true });
    // No daemon answers this machine's docker CLI here: the container state is unknown, never "missing".
    const container = { state: 'unknown', health: null, status: null };
    expect(st.installed).toEqual([
      { id: 'noreceipt', name: null, version: null, digest: null, image: null, reference: null, signers: [], store: null, listing: null, container, problem: 'receipt.json is absent' },
      // The current badge verifies what runs: the repository pinned by the receipt's digest, not the tag.
      // Signers: the fingerprints whose signatures counted, once each; the listing keeps only well-formed entries.
      {
        id: 'web', name: 'Web', version: '1.2', digest, image: 'reg.example:5000/team/web:1.2', reference: `reg.example:5000/team/web@${digest}`,
        signers: [signer], store, container,
        listing: { ports: [{ container: 80, host: 8080, protocol: 'tcp' }], volumes: [{ name: 'data', path: '/d' }], environment: { A: 'x' } },
      },
    ]);
    expect(st.skipped).toEqual(['bad\nname']);
  });

  it('bounds the config read at 1 MiB + 1 and reports directories', async () => {
    await writeFile(join(root, 'config/api/cell_config.json'), Buffer.alloc(3 * 1024 * 1024, 0x20));
    let st = buildStatus(adHocProfile({ destination: 'x', root }), parseStatusReport(run(root)), { keys: [], problems: [] });
    expect(st.mode.detail).toMatch(/larger than 1048576/);
    await rm(join(root, 'config/api/cell_config.json'));
    await mkdir(join(root, 'config/api/cell_config.json'));
    st = buildStatus(adHocProfile({ destination: 'x', root }), parseStatusReport(run(root)), { keys: [], problems: [] });
    expect(st.mode.detail).toMatch(/is a directory/);
  });

  it('refuses a report cut short', () => {
    const out = run(root);
    expect(() => parseStatusReport(out.slice(0, out.length - 20))).toThrow(/cut short/);
    expect(() => parseStatusReport('Welcome to the cell!\n')).toThrow(/did not run the status script/);
  });
});
