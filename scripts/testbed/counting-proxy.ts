// A loopback HTTP front for a real registry that counts every request it forwards: a test proves
// "nothing was contacted" by a count of zero, and that a request went through by a count above it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  /** `127.0.0.1:PORT`, as written in image references. */
  host: string;
  /** Requests received so far (method and path, in order). */
  requests: string[];
  stop(): Promise<void>;
}

export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const headers = { ...req.headers, host: upstream };
    const out = http.request({ host: upstream.split(':')[0], port: Number(upstream.split(':')[1]), method: req.method, path: req.url, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
