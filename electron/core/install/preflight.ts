// The pre-flight summary (DESIGN 2.2, issue 7): everything the admin confirms before the cell is
// changed, as plain data for the UI and the CLI. Ports, volumes and environment are labelled as
// listing data: the signature covers the image only.
import type { ResolvedMode } from '../cell/mode';
import type { CellProfile } from '../cell/profiles';
import type { CellStatus } from '../cell/status';
import type { Decision, ReceiptCellVerification } from '../receipts/receipt';
import type { ServiceManifest } from '../store/manifest-schema';
import { badgeLabel, explainMode, explainReport, type Explanation } from '../catalogue/reason-catalogue';
import type { ReasonCode, VerificationReport } from '../verification/types';
import { ociArchOf, type CellProbe } from './probe';
import { terminalLines } from '../terminal-text';
import { formatReview } from '../updates/review';
import type { ReceiptReview } from '../updates/upgrade-gate';

export const LISTING_LABEL = 'from the store listing, not signed';
/** The same data when the listing itself is signed (DESIGN 2.7): as the store signed it, still not the image's signature. */
export const SIGNED_LISTING_LABEL = 'from the signed store listing';

export interface PreflightSummary {
  cell: { name: string; destination: string; root: string; rootIsDefault: boolean };
  mode: ResolvedMode;
  decision: Decision;
  verdict: { verified: boolean; reason: ReasonCode; why: string };
  /**
   * The catalogue's words (DESIGN 2.3) for the verdict under the cell's key (`explainReport`) and
   * for the cell's mode (`explainMode`): the full sentence with its evidence and the next step per
   * role, so the admin reads before confirming what Activity and `pic-store explain` say after.
   */
  explanations: { verdict: Explanation; mode: Explanation };
  cellKey: { fingerprint: string; matchesTrustRoot: boolean } | null;
  /** The app's own trust-root verdict (the badge), shown when it differs from the cell's. */
  appVerdict: { verified: boolean; reason: ReasonCode } | null;
  cellVerification: ReceiptCellVerification | null;
  service: { id: string; name: string; version: string };
  image: string;
  digest: string;
  /** What the compose file will run: `name@digest`. */
  runs: string;
  listing: {
    label: typeof LISTING_LABEL | typeof SIGNED_LISTING_LABEL;
    ports: NonNullable<ServiceManifest['ports']>;
    volumes: NonNullable<ServiceManifest['volumes']>;
    environment: Record<string, string>;
  };
  portConflicts: { host: number; protocol: 'tcp' | 'udp' }[];
  architecture: { cell: string | null; image: string[] | null; compatible: boolean | null };
  freeBytes: number | null;
  /** The same for people ("78.1 GiB", "unknown"), so every face words it alike. */
  freeText: string;
  upgrade: { from: { version: string | null; digest: string | null }; to: { version: string; digest: string } } | null;
  warnings: string[];
  /** An upgrade's review (DESIGN 2.9): the typed diff and what consent covered; set by the install flow. */
  review?: ReceiptReview | null;
  /**
   * Whether the listing itself is signed (DESIGN 2.7): "Listing signed by <store>, version N,
   * valid until …" or "Listing not signed"; set by the install flow when the service came from a store.
   */
  listingSignature?: { signed: boolean; sentence: string } | null;
}

interface PreflightInput {
  profile: CellProfile;
  status: CellStatus;
  probe: CellProbe;
  manifest: ServiceManifest;
  digest: string;
  runs: string;
  decision: Decision;
  verdict: PreflightSummary['verdict'];
  /** The verification under the cell's key that `verdict` summarises: its evidence fills the explanation. */
  report: VerificationReport;
  appVerdict: PreflightSummary['appVerdict'];
  cellVerification: ReceiptCellVerification | null;
  platforms: string[] | null;
}

/** Disk below this is worth a warning before a pull. */
const LOW_DISK_BYTES = 512 * 1024 * 1024;

export function buildPreflight(i: PreflightInput): PreflightSummary {
  const installed = i.status.installed.find((s) => s.id === i.manifest.id) ?? null;
  const oldPorts = portsOf(i.probe.installedManifest);
  const portConflicts = (i.manifest.ports ?? [])
    .filter((p) => !oldPorts.has(`${p.host}/${p.protocol}`))
    .filter((p) => (p.protocol === 'udp' ? i.probe.udpBound : i.probe.tcpListening).has(p.host))
    .map((p) => ({ host: p.host, protocol: p.protocol }));
  const cellArch = i.probe.machine ? ociArchOf(i.probe.machine) : null;
  const imageArchs = i.platforms?.map((p) => p.split('/')[1] ?? '') ?? null;
  const compatible = cellArch && imageArchs ? imageArchs.includes(cellArch) : null;
  const warnings: string[] = [];
  if (i.decision === 'warn') warnings.push(`the image is NOT verified (${i.verdict.reason}); this cell's mode is warn, so it may be installed — the warning is recorded in the receipt`);
  if (i.decision === 'allow' && !i.verdict.verified) warnings.push(`the image is NOT verified (${i.verdict.reason}); verification is off on this cell — noted in the receipt`);
  if (i.status.cellKey && !i.status.cellKey.matchesTrustRoot) warnings.push("the cell's key differs from the app's trust root: the install is judged under the cell's key");
  if (i.appVerdict) warnings.push(`the app's own badge for this image says ${i.appVerdict.verified ? 'verified' : `not verified: ${badgeLabel(i.appVerdict.reason)} (${i.appVerdict.reason})`}`);
  for (const c of portConflicts) warnings.push(`host port ${c.host}/${c.protocol} is already in use on the cell`);
  if (compatible === false) warnings.push(`the cell is ${cellArch} but the image offers ${imageArchs!.join(', ')}`);
  if (i.probe.freeBytes !== null && i.probe.freeBytes < LOW_DISK_BYTES) warnings.push(`only ${formatBytes(i.probe.freeBytes)} free under ${i.profile.root}`);
  if (!i.status.rootIsDefault) warnings.push(`non-default PIC root ${i.profile.root}`);
  return {
    cell: { name: i.profile.name, destination: i.profile.destination, root: i.profile.root, rootIsDefault: i.status.rootIsDefault },
    mode: i.status.mode,
    decision: i.decision,
    verdict: i.verdict,
    explanations: { verdict: explainReport(i.report), mode: explainMode(i.status.mode) },
    cellKey: i.status.cellKey ? { fingerprint: i.status.cellKey.fingerprint, matchesTrustRoot: i.status.cellKey.matchesTrustRoot } : null,
    appVerdict: i.appVerdict,
    cellVerification: i.cellVerification,
    service: { id: i.manifest.id, name: i.manifest.name, version: i.manifest.version },
    image: i.manifest.image,
    digest: i.digest,
    runs: i.runs,
    listing: { label: LISTING_LABEL, ports: i.manifest.ports ?? [], volumes: i.manifest.volumes ?? [], environment: i.manifest.environment ?? {} },
    portConflicts,
    architecture: { cell: cellArch, image: i.platforms, compatible },
    freeBytes: i.probe.freeBytes,
    freeText: i.probe.freeBytes === null ? 'unknown' : formatBytes(i.probe.freeBytes),
    upgrade: installed ? { from: { version: installed.version, digest: installed.digest }, to: { version: i.manifest.version, digest: i.digest } } : null,
    warnings,
  };
}

function portsOf(raw: unknown): Set<string> {
  const out = new Set<string>();
  const ports = (raw as { ports?: unknown } | null)?.ports;
  if (!Array.isArray(ports)) return out;
  for (const p of ports.slice(0, 64) as { host?: unknown; protocol?: unknown }[]) {
    if (typeof p?.host === 'number') out.add(`${p.host}/${p.protocol === 'udp' ? 'udp' : 'tcp'}`);
  }
  return out;
}

function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

/** JSON.stringify for one-line display: quotes and escapes make hostile strings visible, not active. */
const show = (s: string) => JSON.stringify(s);

/** The summary as text for a terminal (the CLI's confirmation prompt); each line terminal-safe, since much of it comes from the cell. */
export function formatPreflight(s: PreflightSummary): string {
  const L: string[] = [];
  L.push(`${s.upgrade ? 'Upgrade' : 'Install'} ${show(s.service.name)} (${s.service.id}) ${show(s.service.version)}`);
  L.push(`  cell:     ${s.cell.name} (${s.cell.destination}), root ${s.cell.root}${s.cell.rootIsDefault ? '' : ' (non-default)'}`);
  L.push(`  mode:     ${s.mode.value} (${s.mode.source}: ${s.mode.detail})`);
  L.push(`            ${s.explanations.mode.sentence}`);
  L.push(`            next: ${s.explanations.mode.next.admin}`);
  L.push(`  verdict:  ${s.verdict.verified ? 'VERIFIED under the cell\'s key' : `NOT VERIFIED (${s.verdict.reason})`} → ${s.decision}: ${s.verdict.why}`);
  L.push(`            ${s.explanations.verdict.title}: ${s.explanations.verdict.sentence}`);
  L.push(`            next: ${s.explanations.verdict.next.admin}`);
  if (s.cellKey) L.push(`  cell key: ${s.cellKey.fingerprint}${s.cellKey.matchesTrustRoot ? ' (also in the app\'s trust root)' : ' (differs from the app\'s trust root)'}`);
  else L.push('  cell key: none usable');
  if (s.appVerdict) L.push(`  app badge: ${s.appVerdict.verified ? 'verified' : `not verified: ${badgeLabel(s.appVerdict.reason)} (${s.appVerdict.reason})`}`);
  if (s.cellVerification?.ran) L.push(`  cell cosign ${s.cellVerification.cosignVersion ?? ''}: ${s.cellVerification.verified ? 'verified' : 'NOT verified'}`);
  L.push(`  image:    ${show(s.image)}`);
  L.push(`  runs:     ${s.runs}`);
  if (s.upgrade) L.push(`  upgrade:  ${s.upgrade.from.version ?? '?'} (${s.upgrade.from.digest ?? '?'}) → ${s.upgrade.to.version} (${s.upgrade.to.digest})`);
  if (s.listingSignature) L.push(`  listing:  ${s.listingSignature.sentence}`);
  L.push(`  ${s.listing.label}:`);
  L.push(`    ports:       ${s.listing.ports.map((p) => `${p.host}→${p.container}/${p.protocol}`).join(', ') || 'none'}`);
  L.push(`    volumes:     ${s.listing.volumes.map((v) => `${v.name} at ${show(v.path)}`).join(', ') || 'none'}`);
  const env = Object.entries(s.listing.environment);
  L.push(`    environment: ${env.length ? env.map(([k, v]) => `${k}=${show(v)}`).join(', ') : 'none'}`);
  L.push(`  platform: cell ${s.architecture.cell ?? 'unknown'}, image ${s.architecture.image?.join(', ') ?? 'unknown'}${s.architecture.compatible === false ? ' — MISMATCH' : ''}`);
  L.push(`  disk:     ${s.freeBytes === null ? 'unknown' : `${s.freeText} free`}`);
  if (s.review) L.push(...formatReview(s.review));
  for (const w of s.warnings) L.push(`  ! ${w}`);
  return terminalLines(...L);
}
