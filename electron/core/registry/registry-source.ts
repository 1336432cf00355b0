// The distribution-API client, as an ImageSource (DESIGN 2.3): HTTPS, plain HTTP only for
// loopback or explicitly listed hosts; anonymous bearer tokens and Docker config credentials;
// redirects for blobs that never go https→http and drop credentials across origins; keep-alive;
// bounded concurrency, deadlines and body sizes; every manifest/blob asked by digest is hashed
// and compared before it is returned.
import { createHash } from 'node:crypto';
import { SourceError, DEFAULT_SOURCE_LIMITS, type FetchedManifest, type ImageSource, type SourceLimits } from '../source/image-source';
import { isSha256Digest } from '../reference/image-reference';
import { parseAuthChallenge } from './auth-challenge';
import { plainHttpAllowed, redirectRefusal, registryBaseUrl } from './plain-http';
import type { CredentialProvider, RegistryCredentials } from './docker-credentials';
import { createAgents, destroyAgents, httpRequest, type HttpAgents, type HttpRequest, type HttpResponse } from './http-transport';
import { Semaphore } from './semaphore';

interface RegistrySourceOptions {
  /** Registry as written in the reference (`127.0.0.1:5000`, `docker.io`). */
  registry: string;
  /** Hosts (host or host:port) an admin allowed over plain HTTP. */
  insecureHosts?: readonly string[];
  timeoutMs?: number;
  limits?: SourceLimits;
  credentials?: CredentialProvider;
  maxConcurrency?: number;
  agents?: HttpAgents;
  /**
   * Circuit breaker: after this many consecutive requests that got no HTTP answer at all
   * (timeout, refused, reset), every further request fails at once as unreachable — a dead
   * registry costs one round of timeouts, not one per image. Default 5.
   */
  breakerThreshold?: number;
}

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

const MAX_REDIRECTS = 5;
const MAX_TOKEN_BYTES = 256 * 1024;

function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export class RegistrySource implements ImageSource {
  readonly description: string;
  private readonly base: URL;
  private readonly agents: HttpAgents;
  private readonly ownAgents: boolean;
  private readonly timeoutMs: number;
  private readonly limits: SourceLimits;
  private readonly sem: Semaphore;
  private readonly tokens = new Map<string, Promise<string | null>>();
  private readonly tokenFetches = new Map<string, Promise<string>>();
  private basic: string | null = null;
  /** Learned once per registry: a 404 from the referrers endpoint means the API does not exist (OCI 1.1 answers 200 with an empty index). */
  private referrersUnsupported = false;
  private consecutiveNoAnswer = 0;
  private lastNoAnswer = '';

  constructor(private readonly opts: RegistrySourceOptions) {
    this.base = registryBaseUrl(opts.registry, opts.insecureHosts);
    this.description = `registry ${opts.registry}`;
    this.ownAgents = !opts.agents;
    this.agents = opts.agents ?? createAgents(opts.maxConcurrency ?? 16);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.limits = opts.limits ?? DEFAULT_SOURCE_LIMITS;
    this.sem = new Semaphore(opts.maxConcurrency ?? 16);
  }

  close(): void {
    if (this.ownAgents) destroyAgents(this.agents);
  }

  async getManifest(repository: string, reference: string, signal?: AbortSignal): Promise<FetchedManifest | null> {
    checkRepository(repository);
    if (!/^[\w][\w.:-]{0,200}$/.test(reference)) throw new SourceError('invalid', `"${repository}:${reference}" is not a repository and tag or digest`);
    const res = await this.get(repository, `/v2/${repository}/manifests/${reference}`, { Accept: MANIFEST_ACCEPT }, this.limits.maxManifestBytes, signal);
    if (res.status === 404) return null;
    this.expectOk(res, `manifest ${repository}:${reference}`);
    const digest = sha256Digest(res.body);
    if (reference.includes(':') && digest !== reference) {
      throw new SourceError('digest-mismatch', `${this.opts.registry} served a manifest for ${repository}@${reference} whose bytes hash to ${digest}`);
    }
    return { digest, mediaType: mediaTypeOf(res), bytes: res.body };
  }

  async getBlob(repository: string, digest: string, maxBytes: number, signal?: AbortSignal): Promise<Buffer | null> {
    checkRepository(repository);
    if (!isSha256Digest(digest)) throw new SourceError('invalid', `"${digest}" is not a sha256 digest`);
    const res = await this.get(repository, `/v2/${repository}/blobs/${digest}`, {}, maxBytes, signal);
    if (res.status === 404) return null;
    this.expectOk(res, `blob ${repository}@${digest}`);
    const got = sha256Digest(res.body);
    if (got !== digest) throw new SourceError('digest-mismatch', `${this.opts.registry} served blob ${digest} of ${repository} with bytes hashing to ${got}`);
    return res.body;
  }

  async getReferrers(repository: string, digest: string, signal?: AbortSignal): Promise<FetchedManifest | null> {
    if (this.referrersUnsupported) return null;
    checkRepository(repository);
    if (!isSha256Digest(digest)) throw new SourceError('invalid', `"${digest}" is not a sha256 digest`);
    const res = await this.get(repository, `/v2/${repository}/referrers/${digest}`, { Accept: 'application/vnd.oci.image.index.v1+json' }, this.limits.maxManifestBytes, signal);
    if (res.status === 404 || res.status === 405 || res.status === 400) {
      this.referrersUnsupported = true;
      return null;
    }
    this.expectOk(res, `referrers of ${repository}@${digest}`);
    const ct = String(res.headers['content-type'] ?? '');
    if (!ct.includes('json')) return null;
    return { digest: sha256Digest(res.body), mediaType: mediaTypeOf(res), bytes: res.body };
  }

  private expectOk(res: HttpResponse, what: string): void {
    if (res.status === 200) return;
    if (res.status === 401 || res.status === 403) throw new SourceError('auth', `${this.opts.registry} refused access to ${what} (HTTP ${res.status})`);
    // Any other status (400, 410, 429, 5xx, an unfollowed 3xx…) says nothing about the image or
    // its signatures — the registry did not serve the request, which is REGISTRY_UNREACHABLE
    // with the status as evidence, never "something unreadable is attached".
    throw new SourceError('unreachable', `${this.opts.registry} answered HTTP ${res.status} for ${what}${res.status >= 500 ? '' : `: ${snippet(res.body)}`}`);
  }

  /** GET with auth (challenge → token/basic, one retry) and redirects. */
  private get(repository: string, path: string, headers: Record<string, string>, maxBytes: number, signal?: AbortSignal): Promise<HttpResponse> {
    return this.sem.run(async () => {
      this.checkBreaker();
      const url = new URL(path, this.base);
      let auth = await this.cachedAuth(repository);
      let res = await this.follow(url, headers, auth, maxBytes, signal);
      if (res.status === 401) {
        auth = await this.authenticate(repository, res, signal);
        res = await this.follow(url, headers, auth, maxBytes, signal);
      }
      return res;
    });
  }

  private async follow(start: URL, headers: Record<string, string>, auth: string | null, maxBytes: number, signal?: AbortSignal): Promise<HttpResponse> {
    let url = start;
    let sendAuth = auth;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const h: Record<string, string> = { ...headers, 'User-Agent': 'pic-store-manager' };
      if (sendAuth) h.Authorization = sendAuth;
      const res = await this.request({ url, headers: h, maxBytes, timeoutMs: this.timeoutMs, signal });
      if (![301, 302, 303, 307, 308].includes(res.status)) return res;
      const loc = res.headers.location;
      if (!loc) return res;
      const next = new URL(loc, url);
      this.checkRedirect(url, next);
      if (next.origin !== url.origin) sendAuth = null;
      url = next;
    }
    throw new SourceError('unreachable', `${this.opts.registry} redirected more than ${MAX_REDIRECTS} times`);
  }

  /** One HTTP exchange, counted by the circuit breaker: any HTTP answer closes it again. */
  private async request(req: HttpRequest): Promise<HttpResponse> {
    this.checkBreaker();
    try {
      const res = await httpRequest(req, this.agents);
      this.consecutiveNoAnswer = 0;
      return res;
    } catch (e) {
      if (e instanceof SourceError && e.kind === 'unreachable') {
        this.consecutiveNoAnswer++;
        this.lastNoAnswer = e.message;
      }
      throw e;
    }
  }

  private checkBreaker(): void {
    const threshold = this.opts.breakerThreshold ?? 5;
    if (this.consecutiveNoAnswer >= threshold) {
      throw new SourceError('unreachable', `${this.opts.registry} not asked: its last ${this.consecutiveNoAnswer} requests got no answer (last: ${this.lastNoAnswer}), so the rest of this registry is given up at once`);
    }
  }

  private checkRedirect(from: URL, to: URL): void {
    const why = redirectRefusal(from, to, this.opts.insecureHosts);
    if (why) throw new SourceError('unreachable', `${this.opts.registry} ${why}`);
  }

  private plainAllowed(u: URL): boolean {
    return plainHttpAllowed(u.host, this.opts.insecureHosts);
  }

  private async cachedAuth(repository: string): Promise<string | null> {
    const t = this.tokens.get(repository);
    if (t) return t;
    return this.basic;
  }

  private async authenticate(repository: string, res: HttpResponse, signal?: AbortSignal): Promise<string> {
    const header = res.headers['www-authenticate'];
    const challenge = parseAuthChallenge(Array.isArray(header) ? header[0] : header);
    const creds = this.opts.credentials ? await this.opts.credentials(this.opts.registry) : null;
    if (challenge?.scheme === 'basic') {
      if (!creds?.username || creds.password === undefined) throw new SourceError('auth', `${this.opts.registry} wants a user name and password and none is configured in Docker's config.json`);
      this.basic = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
      return this.basic;
    }
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) {
      throw new SourceError('auth', `${this.opts.registry} refused the request (HTTP 401) without a usable challenge`);
    }
    // Requests that were refused together share one token fetch.
    const inFlight = this.tokenFetches.get(repository);
    if (inFlight) return inFlight;
    const p = this.fetchToken(challenge.params, repository, creds, signal);
    this.tokenFetches.set(repository, p);
    void p.finally(() => this.tokenFetches.delete(repository)).catch(() => undefined);
    this.tokens.set(repository, p);
    p.catch(() => this.tokens.delete(repository));
    return p;
  }

  private async fetchToken(params: Record<string, string>, repository: string, creds: RegistryCredentials | null, signal?: AbortSignal): Promise<string> {
    let realm: URL;
    try {
      realm = new URL(params.realm!);
    } catch {
      throw new SourceError('auth', `${this.opts.registry} named a token service that is not a URL`);
    }
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && this.plainAllowed(realm))) {
      throw new SourceError('auth', `${this.opts.registry} named a token service over plain http on ${realm.host}; refused`);
    }
    if (params.service) realm.searchParams.set('service', params.service);
    realm.searchParams.set('scope', params.scope ?? `repository:${repository}:pull`);
    const headers: Record<string, string> = { 'User-Agent': 'pic-store-manager' };
    let res;
    if (creds?.identityToken) {
      // Docker's OAuth2 refresh-token exchange (what `docker login` leaves as identitytoken).
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, client_id: 'pic-store-manager', scope: realm.searchParams.get('scope') ?? '' });
      if (params.service) form.set('service', params.service);
      const body = Buffer.from(form.toString());
      const url = new URL(realm.origin + realm.pathname);
      res = await this.request({ url, method: 'POST', body, headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(body.length) }, maxBytes: MAX_TOKEN_BYTES, timeoutMs: this.timeoutMs, signal });
    } else {
      if (creds?.username && creds.password !== undefined) headers.Authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
      res = await this.request({ url: realm, headers, maxBytes: MAX_TOKEN_BYTES, timeoutMs: this.timeoutMs, signal });
    }
    if (res.status === 401 || res.status === 403) throw new SourceError('auth', `the token service of ${this.opts.registry} refused our credentials (HTTP ${res.status})`);
    if (res.status !== 200) throw new SourceError(res.status >= 500 ? 'unreachable' : 'auth', `the token service of ${this.opts.registry} answered HTTP ${res.status}`);
    let body: { token?: unknown; access_token?: unknown };
    try {
      body = JSON.parse(res.body.toString('utf8')) as typeof body;
    } catch {
      throw new SourceError('auth', `the token service of ${this.opts.registry} did not answer JSON`);
    }
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : null;
    if (!token) throw new SourceError('auth', `the token service of ${this.opts.registry} gave no token`);
    return `Bearer ${token}`;
  }
}

/** Repository paths go into URLs: only the reference grammar's characters, never `..`. */
function checkRepository(repository: string): void {
  if (!/^[a-z0-9]+(?:[._/-]+[a-z0-9]+)*$/.test(repository) || repository.split('/').includes('..') || repository.length > 255) {
    throw new SourceError('invalid', `"${repository.slice(0, 100)}" is not a repository path`);
  }
}

function mediaTypeOf(res: HttpResponse): string {
  const ct = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (ct && ct !== 'application/json' && ct !== 'application/octet-stream') return ct;
  try {
    const mt = (JSON.parse(res.body.toString('utf8')) as { mediaType?: unknown }).mediaType;
    if (typeof mt === 'string') return mt;
  } catch {
    // not JSON: the caller's parser reports it
  }
  return ct;
}

function snippet(b: Buffer): string {
  return b.subarray(0, 200).toString('utf8').replace(/\s+/g, ' ');
}
