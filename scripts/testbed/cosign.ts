// The real cosign 2.5 as signer and reference verifier, plus signatures made by test code for
// the key types cosign cannot generate (P-384, P-521, RSA), judged by `cosign verify`. cosign
// runs with its own HOME in a temp dir; keys are generated at run time and never committed.
import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosignBin } from './paths';
import { pushBlob, pushManifest, OCI_MANIFEST } from './images';

export const COSIGN_PASSWORD = 'testbed-password';
export const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';

interface CosignRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CosignHome {
  dir: string;
  /** `extraEnv`: e.g. SIGSTORE_REKOR_PUBLIC_KEY for an offline check against a test log. */
  run(args: string[], timeoutMs?: number, extraEnv?: Record<string, string>): Promise<CosignRun>;
  cleanup(): Promise<void>;
}

export async function cosignHome(): Promise<CosignHome> {
  const dir = await mkdtemp(join(tmpdir(), 'pic-cosign-'));
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, COSIGN_PASSWORD, COSIGN_YES: 'true', DOCKER_CONFIG: join(dir, '.docker'), TUF_ROOT: join(dir, 'tuf') };
  return {
    dir,
    run: (args, timeoutMs = 60_000, extraEnv = {}) =>
      new Promise((resolve) => {
        execFile(cosignBin(), args, { env: { ...env, ...extraEnv }, cwd: dir, timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        });
      }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** `cosign generate-key-pair` in a fresh subdirectory; returns the key paths. */
export async function cosignKeyPair(home: CosignHome, name: string): Promise<{ key: string; pub: string }> {
  const d = join(home.dir, name);
  await mkdir(d, { recursive: true });
  const r = await home.run(['generate-key-pair', '--output-key-prefix', join(d, 'cosign')]);
  if (r.code !== 0) throw new Error(`cosign generate-key-pair: ${r.stderr}`);
  return { key: join(d, 'cosign.key'), pub: join(d, 'cosign.pub') };
}

export async function cosignSign(home: CosignHome, key: string, ref: string, annotations: Record<string, string> = {}): Promise<void> {
  const args = ['sign', '-y', '--key', key, '--tlog-upload=false', '--allow-insecure-registry', '--allow-http-registry'];
  for (const [k, v] of Object.entries(annotations)) args.push('-a', `${k}=${v}`);
  const r = await home.run([...args, ref]);
  if (r.code !== 0) throw new Error(`cosign sign ${ref}: ${r.stderr}`);
}

/** The reference verdict: does `cosign verify --insecure-ignore-tlog` accept the image? */
export async function cosignVerifies(home: CosignHome, pub: string, ref: string): Promise<boolean> {
  const r = await home.run(['verify', '--key', pub, '--insecure-ignore-tlog', '--allow-insecure-registry', '--allow-http-registry', ref], 30_000);
  return r.code === 0;
}

/**
 * cosign 2.5's offline verdict on a classic signature's log entry: it honours only the
 * environment variable SIGSTORE_REKOR_PUBLIC_KEY with `verify --key K --offline` (its
 * `--trusted-root` flag needs --new-bundle-format and is ignored otherwise), and run that way it
 * demands a valid entry for every signature — the behaviour of a "required" policy.
 */
export async function cosignVerifiesOffline(home: CosignHome, pub: string, logPub: string, ref: string): Promise<CosignRun> {
  return home.run(['verify', '--key', pub, '--offline', '--allow-insecure-registry', '--allow-http-registry', ref], 30_000, { SIGSTORE_REKOR_PUBLIC_KEY: logPub });
}

export type TestKeyType = 'p256' | 'p384' | 'p521' | 'rsa' | 'ed25519';

export interface TestKey {
  type: TestKeyType;
  privateKey: KeyObject;
  pubPath: string;
  pem: string;
}

/** A key pair made by node:crypto, its public half written where tests can trust it. */
export async function makeTestKey(dir: string, type: TestKeyType): Promise<TestKey> {
  const pair =
    type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : type === 'ed25519' ? generateKeyPairSync('ed25519')
    : generateKeyPairSync('ec', { namedCurve: type === 'p256' ? 'prime256v1' : type === 'p384' ? 'secp384r1' : 'secp521r1' });
  const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  await mkdir(dir, { recursive: true });
  const pubPath = join(dir, `${type}-${Math.random().toString(36).slice(2, 8)}.pub`);
  await writeFile(pubPath, pem);
  return { type, privateKey: pair.privateKey, pubPath, pem };
}

/** Signs like cosign: SHA-256 for ECDSA/RSA (PKCS#1 v1.5), plain Ed25519. */
export function signPayload(k: TestKey, payload: Buffer): Buffer {
  if (k.type === 'ed25519') return cryptoSign(null, payload, k.privateKey);
  return cryptoSign('sha256', payload, k.privateKey);
}

export function cosignPayload(dockerReference: string, digest: string, extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(JSON.stringify({ critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' }, optional: extra }));
}

interface RawSignature {
  payload: Buffer;
  signature: Buffer;
  /** Extra layer annotations (e.g. `dev.sigstore.cosign/bundle`, a transparency-log entry). */
  annotations?: Record<string, string>;
}

/**
 * Writes a classic `.sig` manifest by hand (layers in the given order), for signatures cosign
 * would refuse to make: other key types, transplanted or non-cosign payloads, forged bytes.
 */
export async function pushClassicSignatures(host: string, repo: string, imageDigest: string, sigs: RawSignature[]): Promise<string> {
  const base = `http://${host}`;
  const layers = [];
  for (const s of sigs) {
    const d = await pushBlob(base, repo, s.payload, SIMPLE_SIGNING);
    layers.push({ ...d, annotations: { 'dev.cosignproject.cosign/signature': s.signature.toString('base64'), ...s.annotations } });
  }
  const config = await pushBlob(base, repo, Buffer.from('{}'), 'application/vnd.oci.image.config.v1+json');
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers }));
  return pushManifest(base, repo, `${imageDigest.replace(':', '-')}.sig`, manifest, OCI_MANIFEST);
}

export async function readText(p: string): Promise<string> {
  return readFile(p, 'utf8');
}
