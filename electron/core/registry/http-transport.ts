// One bounded HTTP exchange over node:http/https with keep-alive agents (global fetch costs
// ≈0.4 s on first use in a fresh process; TESTBED). Every body is streamed and the request is
// destroyed the moment it passes its byte limit, and every request has a deadline, so an
// oversized or endless answer is a clean SourceError, never a hang or an out-of-memory.
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { SourceError } from '../source/image-source';

export interface HttpRequest {
  url: URL;
  method?: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  /** Request body (the OAuth token exchange only). */
  body?: Buffer;
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  url: URL;
}

export interface HttpAgents {
  http: http.Agent;
  https: https.Agent;
}

/** Keep-alive agents: one set per client so connections are reused across requests. */
export function createAgents(maxSockets = 16): HttpAgents {
  return {
    http: new http.Agent({ keepAlive: true, maxSockets, scheduling: 'lifo' }),
    https: new https.Agent({ keepAlive: true, maxSockets, scheduling: 'lifo' }),
  };
}

export function destroyAgents(a: HttpAgents): void {
  a.http.destroy();
  a.https.destroy();
}

/** Thrown when the caller's signal aborts: cancellation is not a verdict. */
class RequestCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}

export function httpRequest(req: HttpRequest, agents: HttpAgents): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    if (req.signal?.aborted) {
      reject(new RequestCancelledError());
      return;
    }
    const isHttps = req.url.protocol === 'https:';
    const mod = isHttps ? https : http;
    let settled = false;
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (err: Error | null, res?: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(res!);
    };
    const where = `${req.url.host}`;
    const r = mod.request(
      req.url,
      { method: req.method ?? 'GET', headers: req.headers, agent: isHttps ? agents.https : agents.http },
      (res) => {
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > req.maxBytes) {
          r.destroy();
          finish(new SourceError('limit', `${where} announced ${declared} bytes for ${req.url.pathname}, more than the limit of ${req.maxBytes}`));
          return;
        }
        res.on('data', (c: Buffer) => {
          total += c.length;
          if (total > req.maxBytes) {
            r.destroy();
            finish(new SourceError('limit', `${where} sent more than ${req.maxBytes} bytes for ${req.url.pathname}`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks, total), url: req.url }));
        res.on('error', (e) => finish(new SourceError('unreachable', `${where}: ${e.message}`)));
        res.on('aborted', () => finish(new SourceError('unreachable', `${where} closed the connection mid-answer`)));
      },
    );
    const timer = setTimeout(() => {
      r.destroy();
      finish(new SourceError('unreachable', `${where} did not answer within ${Math.round(req.timeoutMs / 100) / 10} s`));
    }, req.timeoutMs);
    const onAbort = () => {
      r.destroy();
      finish(new RequestCancelledError());
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    r.on('error', (e: NodeJS.ErrnoException) => finish(new SourceError('unreachable', `${where}: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ').trim())));
    r.end(req.body);
  });
}
