import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
// The publishing module itself (scripts/tuf/tuf-repo.mjs): tests sign with the same code the
// publisher runs, and make bad repositories by passing the wrong keys, versions or expiries.
import { generateKey, writeRelease, writeRoot, writeTimestamp } from '../tuf/tuf-repo.mjs';

/**
 * Signed-store repositories for tests and the benchmark (DESIGN 2.7): a TUF repository in a temp
 * directory, published release by release, served as a `file:` directory or over a loopback
 * http server the test owns and stops.
 */
export type TufKey = ReturnType<typeof generateKey>;
export type Role = 'root' | 'targets' | 'snapshot' | 'timestamp';

export interface TestTufRepo {
  dir: string;
  /** `file:` URL of the repository directory. */
  fileUrl: string;
  keys: Record<Role, TufKey[]>;
  thresholds: Record<Role, number>;
  consistentSnapshot: boolean;
  rootVersion: number;
  /** Publishes `index` as the next release (targets, snapshot, timestamp each one up unless given). */
  publish(index: unknown, opts?: ReleaseOptions): ReturnType<typeof writeRelease>;
  /** Only a new timestamp over the current snapshot. */
  timestamp(opts?: { version?: number; expiresInMs?: number; keys?: TufKey[] }): void;
  /** Root version + 1 with fresh root keys, signed by `signWith` (default: old and new root keys). */
  rotateRoot(opts?: { signWith?: (oldKeys: TufKey[], newKeys: TufKey[]) => TufKey[] }): void;
  versions: { targets: number; snapshot: number; timestamp: number };
}

export interface ReleaseOptions {
  versions?: Partial<Record<'targets' | 'snapshot' | 'timestamp', number>>;
  expiresInMs?: Partial<Record<'targets' | 'snapshot' | 'timestamp', number>>;
  keys?: Partial<Record<'targets' | 'snapshot' | 'timestamp', TufKey[]>>;
}

const DAY = 86_400_000;

export function makeTufRepo(dir: string, opts: { keyType?: 'ed25519' | 'ecdsa'; consistentSnapshot?: boolean; thresholds?: Partial<Record<Role, number>>; rootExpiresInMs?: number } = {}): TestTufRepo {
  const thresholds: Record<Role, number> = { root: 1, targets: 1, snapshot: 1, timestamp: 1, ...opts.thresholds };
  const gen = (n: number) => Array.from({ length: n }, () => generateKey(opts.keyType ?? 'ed25519'));
  const keys: Record<Role, TufKey[]> = { root: gen(thresholds.root), targets: gen(thresholds.targets), snapshot: gen(thresholds.snapshot), timestamp: gen(thresholds.timestamp) };
  const consistentSnapshot = opts.consistentSnapshot ?? false;
  const rootExpires = () => new Date(Date.now() + (opts.rootExpiresInMs ?? 365 * DAY));
  writeRoot(dir, { version: 1, expires: rootExpires(), roleKeys: keys, thresholds, consistentSnapshot });
  const repo: TestTufRepo = {
    dir,
    fileUrl: `file://${dir}`,
    keys,
    thresholds,
    consistentSnapshot,
    rootVersion: 1,
    versions: { targets: 0, snapshot: 0, timestamp: 0 },
    publish(index, o = {}) {
      const role = (r: 'targets' | 'snapshot' | 'timestamp', defaultMs: number) => {
        const version = o.versions?.[r] ?? repo.versions[r] + 1;
        repo.versions[r] = Math.max(repo.versions[r], version);
        return { version, expires: new Date(Date.now() + (o.expiresInMs?.[r] ?? defaultMs)), keys: o.keys?.[r] ?? keys[r] };
      };
      const indexBytes = Buffer.isBuffer(index) ? index : Buffer.from(JSON.stringify(index));
      return writeRelease(dir, { indexBytes, consistentSnapshot, targets: role('targets', 90 * DAY), snapshot: role('snapshot', 30 * DAY), timestamp: role('timestamp', 7 * DAY) });
    },
    timestamp(o = {}) {
      const version = o.version ?? repo.versions.timestamp + 1;
      repo.versions.timestamp = Math.max(repo.versions.timestamp, version);
      writeTimestamp(dir, { version, expires: new Date(Date.now() + (o.expiresInMs ?? 7 * DAY)), keys: o.keys ?? keys.timestamp });
    },
    rotateRoot(o = {}) {
      const newKeys = gen(thresholds.root);
      const signWith = o.signWith ? o.signWith(keys.root, newKeys) : [...keys.root, ...newKeys];
      repo.rootVersion += 1;
      writeRoot(dir, { version: repo.rootVersion, expires: rootExpires(), roleKeys: { ...keys, root: newKeys }, thresholds, consistentSnapshot, signWith });
      keys.root = newKeys;
    },
  };
  return repo;
}

export async function initialRootOf(repo: TestTufRepo): Promise<Buffer> {
  return readFile(join(repo.dir, 'metadata', '1.root.json'));
}

export interface RepoServer {
  url: string;
  /** Requests seen (path only), for tests that check what was fetched. */
  requests: string[];
  stop(): Promise<void>;
}

/** Serves a repository directory read-only on a random loopback port. */
export async function serveRepo(dir: string): Promise<RepoServer> {
  const requests: string[] = [];
  const root = normalize(dir);
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    requests.push(path);
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (b) => res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': b.length }).end(b),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    stop: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
