import { parseImageReference } from '../reference/image-reference';
import { isValidServiceId } from './remote-quote';
import { STATUS_LIMITS, type StatusRecord } from './status-script';

/**
 * The installed inventory of a cell (DESIGN 2.9), read from the status report's records: per
 * service, what its install receipt recorded (version, digest, the signer fingerprints the
 * install verified under, the store it came from), what its installed manifest asks for (ports,
 * volumes, environment — what an update's review is diffed against) and its container's state.
 * Everything here comes from the cell, so every field is bounded and type-checked, and a file that
 * cannot be read is a `problem`, never a crash.
 */
export type ContainerState = 'running' | 'restarting' | 'exited' | 'created' | 'paused' | 'dead' | 'removing' | 'missing' | 'unknown';
export type ContainerHealth = 'healthy' | 'unhealthy' | 'starting' | null;

export interface ContainerInfo {
  state: ContainerState;
  health: ContainerHealth;
  /** The runtime's own status text ("Up 3 minutes (healthy)", "Exited (1) 2 seconds ago"). */
  status: string | null;
}

/** The parts of the installed manifest an update review compares (DESIGN 2.9). */
export interface InstalledListing {
  ports: { container: number; host: number; protocol: 'tcp' | 'udp' }[];
  volumes: { name: string; path: string }[];
  environment: Record<string, string>;
}

export interface InstalledService {
  id: string;
  name: string | null;
  version: string | null;
  digest: string | null;
  /** The image reference the receipt records (as listed when it was installed). */
  image?: string | null;
  /** What runs on the cell, pinned: the image's repository @ the receipt's digest — what a current badge verifies. */
  reference?: string | null;
  /** Fingerprints of the keys the install's verification found valid signatures under (the receipt's evidence). */
  signers?: string[];
  /** The store the receipt names (where updates are looked for first). */
  store?: { name: string; url: string } | null;
  /** Ports, volumes and environment of the installed manifest; null when it could not be read. */
  listing?: InstalledListing | null;
  /** The container's state; `unknown` when the runtime could not be asked. */
  container?: ContainerInfo;
  /** Why the receipt could not be read, when it could not. */
  problem?: string;
}

const str = (v: unknown, max: number) => (typeof v === 'string' && v.length <= max ? v : null);
const obj = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** One service's inventory entry from its receipt record (and its manifest record and container line, when there). */
export function readInstalled(rec: StatusRecord, manifest: StatusRecord | undefined, container: ContainerInfo): InstalledService {
  const base = { id: rec.name, name: null, version: null, digest: null, image: null, reference: null, signers: [], store: null, listing: readListing(manifest), container };
  if (rec.status !== 'ok') return { ...base, problem: `receipt.json is ${rec.status}` };
  if (rec.body.length >= STATUS_LIMITS.receiptBytes) return { ...base, problem: 'receipt.json is too large' };
  let doc: unknown;
  try {
    doc = JSON.parse(rec.body.toString('utf8'));
  } catch {
    return { ...base, problem: 'receipt.json is not valid JSON' };
  }
  const o = obj(doc);
  const service = obj(o.service);
  const rawDigest = str(o.digest, 80);
  const digest = rawDigest && /^sha256:[0-9a-f]{64}$/.test(rawDigest) ? rawDigest : null;
  const image = str(o.image, 4096);
  const store = obj(o.store);
  const storeName = str(store.name, 200);
  const storeUrl = str(store.url, 4096);
  return {
    ...base,
    name: str(service.name, 80),
    version: str(service.version, 64),
    digest,
    image,
    reference: installedReference(image, digest),
    signers: signersOf(o.verification),
    store: storeName !== null && storeUrl !== null ? { name: storeName, url: storeUrl } : null,
    ...(service.id !== undefined && service.id !== rec.name ? { problem: `receipt names service "${String(service.id).slice(0, 64)}"` } : {}),
  };
}

/** The fingerprints of the signatures that counted (verified under a key, no problem), each once. */
export function signersOf(verification: unknown): string[] {
  const sigs = obj(verification).signatures;
  if (!Array.isArray(sigs)) return [];
  const out = new Set<string>();
  for (const s of sigs.slice(0, 256)) {
    const fp = obj(s).keyFingerprint;
    if (typeof fp === 'string' && /^[0-9a-f]{64}$/.test(fp) && !obj(s).problem) out.add(fp);
  }
  return [...out].sort();
}

function readListing(rec: StatusRecord | undefined): InstalledListing | null {
  if (!rec || rec.status !== 'ok' || rec.body.length >= STATUS_LIMITS.manifestBytes) return null;
  let doc: Record<string, unknown>;
  try {
    doc = obj(JSON.parse(rec.body.toString('utf8')));
  } catch {
    return null;
  }
  return listingOf(doc);
}

/** Ports, volumes and environment of a manifest-like object, keeping only well-formed entries. */
export function listingOf(doc: Record<string, unknown>): InstalledListing {
  const ports = (Array.isArray(doc.ports) ? doc.ports.slice(0, 64) : []).flatMap((p) => {
    const o = obj(p);
    const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
    return ok(o.container) && ok(o.host) ? [{ container: o.container as number, host: o.host as number, protocol: o.protocol === 'udp' ? ('udp' as const) : ('tcp' as const) }] : [];
  });
  const volumes = (Array.isArray(doc.volumes) ? doc.volumes.slice(0, 32) : []).flatMap((v) => {
    const name = str(obj(v).name, 64);
    const path = str(obj(v).path, 4096);
    return name !== null && path !== null ? [{ name, path }] : [];
  });
  const environment: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(doc.environment)).slice(0, 512)) {
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && typeof v === 'string' && v.length <= 8192) environment[k] = v;
  }
  return { ports, volumes, environment };
}

const STATES = new Set<ContainerState>(['running', 'restarting', 'exited', 'created', 'paused', 'dead', 'removing']);

/**
 * `docker ps` lines (`service|state|status`) → each service's container. A service with several
 * containers reports the least healthy one. When the runtime could not be asked at all, every
 * service is `unknown` rather than `missing`: absence is said only when it is known.
 */
export function parseContainers(text: string | null): (id: string) => ContainerInfo {
  if (text === null) return () => ({ state: 'unknown', health: null, status: null });
  const byId = new Map<string, ContainerInfo>();
  for (const line of text.split('\n').slice(0, 2000)) {
    const [id, rawState, ...rest] = line.split('|');
    if (!id || !isValidServiceId(id)) continue;
    const status = rest.join('|').trim().slice(0, 200) || null;
    const info: ContainerInfo = { state: stateOf(rawState?.trim() ?? '', status ?? ''), health: healthOf(status ?? ''), status };
    const prev = byId.get(id);
    if (!prev || rank(info) < rank(prev)) byId.set(id, info);
  }
  return (id) => byId.get(id) ?? { state: 'missing', health: null, status: null };
}

function stateOf(state: string, status: string): ContainerState {
  const s = state.toLowerCase();
  if (STATES.has(s as ContainerState)) return s as ContainerState;
  if (/^up\b/i.test(status)) return /\(paused\)/i.test(status) ? 'paused' : 'running';
  if (/^restarting\b/i.test(status)) return 'restarting';
  if (/^exited\b/i.test(status)) return 'exited';
  if (/^created\b/i.test(status)) return 'created';
  if (/^dead\b/i.test(status)) return 'dead';
  if (/^removal\b/i.test(status)) return 'removing';
  return 'unknown';
}

function healthOf(status: string): ContainerHealth {
  if (/\(healthy\)/i.test(status)) return 'healthy';
  if (/\(unhealthy\)/i.test(status)) return 'unhealthy';
  if (/\(health: starting\)/i.test(status)) return 'starting';
  return null;
}

/** Lower is worse: a restarting or exited container outranks a running one in the report. */
function rank(c: ContainerInfo): number {
  if (c.state !== 'running') return 0;
  return c.health === 'unhealthy' ? 1 : c.health === 'starting' ? 2 : 3;
}

/**
 * The installed image pinned by the digest the receipt recorded (what the cell runs), whatever
 * tag the listing named; null when the receipt lacks either or the image is not a reference.
 */
export function installedReference(image: string | null, digest: string | null): string | null {
  if (!image || !digest) return null;
  const parsed = parseImageReference(image);
  return parsed.ok ? `${parsed.ref.name}@${digest}` : null;
}
