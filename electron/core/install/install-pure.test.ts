import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { CellStatus } from '../cell/status';
import type { ServiceManifest } from '../store/manifest-schema';
import { composeDocument, composeYaml, escapeCompose, pinnedImage } from './compose-file';
import { decideInstall } from './decision';
import { explainMode, explainReport } from '../catalogue/reason-catalogue';
import type { VerificationReport } from '../verification/types';
import { buildPreflight, formatPreflight, LISTING_LABEL } from './preflight';
import { ociArchOf, parseDfFree, parseProbe, parseProcNet } from './probe';
import { applyScript, parseMarker, probeScript, splitScriptLine, uninstallScript } from './remote-scripts';
import { cellCosignDisagreementHint } from './cell-cosign';

const D = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;
const HOSTILE = `a'b"c $(touch /tmp/x) \${HOME} \`id\` $$ \nkey: injected\n- list\n---\n{x: y} # c`;

const base: ServiceManifest = { id: 'web', name: 'Web', version: '1.0', image: `127.0.0.1:5000/demo/web@${D}` };

describe('compose file', () => {
  it('pins the image by the checked digest, even when the listing names a tag', () => {
    expect(pinnedImage('127.0.0.1:5000/demo/web:latest', D)).toBe(`127.0.0.1:5000/demo/web@${D}`);
    expect(pinnedImage('127.0.0.1:5000/demo/web:1@' + D, D)).toBe(`127.0.0.1:5000/demo/web@${D}`);
    expect(() => pinnedImage(`x/y@${D}`, D2)).toThrow(/pins/);
    expect(() => pinnedImage('x/y', 'sha256:short')).toThrow(/sha256/);
  });

  it('escapes every $ so compose cannot interpolate', () => {
    expect(escapeCompose('${HOME} $x $$')).toBe('$${HOME} $$x $$$$');
  });

  it('hostile strings never alter the structure and come back literally (after compose unescaping)', () => {
    const m: ServiceManifest = {
      ...base,
      version: HOSTILE,
      environment: { EVIL: HOSTILE, PLAIN: 'ok' },
      volumes: [{ name: 'data', path: `/data/${HOSTILE}` }],
      ports: [{ host: 8080, container: 80, protocol: 'tcp' }],
    };
    const text = composeYaml(m, D);
    const doc = parse(text) as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(doc)).toEqual(['services', 'volumes']);
    expect(Object.keys(doc.services!)).toEqual(['web']);
    const svc = doc.services!.web!;
    expect(Object.keys(svc).sort()).toEqual(['environment', 'image', 'labels', 'ports', 'restart', 'volumes']);
    const unescape = (s: string) => s.replace(/\$\$/g, '$');
    expect(unescape((svc.environment as Record<string, string>).EVIL!)).toBe(HOSTILE);
    expect(Object.keys(svc.environment as object)).toEqual(['EVIL', 'PLAIN']);
    expect(unescape((svc.volumes as { target: string }[])[0]!.target)).toBe(`/data/${HOSTILE}`);
    expect((svc.labels as Record<string, string>)['org.pic.version']).toBe(escapeCompose(HOSTILE));
    expect(svc.image).toBe(`127.0.0.1:5000/demo/web@${D}`);
    expect(svc.ports).toEqual(['8080:80/tcp']);
    expect(doc.volumes).toEqual({ data: {} });
    // No unescaped $ anywhere in string values.
    expect(text.replace(/\$\$/g, '')).not.toContain('$');
  });

  it('omits empty sections', () => {
    expect(Object.keys(composeDocument(base, D).services.web!).sort()).toEqual(['image', 'labels', 'restart']);
  });
});

describe('decision table (DESIGN 2.2)', () => {
  const cases: [string, boolean, boolean | null, string][] = [
    ['enforce', true, null, 'allow'],
    ['enforce', true, true, 'allow'],
    ['enforce', true, false, 'block'],
    ['enforce', false, null, 'block'],
    ['enforce', false, true, 'block'],
    ['warn', true, null, 'allow'],
    ['warn', false, null, 'warn'],
    ['warn', true, false, 'warn'],
    ['off', true, null, 'allow'],
    ['off', false, null, 'allow'],
    ['off', false, false, 'allow'],
  ];
  it.each(cases)('%s, desktop %s, cell %s → %s', (mode, desk, cell, want) => {
    const r = decideInstall({ mode: mode as 'enforce', desktopVerified: desk, cellVerified: cell });
    expect(r.decision).toBe(want);
    expect(r.verified).toBe(desk && cell !== false);
    if (cell !== null && cell !== desk) expect(r.why).toMatch(/disagree/);
  });
});

describe('probe parsing', () => {
  const tcp = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1',
    '   1: 0100007F:0050 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 2 1',
  ].join('\n');
  it('keeps listening TCP ports and every bound UDP port', () => {
    expect([...parseProcNet(tcp, '0A')]).toEqual([8080]);
    expect([...parseProcNet(tcp, null)].sort()).toEqual([80, 8080]);
  });
  it('reads df -Pk', () => {
    expect(parseDfFree('/dev/sda1 1000 400 600 40% /')).toBe(600 * 1024);
    expect(parseDfFree('garbage')).toBeNull();
  });
  it('maps kernel machine names', () => {
    expect(ociArchOf('x86_64')).toBe('amd64');
    expect(ociArchOf('aarch64')).toBe('arm64');
  });
  it('parses sections and refuses a cut-short report', () => {
    const b = (s: string) => Buffer.from(s).toString('base64');
    const out = ['@@PIC arch', b('x86_64\n'), '@@PIC disk', b('fs 10 5 5 50% /'), '@@PIC tcp', b(tcp), '@@PIC udp', '@@PIC manifest', b('{"ports":[]}'), '@@PIC end', ''].join('\n');
    const p = parseProbe(out);
    expect(p.machine).toBe('x86_64');
    expect(p.freeBytes).toBe(5120);
    expect([...p.tcpListening]).toEqual([8080]);
    expect(p.installedManifest).toEqual({ ports: [] });
    expect(() => parseProbe(out.replace('@@PIC end', ''))).toThrow(/cut short/);
    // The cell key is read once, by the status script, under its rules: the probe never reads it.
    expect(probeScript('/opt/pic', 'web')).not.toContain('cosign.pub');
  });
});

describe('pre-flight summary', () => {
  const status = {
    destination: 'cell', root: '/opt/pic', rootIsDefault: true, rootExists: true,
    mode: { value: 'warn', source: 'config', detail: 'x' }, cellKey: { fingerprint: 'f'.repeat(64), type: 'ecdsa-p256', matchesTrustRoot: false },
    cellKeyProblem: null, runtime: 'docker-compose', runtimeVersion: null, cosign: null,
    installed: [{ id: 'web', name: 'Web', version: '0.9', digest: D2 }], skipped: [], banner: '', notes: [], checkedAt: '', elapsedMs: 0,
  } as CellStatus;
  const probe = {
    machine: 'aarch64', freeBytes: 100, installedManifest: { ports: [{ host: 8080, container: 80, protocol: 'tcp' }] },
    tcpListening: new Set([8080, 9090]), udpBound: new Set([53]),
  };
  const unsigned: VerificationReport = {
    image: `127.0.0.1:5000/demo/web@${D}`, digest: D, repository: '127.0.0.1:5000/demo/web', verified: false, reason: 'SIGNATURE_NOT_FOUND',
    checks: [{ id: 'signature-found', status: 'fail', detail: 'no signature' }], signatures: [], trustedKeys: [],
  };
  const s = buildPreflight({
    profile: { id: 'c', name: 'Cell', destination: 'cell', root: '/opt/pic' },
    status, probe, report: unsigned,
    manifest: { ...base, version: '1.0', ports: [{ host: 8080, container: 80, protocol: 'tcp' }, { host: 9090, container: 90, protocol: 'tcp' }, { host: 53, container: 53, protocol: 'udp' }], environment: { A: '$x' } },
    digest: D, runs: `127.0.0.1:5000/demo/web@${D}`, decision: 'warn',
    verdict: { verified: false, reason: 'SIGNATURE_NOT_FOUND', why: 'w' }, appVerdict: { verified: true, reason: 'VERIFIED' },
    cellVerification: null, platforms: ['linux/amd64'],
  });
  it('reports conflicts except the ports the old version holds, arch mismatch, upgrade, low disk', () => {
    expect(s.portConflicts).toEqual([{ host: 9090, protocol: 'tcp' }, { host: 53, protocol: 'udp' }]);
    expect(s.architecture).toEqual({ cell: 'arm64', image: ['linux/amd64'], compatible: false });
    expect(s.upgrade).toEqual({ from: { version: '0.9', digest: D2 }, to: { version: '1.0', digest: D } });
    expect(s.listing.label).toBe(LISTING_LABEL);
    expect(s.warnings.join('\n')).toMatch(/NOT verified.*warn/);
    expect(s.warnings.join('\n')).toMatch(/differs from the app's trust root/);
    expect(s.warnings.join('\n')).toMatch(/free under/);
    const text = formatPreflight(s);
    expect(text).toContain(LISTING_LABEL);
    expect(text).toContain('A="$x"');
    expect(text).toContain('MISMATCH');
  });
  it("carries the catalogue's verdict and mode words, next steps included, and prints them (issue 7)", () => {
    expect(s.explanations.verdict).toEqual(explainReport(unsigned));
    expect(s.explanations.mode).toEqual(explainMode(status.mode));
    expect(s.explanations.verdict.sentence).toBe(`No cosign signature is attached to 127.0.0.1:5000/demo/web@${D}.`);
    const text = formatPreflight(s);
    expect(text).toContain(`Unsigned: ${s.explanations.verdict.sentence}`);
    expect(text).toContain(`next: ${s.explanations.verdict.next.admin}`);
    expect(text).toContain(s.explanations.mode.sentence);
    expect(text).toContain(`next: ${s.explanations.mode.next.admin}`);
    expect(s.explanations.mode.next.admin).toMatch(/Consider returning the cell to enforce/);
  });
  it('prints cell-provided strings with control characters escaped (cosign version, mode detail, old version)', () => {
    const ESC = '\x1b';
    const hostile = buildPreflight({
      profile: { id: 'c', name: 'Cell', destination: 'cell', root: '/opt/pic' },
      status: { ...status, mode: { value: 'enforce', source: 'fail-closed', detail: `cell_config.json cannot be read (${ESC}[2J${ESC}]0;owned\x07)` }, installed: [{ id: 'web', name: 'Web', version: `0.9${ESC}[8m`, digest: D2 }] },
      probe: { ...probe, machine: `x86_64\n  verdict:  VERIFIED` },
      manifest: base, digest: D, runs: `127.0.0.1:5000/demo/web@${D}`, decision: 'allow', report: { ...unsigned, verified: true, reason: 'VERIFIED', checks: [], signatures: [] },
      verdict: { verified: true, reason: 'VERIFIED', why: 'w' }, appVerdict: null,
      cellVerification: { ran: true, verified: true, cosignVersion: `v2.5${ESC}[31m`, output: '' }, platforms: null,
    });
    const text = formatPreflight(hostile);
    // eslint-disable-next-line no-control-regex -- the test looks for exactly these
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(text).toContain('v2.5\\x1b[31m');
    expect(text.split('\n').filter((l) => l.startsWith('  verdict:'))).toHaveLength(1);
  });
});

describe('remote scripts', () => {
  const receiptLine = JSON.stringify({ note: HOSTILE });
  it('refuse bad ids and nonces', () => {
    expect(() => uninstallScript({ root: '/opt/pic', serviceId: 'a;b', runtime: 'docker compose', purgeVolumes: false, receiptLine, expectedCellState: 'ab12' })).toThrow(/service id/);
    expect(() => applyScript({ root: '/p', serviceId: 'web', runtime: 'docker-compose', nonce: '../x', files: [], receiptLine, expectedCellState: 'ab12' })).toThrow(/suffix/);
    expect(() => applyScript({ root: '/p', serviceId: 'web', runtime: 'docker-compose', nonce: 'abc123', files: [], receiptLine, expectedCellState: "'; rm -rf /" })).toThrow(/fingerprint/);
  });
  it('parses markers', () => {
    expect(parseMarker('@@PIC-STEP pull')).toEqual({ kind: 'step', step: 'pull' });
    expect(parseMarker('@@PIC-FAIL up UP_FAILED')).toEqual({ kind: 'fail', step: 'up', code: 'UP_FAILED' });
    expect(parseMarker('@@PIC-OK')).toEqual({ kind: 'ok' });
    expect(parseMarker('@@PIC-FAIL lock CELL_CHANGED')).toEqual({ kind: 'fail', step: 'lock', code: 'CELL_CHANGED' });
    expect(parseMarker('@@PIC-STATE completed')).toEqual({ kind: 'state', text: 'completed' });
    expect(parseMarker('Pulling web ... done')).toBeNull();
    // A marker glued to docker's unterminated output is still a marker; a stray @@PIC piece is never shown.
    expect(splitScriptLine('Pulling web ... done@@PIC-STEP swap')).toEqual({ text: 'Pulling web ... done', marker: { kind: 'step', step: 'swap' } });
    expect(splitScriptLine('@@PIC-FAIL lock')).toEqual({ text: null, marker: null });
    expect(splitScriptLine('plain output')).toEqual({ text: 'plain output', marker: null });
  });
});

describe('cell-side cosign disagreement', () => {
  const bundle = { format: 'bundle' as const, keyFingerprint: 'SHA256:k', identity: null, problem: null };
  const cell = { ran: true, verified: false, cosignVersion: 'devel', output: 'Error: no signatures found' };
  it('explains bundle-only images that cosign found no signature for, whatever version it reports', () => {
    expect(cellCosignDisagreementHint({ verified: true, signatures: [bundle] }, cell)).toMatch(/cosign before 2\.6 cannot read bundle signatures/);
  });
  it('says nothing when the evidence does not show it', () => {
    expect(cellCosignDisagreementHint({ verified: true, signatures: [{ ...bundle, format: 'classic' }] }, cell)).toBeNull();
    expect(cellCosignDisagreementHint({ verified: true, signatures: [bundle] }, { ...cell, output: 'Error: invalid signature when validating ASN.1 encoded signature' })).toBeNull();
    expect(cellCosignDisagreementHint({ verified: false, signatures: [bundle] }, cell)).toBeNull();
    expect(cellCosignDisagreementHint({ verified: true, signatures: [bundle] }, { ...cell, verified: true })).toBeNull();
  });
});
