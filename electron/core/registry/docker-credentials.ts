// Registry credentials from the user's Docker `config.json` (DESIGN 2.3): `credHelpers[host]`,
// then `credsStore`, then inline `auths[host].auth`. Helpers are run as
// `docker-credential-<name> get` with the server on stdin, through the process runner (argv
// only, bounded). Nothing is cached on disk; a helper that fails means "no credentials", so the
// registry's refusal (REGISTRY_AUTH_FAILED) is what the user sees.
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runProcess, type ProcessRunner } from '../process-runner';

export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** OAuth refresh token (`identitytoken`), exchanged at the token endpoint. */
  identityToken?: string;
}

export type CredentialProvider = (registry: string) => Promise<RegistryCredentials | null>;

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

const HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
const MAX_CONFIG_BYTES = 1024 * 1024;
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
}

async function readDockerConfig(path: string): Promise<DockerConfig | null> {
  try {
    const st = await stat(path);
    if (!st.isFile() || st.size > MAX_CONFIG_BYTES) return null;
    const v = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return v && typeof v === 'object' ? (v as DockerConfig) : null;
  } catch {
    return null;
  }
}

/** Keys under which config.json may name this registry (Docker Hub has several spellings). */
function keysFor(registry: string): string[] {
  if (registry === 'docker.io') return HUB_KEYS;
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}

function lookup<T>(map: Record<string, T> | undefined, registry: string): T | undefined {
  if (!map) return undefined;
  for (const k of keysFor(registry)) if (map[k] !== undefined) return map[k];
  return undefined;
}

async function fromHelper(helper: string, registry: string, run: ProcessRunner): Promise<RegistryCredentials | null> {
  if (!HELPER_NAME.test(helper)) return null;
  const server = registry === 'docker.io' ? HUB_KEYS[0]! : registry;
  try {
    const r = await run(`docker-credential-${helper}`, ['get'], { input: server, timeoutMs: 10_000, maxOutputBytes: 64 * 1024 });
    if (r.exitCode !== 0) return null;
    const v = JSON.parse(r.stdout) as { Username?: string; Secret?: string };
    if (!v.Secret) return null;
    if (v.Username === '<token>') return { identityToken: v.Secret };
    return { username: v.Username ?? '', password: v.Secret };
  } catch {
    return null;
  }
}

/** A provider reading config.json once (lazily) and asking helpers per registry. */
export function dockerConfigCredentials(opts: { env?: NodeJS.ProcessEnv; run?: ProcessRunner; path?: string } = {}): CredentialProvider {
  const path = opts.path ?? dockerConfigPath(opts.env);
  const run = opts.run ?? runProcess;
  let config: Promise<DockerConfig | null> | null = null;
  const memo = new Map<string, Promise<RegistryCredentials | null>>();
  return (registry) => {
    let p = memo.get(registry);
    if (!p) {
      p = (async () => {
        config ??= readDockerConfig(path);
        const c = await config;
        if (!c) return null;
        const helper = lookup(c.credHelpers, registry);
        if (helper) return fromHelper(helper, registry, run);
        const entry = lookup(c.auths, registry);
        if (c.credsStore && !entry?.auth) {
          const viaStore = await fromHelper(c.credsStore, registry, run);
          if (viaStore) return viaStore;
        }
        if (!entry) return null;
        if (entry.identitytoken) return { identityToken: entry.identitytoken };
        if (entry.auth) {
          const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
          const i = decoded.indexOf(':');
          if (i > 0) return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
        }
        if (entry.username && entry.password) return { username: entry.username, password: entry.password };
        return null;
      })();
      memo.set(registry, p);
    }
    return p;
  };
}
