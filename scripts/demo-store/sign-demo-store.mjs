#!/usr/bin/env node
// Makes the embedded demo store a signed store (DESIGN 2.7): a TUF directory repository beside
// its index — DIR/metadata/ (1.root.json, timestamp, snapshot, targets) and DIR/targets/index.json
// (the same bytes as DIR/index.json) — published with the documented publishing script
// (scripts/tuf/publish-store.mjs), far-future expiry, its own demo root.
//
//   node scripts/demo-store/sign-demo-store.mjs [DIR]     (default: config/demo-store)
//
// Run by make-demo-store.mjs after it writes the index; runnable alone to re-sign an index.
// The TUF keys are THROWAWAY: generated into a temp directory, used for this one signing and
// deleted before the script exits, so no private key is ever written into DIR or committed (the
// demo store is never re-published; the next run signs a new demo root from scratch). Only the
// public metadata — product data the app ships — stays.
//
// The demo store's initial trusted root — what the app and the CLI trust it by (core/signed-store/
// effective-stores.ts) — is DIR/metadata/1.root.json; DIR/metadata/root.json is the newest-root copy
// the publishing module writes beside it, read by nothing. Without 1.root.json the demo store cannot
// be read at all: it is never read unsigned from DIR/index.json (that file is this script's input).
//
// targets/oci is a relative symlink to ../oci: the index names its OCI layout relative to itself
// (`ociLayout: "oci"`), and the signed copy lives in targets/.
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, publish } from '../tuf/publish-store.mjs';

/** Far future: the demo store must never expire under the people trying the app. */
const DEMO_EXPIRES = '2099-12-31T00:00:00Z';

export function signDemoStore(dir) {
  const index = join(dir, 'index.json');
  if (!existsSync(index)) throw new Error(`${index} does not exist: write the demo index first`);
  const keys = mkdtempSync(join(tmpdir(), 'pic-demo-tuf-keys-'));
  try {
    rmSync(join(dir, 'metadata'), { recursive: true, force: true });
    rmSync(join(dir, 'targets'), { recursive: true, force: true });
    const root = init({ repo: dir, keys, expires: { root: DEMO_EXPIRES } });
    const release = publish({ repo: dir, keys, index, expires: { targets: DEMO_EXPIRES, snapshot: DEMO_EXPIRES, timestamp: DEMO_EXPIRES } });
    if (existsSync(join(dir, 'oci'))) symlinkSync(join('..', 'oci'), join(dir, 'targets', 'oci'), 'dir');
    return { rootKeyIds: root.signed.roles.root.keyids, targetsVersion: release.targets.signed.version };
  } finally {
    // Discards the private keys: nothing can sign for this demo root again.
    rmSync(keys, { recursive: true, force: true });
  }
}

const HERE = dirname(fileURLToPath(import.meta.url));
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const dir = resolve(process.argv[2] ?? join(HERE, '..', '..', 'config', 'demo-store'));
    const r = signDemoStore(dir);
    console.log(`demo store in ${dir} signed: root keys ${r.rootKeyIds.map((k) => k.slice(0, 16)).join(', ')}, targets v${r.targetsVersion}, valid until ${DEMO_EXPIRES}`);
  } catch (e) {
    console.error(`sign-demo-store: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
