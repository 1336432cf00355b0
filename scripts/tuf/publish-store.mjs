#!/usr/bin/env node
// Publishes a store index as a signed store (DESIGN 2.7): turns an index plus keys into a TUF
// repository that `pic-store store add NAME URL --root DIR/metadata/1.root.json` reads, and
// bumps its versions and expiries on every release. The app never holds these private keys:
// keep KEYS on the publishing machine (never in the repository directory you serve).
//
//   node scripts/tuf/publish-store.mjs init --repo DIR --keys KEYS [--key-type ed25519|ecdsa]
//        [--keys-per-role root=2,targets=1,...] [--threshold root=2,...] [--consistent-snapshot]
//        [--expires root=365d]
//        → generates the role keys into KEYS (PKCS#8 PEM, mode 0600) and writes DIR/metadata/1.root.json
//   node scripts/tuf/publish-store.mjs publish --repo DIR --keys KEYS --index INDEX.json
//        [--expires targets=90d,snapshot=30d,timestamp=7d]
//        → DIR/targets/index.json and targets, snapshot, timestamp each one version up
//   node scripts/tuf/publish-store.mjs timestamp --repo DIR --keys KEYS [--expires timestamp=7d]
//        → only a fresh timestamp (version up): "alive, nothing new" — run it before the last one expires
//   node scripts/tuf/publish-store.mjs rotate-root --repo DIR --keys KEYS [--key-type …]
//        [--keys-per-role root=N] [--threshold root=N] [--expires root=365d]
//        → new root keys; DIR/metadata/(N+1).root.json signed by the old root keys AND the new ones;
//          the old root keys move to KEYS/retired/
//
// Durations: 30d, 12h, 90m, 45s, or an ISO date. Keys are Ed25519 (default) or ECDSA P-256; a
// role may have several keys and a threshold > 1. With --consistent-snapshot the repository also
// carries N.targets.json, N.snapshot.json and targets/<sha256>.index.json (read when the root says
// so). The module behind it is scripts/tuf/tuf-repo.mjs (used by the demo store and the tests).
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROLES, generateKey, keyFromPem, latestRoot, parseExpiry, readRepository, writeRelease, writeRoot, writeTimestamp } from './tuf-repo.mjs';

const DEFAULT_EXPIRES = { root: '365d', targets: '90d', snapshot: '30d', timestamp: '7d' };

/** `root=2,targets=1` → { root: '2', targets: '1' }, refusing unknown roles. */
function roleMap(text) {
  const out = {};
  for (const part of (text ?? '').split(',').filter(Boolean)) {
    const [role, value] = part.split('=');
    if (!ROLES.includes(role) || value === undefined) throw new Error(`"${part}": write ROLE=VALUE with ROLE one of ${ROLES.join(', ')}`);
    out[role] = value;
  }
  return out;
}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const opts = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--consistent-snapshot') opts.consistentSnapshot = true;
    else if (/^--(repo|keys|index|key-type|keys-per-role|threshold|expires)$/.test(a)) {
      if (rest[i + 1] === undefined) throw new Error(`${a} needs a value`);
      opts[a.slice(2)] = rest[++i];
    } else throw new Error(`unknown argument ${a}`);
  }
  return { command, opts };
}

/** Every key in KEYS for `role` (`ROLE-N.pem`), as signing keys. */
export function loadRoleKeys(keysDir, role) {
  if (!existsSync(keysDir)) return [];
  return readdirSync(keysDir).filter((f) => f.startsWith(`${role}-`) && f.endsWith('.pem')).sort().map((f) => keyFromPem(readFileSync(join(keysDir, f))));
}

function saveKeys(keysDir, role, keys) {
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const taken = loadRoleKeys(keysDir, role).length;
  keys.forEach((k, i) => {
    const path = join(keysDir, `${role}-${taken + i + 1}.pem`);
    writeFileSync(path, k.pem, { mode: 0o600 });
    chmodSync(path, 0o600);
  });
}

/** The keys in KEYS the current root names for `role` (retired or stray keys are never used). */
function signingKeys(repo, keysDir, role) {
  const root = latestRoot(repo);
  if (!root) throw new Error(`${repo} has no N.root.json: run init first`);
  const ids = new Set(root.signed.roles[role].keyids);
  const keys = loadRoleKeys(keysDir, role).filter((k) => ids.has(k.keyid));
  if (keys.length < root.signed.roles[role].threshold) throw new Error(`${keysDir} holds ${keys.length} of the ${root.signed.roles[role].threshold} ${role} keys the root asks for`);
  return keys;
}

function rootRoleKeys(repo, keysDir) {
  return Object.fromEntries(ROLES.map((r) => [r, signingKeys(repo, keysDir, r)]));
}

export function init({ repo, keys, keyType = 'ed25519', keysPerRole = {}, threshold = {}, consistentSnapshot = false, expires = {} }) {
  if (latestRoot(repo)) throw new Error(`${repo} already has a root; use rotate-root to change it`);
  const roleKeys = {};
  for (const role of ROLES) {
    roleKeys[role] = Array.from({ length: Number(keysPerRole[role] ?? threshold[role] ?? 1) }, () => generateKey(keyType));
    saveKeys(keys, role, roleKeys[role]);
  }
  const thresholds = Object.fromEntries(ROLES.map((r) => [r, Number(threshold[r] ?? 1)]));
  return writeRoot(repo, { version: 1, expires: parseExpiry(expires.root ?? DEFAULT_EXPIRES.root), roleKeys, thresholds, consistentSnapshot });
}

export function publish({ repo, keys, index, expires = {} }) {
  const indexBytes = readFileSync(index);
  JSON.parse(indexBytes.toString('utf8')); // a broken index is refused here, not by every reader
  const cur = readRepository(repo);
  const next = (md) => (md ? md.signed.version + 1 : 1);
  const exp = (role) => parseExpiry(expires[role] ?? DEFAULT_EXPIRES[role]);
  return writeRelease(repo, {
    indexBytes,
    consistentSnapshot: cur.root.signed.consistent_snapshot === true,
    targets: { version: next(cur.targets), expires: exp('targets'), keys: signingKeys(repo, keys, 'targets') },
    snapshot: { version: next(cur.snapshot), expires: exp('snapshot'), keys: signingKeys(repo, keys, 'snapshot') },
    timestamp: { version: next(cur.timestamp), expires: exp('timestamp'), keys: signingKeys(repo, keys, 'timestamp') },
  });
}

export function timestamp({ repo, keys, expires = {} }) {
  const cur = readRepository(repo);
  if (!cur.timestamp) throw new Error(`${repo} has no timestamp.json: publish an index first`);
  return writeTimestamp(repo, { version: cur.timestamp.signed.version + 1, expires: parseExpiry(expires.timestamp ?? DEFAULT_EXPIRES.timestamp), keys: signingKeys(repo, keys, 'timestamp') });
}

export function rotateRoot({ repo, keys, keyType = 'ed25519', keysPerRole = {}, threshold = {}, expires = {} }) {
  const old = latestRoot(repo);
  if (!old) throw new Error(`${repo} has no root to rotate`);
  const roleKeys = rootRoleKeys(repo, keys);
  const oldRootKeys = roleKeys.root;
  const newRootKeys = Array.from({ length: Number(keysPerRole.root ?? threshold.root ?? 1) }, () => generateKey(keyType));
  const thresholds = Object.fromEntries(ROLES.map((r) => [r, old.signed.roles[r].threshold]));
  thresholds.root = Number(threshold.root ?? 1);
  const json = writeRoot(repo, {
    version: old.signed.version + 1, expires: parseExpiry(expires.root ?? DEFAULT_EXPIRES.root),
    roleKeys: { ...roleKeys, root: newRootKeys }, thresholds, consistentSnapshot: old.signed.consistent_snapshot === true,
    signWith: [...oldRootKeys, ...newRootKeys],
  });
  const retired = join(keys, 'retired');
  mkdirSync(retired, { recursive: true, mode: 0o700 });
  for (const f of readdirSync(keys).filter((n) => /^root-\d+\.pem$/.test(n))) renameSync(join(keys, f), join(retired, `v${old.signed.version}-${f}`));
  saveKeys(keys, 'root', newRootKeys);
  return json;
}

async function main(argv) {
  const { command, opts } = parseArgs(argv);
  if (!opts.repo || !opts.keys) throw new Error('--repo DIR and --keys KEYS are required');
  const common = { repo: resolve(opts.repo), keys: resolve(opts.keys), keyType: opts['key-type'], keysPerRole: roleMap(opts['keys-per-role']), threshold: roleMap(opts.threshold), expires: roleMap(opts.expires) };
  if (command === 'init') {
    const r = init({ ...common, consistentSnapshot: opts.consistentSnapshot });
    console.log(`wrote ${join(common.repo, 'metadata', '1.root.json')} (root keys ${r.signed.roles.root.keyids.map((k) => k.slice(0, 16)).join(', ')}, threshold ${r.signed.roles.root.threshold}, expires ${r.signed.expires})`);
  } else if (command === 'publish') {
    if (!opts.index) throw new Error('publish needs --index INDEX.json');
    const r = publish({ ...common, index: resolve(opts.index) });
    console.log(`published targets v${r.targets.signed.version} (expires ${r.targets.signed.expires}), snapshot v${r.snapshot.signed.version}, timestamp v${r.timestamp.signed.version} (expires ${r.timestamp.signed.expires})`);
  } else if (command === 'timestamp') {
    const r = timestamp(common);
    console.log(`timestamp v${r.signed.version} (expires ${r.signed.expires})`);
  } else if (command === 'rotate-root') {
    const r = rotateRoot(common);
    console.log(`wrote root v${r.signed.version} (root keys ${r.signed.roles.root.keyids.map((k) => k.slice(0, 16)).join(', ')}), signed by the old and the new root keys`);
  } else {
    throw new Error(`unknown command "${command ?? ''}": init, publish, timestamp or rotate-root`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`publish-store: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  });
}
