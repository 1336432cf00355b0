// The publish side of a signed store (DESIGN 2.7), as a module: makes and signs TUF 1.0 metadata
// with @tufjs/models (no TUF logic by hand) and Node's Ed25519 / ECDSA P-256 keys. Used by the
// publishing command (scripts/tuf/publish-store.mjs), the demo store generator and the tests
// (scripts/testbed/tuf-repo.ts), which also need to make *bad* repositories on purpose: every
// step takes the keys to sign with, the version and the expiry explicitly.
//
// Repository layout: DIR/metadata/{N.root.json, root.json, timestamp.json, snapshot.json,
// targets.json} (plus N.snapshot.json, N.targets.json when the root asks for consistent
// snapshots) and DIR/targets/index.json (plus targets/<sha256>.index.json when consistent).
// The client reads only N.root.json (DESIGN 2.7); root.json is a copy of the newest root for
// people and tools. The initial trusted root a store is added with is 1.root.json.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import * as modelsNs from '@tufjs/models';
import * as canonicalNs from '@tufjs/canonical-json';

// CommonJS packages: Node's ESM loader puts their exports on `default`; a loader that turns this
// file into CommonJS (Playwright's, for the e2e specs) hands the exports over directly.
const { Metadata, Signature } = modelsNs.default ?? modelsNs;
const canonical = canonicalNs.default ?? canonicalNs;
export const ROLES = ['root', 'targets', 'snapshot', 'timestamp'];
export const INDEX_TARGET = 'index.json';

/** TUF's date form: second precision, `Z`. */
export function tufDate(date) {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `30d`, `12h`, `90m`, `45s`, `-1h` (already expired, for tests) or an ISO date → a Date. */
export function parseExpiry(text, now = Date.now()) {
  const m = /^(-?\d+)([dhms])$/.exec(String(text).trim());
  if (m) return new Date(now + Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[m[2]]);
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new Error(`"${text}" is neither a duration (30d, 12h, 90m, 45s) nor a date`);
  return d;
}

/** The public half as TUF writes it: Ed25519 as hex, ECDSA P-256 as a PEM SPKI. */
function publicKeyJson(privateKey) {
  const pub = createPublicKey(privateKey);
  if (pub.asymmetricKeyType === 'ed25519') {
    const raw = pub.export({ format: 'der', type: 'spki' }).subarray(-32);
    return { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: raw.toString('hex') } };
  }
  if (pub.asymmetricKeyType === 'ec' && pub.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return { keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256', keyval: { public: pub.export({ format: 'pem', type: 'spki' }).toString() } };
  }
  throw new Error(`unsupported key type ${pub.asymmetricKeyType} (use Ed25519 or ECDSA P-256)`);
}

/** A signing key from a PKCS#8 PEM: its TUF key JSON, key id (sha256 of the canonical key JSON) and signer. */
export function keyFromPem(pem) {
  const privateKey = createPrivateKey(pem);
  const json = publicKeyJson(privateKey);
  const keyid = createHash('sha256').update(canonical.canonicalize(json)).digest('hex');
  const digest = json.keytype === 'ed25519' ? null : 'sha256';
  return {
    keyid,
    json,
    pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    sign: (bytes) => new Signature({ keyID: keyid, sig: cryptoSign(digest, bytes, privateKey).toString('hex') }),
  };
}

export function generateKey(type = 'ed25519') {
  if (type !== 'ed25519' && type !== 'ecdsa') throw new Error(`key type "${type}": use ed25519 or ecdsa`);
  const { privateKey } = type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return keyFromPem(privateKey.export({ format: 'pem', type: 'pkcs8' }));
}

/** Signs `signed` (a plain JSON object) with each key, through @tufjs/models' canonical form. */
export function signMetadata(kind, signed, keys) {
  const md = Metadata.fromJSON(kind, { signed, signatures: [] });
  for (const k of keys) md.sign(k.sign, true);
  return md.toJSON();
}

const bytesOf = (json) => Buffer.from(JSON.stringify(json, null, 1) + '\n');
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

function writeFile(path, bytes) {
  mkdirSync(join(path, '..'), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The newest root in DIR/metadata (highest N.root.json), or null for an empty repository. */
export function latestRoot(repoDir) {
  const dir = join(repoDir, 'metadata');
  if (!existsSync(dir)) return null;
  const versions = readdirSync(dir).map((f) => /^(\d+)\.root\.json$/.exec(f)).filter(Boolean).map((m) => Number(m[1]));
  if (versions.length === 0) return null;
  return readJson(join(dir, `${Math.max(...versions)}.root.json`));
}

/** The repository's current top-level metadata JSON (signed parts), or null where absent. */
export function readRepository(repoDir) {
  const md = (name) => (existsSync(join(repoDir, 'metadata', name)) ? readJson(join(repoDir, 'metadata', name)) : null);
  return { root: latestRoot(repoDir), targets: md('targets.json'), snapshot: md('snapshot.json'), timestamp: md('timestamp.json') };
}

/**
 * Writes root version `version` (N.root.json and root.json) naming `roleKeys[role]` (key objects)
 * with `thresholds[role]`, signed by `signWith` (default: the new root keys). A rotation signs
 * with the old root's keys AND the new ones (TUF 5.3.4 / 5.3.5).
 */
export function writeRoot(repoDir, { version, expires, roleKeys, thresholds = {}, consistentSnapshot = false, signWith }) {
  const keys = {};
  const roles = {};
  for (const role of ROLES) {
    const list = roleKeys[role] ?? [];
    if (list.length === 0) throw new Error(`role ${role} needs at least one key`);
    const threshold = thresholds[role] ?? 1;
    if (threshold < 1 || threshold > list.length) throw new Error(`role ${role}: threshold ${threshold} needs 1…${list.length} keys`);
    for (const k of list) keys[k.keyid] = k.json;
    roles[role] = { keyids: list.map((k) => k.keyid), threshold };
  }
  const signed = { _type: 'root', spec_version: '1.0.31', version, expires: tufDate(expires), keys, roles, consistent_snapshot: consistentSnapshot };
  const json = signMetadata('root', signed, signWith ?? roleKeys.root);
  const bytes = bytesOf(json);
  writeFile(join(repoDir, 'metadata', `${version}.root.json`), bytes);
  writeFile(join(repoDir, 'metadata', 'root.json'), bytes);
  return json;
}

/**
 * Publishes `indexBytes` as the target `index.json`: targets, snapshot and timestamp each at the
 * given version and expiry, signed by the given keys (tests pass too few or wrong keys on
 * purpose). Returns the written JSON and bytes so tests can replay or mix them.
 */
export function writeRelease(repoDir, { indexBytes, consistentSnapshot, targets, snapshot, timestamp }) {
  const idx = Buffer.from(indexBytes);
  const hash = sha256(idx);
  const targetsJson = signMetadata('targets', {
    _type: 'targets', spec_version: '1.0.31', version: targets.version, expires: tufDate(targets.expires),
    targets: { [INDEX_TARGET]: { length: idx.length, hashes: { sha256: hash } } },
  }, targets.keys);
  const targetsBytes = bytesOf(targetsJson);
  const snapshotJson = signMetadata('snapshot', {
    _type: 'snapshot', spec_version: '1.0.31', version: snapshot.version, expires: tufDate(snapshot.expires),
    meta: { 'targets.json': { version: targets.version } },
  }, snapshot.keys);
  const snapshotBytes = bytesOf(snapshotJson);
  const timestampJson = signMetadata('timestamp', {
    _type: 'timestamp', spec_version: '1.0.31', version: timestamp.version, expires: tufDate(timestamp.expires),
    meta: { 'snapshot.json': { version: snapshot.version, length: snapshotBytes.length, hashes: { sha256: sha256(snapshotBytes) } } },
  }, timestamp.keys);
  const timestampBytes = bytesOf(timestampJson);
  const meta = join(repoDir, 'metadata');
  writeFile(join(repoDir, 'targets', INDEX_TARGET), idx);
  writeFile(join(meta, 'targets.json'), targetsBytes);
  writeFile(join(meta, 'snapshot.json'), snapshotBytes);
  if (consistentSnapshot) {
    writeFile(join(repoDir, 'targets', `${hash}.${INDEX_TARGET}`), idx);
    writeFile(join(meta, `${targets.version}.targets.json`), targetsBytes);
    writeFile(join(meta, `${snapshot.version}.snapshot.json`), snapshotBytes);
  }
  // The timestamp last: a reader that sees it finds everything it names already in place.
  writeFile(join(meta, 'timestamp.json'), timestampBytes);
  return { targets: targetsJson, snapshot: snapshotJson, timestamp: timestampJson, bytes: { targets: targetsBytes, snapshot: snapshotBytes, timestamp: timestampBytes, index: idx } };
}

/** Re-signs only the timestamp (version + 1) over the current snapshot: "the store is alive, nothing new". */
export function writeTimestamp(repoDir, { version, expires, keys }) {
  const snapshotBytes = readFileSync(join(repoDir, 'metadata', 'snapshot.json'));
  const snap = JSON.parse(snapshotBytes.toString('utf8'));
  const json = signMetadata('timestamp', {
    _type: 'timestamp', spec_version: '1.0.31', version, expires: tufDate(expires),
    meta: { 'snapshot.json': { version: snap.signed.version, length: snapshotBytes.length, hashes: { sha256: sha256(snapshotBytes) } } },
  }, keys);
  writeFile(join(repoDir, 'metadata', 'timestamp.json'), bytesOf(json));
  return json;
}
