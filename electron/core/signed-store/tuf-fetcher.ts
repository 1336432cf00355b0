import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { BaseFetcher } from 'tuf-js';
import { DownloadError, DownloadHTTPError, DownloadLengthMismatchError } from 'tuf-js/dist/error';
import { isLoopbackHost } from '../registry/plain-http';
import { errorMessage } from '../errors';

/**
 * The fetchers a signed store's TUF update reads through (DESIGN 2.7): https, loopback http
 * (tests) and `file:` directories (air-gapped mirrors, the demo store). tuf-js bounds every
 * download by the length the metadata allows; these only turn "not there" into the 404 tuf-js
 * expects (it ends the root-rotation walk) and every other failure to reach the repository into
 * an error whose message starts with UNREACHABLE_MARK — tuf-js wraps snapshot/targets failures
 * into a RuntimeError carrying only the inner message (TESTBED "tuf-js error traps").
 */
export const UNREACHABLE_MARK = 'store unreachable:';

/** A failure to reach the repository (not a verdict on what it serves). */
export class StoreUnreachableError extends DownloadError {}

function streamOf(bytes: Buffer): ReadableStream<Uint8Array<ArrayBuffer>> {
  return new ReadableStream({
    start(c) {
      c.enqueue(new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as Uint8Array<ArrayBuffer>);
      c.close();
    },
  });
}

/**
 * Metadata is read into memory, bounded by the length tuf-js allows, instead of through tuf-js's
 * temporary file per download: a refresh with nothing new then touches the disk only to read.
 */
abstract class InMemoryFetcher extends BaseFetcher {
  override async downloadBytes(url: string, maxLength: number): Promise<Buffer> {
    const reader = (await this.fetch(url)).getReader();
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > maxLength) throw new DownloadLengthMismatchError('Max length reached');
        chunks.push(Buffer.from(value));
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    return Buffer.concat(chunks);
  }
}

/** Files of a directory repository; a missing file is a 404, a missing directory the same (unreachable). */
class DirectoryFetcher extends InMemoryFetcher {
  async fetch(url: string): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
    let bytes: Buffer;
    try {
      bytes = await readFile(fileURLToPath(url));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new DownloadHTTPError(`${UNREACHABLE_MARK} ${url} does not exist`, 404);
      throw new StoreUnreachableError(`${UNREACHABLE_MARK} cannot read ${url}: ${errorMessage(e)}`);
    }
    return streamOf(bytes);
  }
}

/** https, or plain http to loopback only; redirects are refused (a repository names its own files). */
class HttpFetcher extends InMemoryFetcher {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  async fetch(url: string): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
    const u = new URL(url);
    if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) throw new StoreUnreachableError(`${UNREACHABLE_MARK} plain http is accepted only for loopback stores (${u.host})`);
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'error', headers: { 'User-Agent': 'pic-store-manager' }, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const cause = (e as { cause?: unknown }).cause;
      throw new StoreUnreachableError(`${UNREACHABLE_MARK} ${u.origin}: ${cause ? errorMessage(cause) : errorMessage(e)}`);
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      throw new DownloadHTTPError(`${UNREACHABLE_MARK} ${url} answered HTTP ${res.status}`, res.status);
    }
    return res.body as ReadableStream<Uint8Array<ArrayBuffer>>;
  }
}

export function createStoreFetcher(baseUrl: string, timeoutMs = 30_000): BaseFetcher {
  return baseUrl.startsWith('file:') ? new DirectoryFetcher() : new HttpFetcher(timeoutMs);
}
