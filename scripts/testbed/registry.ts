// A real CNCF distribution registry (`docker-registry`, Debian) on a random loopback port in a
// temp dir, for integration tests and the benchmark. The test owns the PID and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';

export interface TestRegistry {
  /** `127.0.0.1:PORT`, as written in image references. */
  host: string;
  port: number;
  url: string;
  dir: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function ping(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const r = http.get(`${url}/v2/`, (res) => {
      res.resume();
      resolve((res.statusCode ?? 0) > 0);
    });
    r.on('error', () => resolve(false));
    r.setTimeout(1000, () => r.destroy());
  });
}

interface RegistryOptions {
  /** Extra YAML appended under `auth:` (token auth tests), already indented. */
  authYaml?: string;
}

export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'pic-reg-'));
  let child: ChildProcess | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const cfg = [
      'version: 0.1',
      'log: { level: error, accesslog: { disabled: true } }',
      `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} }, delete: { enabled: true } }`,
      `http: { addr: 127.0.0.1:${port}, secret: testbed-${port} }`,
      ...(opts.authYaml ? ['auth:', opts.authYaml] : []),
    ].join('\n');
    await writeFile(join(dir, 'reg.yml'), `${cfg}\n`);
    child = spawn('docker-registry', ['serve', join(dir, 'reg.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => {
      if (stderr.length < 8192) stderr += b.toString();
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    let up = false;
    for (let i = 0; i < 200 && Date.now() < deadline && child.exitCode === null; i++) {
      if (await ping(url)) {
        up = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (up) {
      const c = child;
      return {
        host: `127.0.0.1:${port}`,
        port,
        url,
        dir,
        stop: async () => {
          if (c.exitCode === null) {
            c.kill('SIGTERM');
            await new Promise<void>((r) => {
              const t = setTimeout(() => {
                c.kill('SIGKILL');
                r();
              }, 3000);
              c.once('exit', () => {
                clearTimeout(t);
                r();
              });
            });
          }
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    if (child.exitCode === null) child.kill('SIGKILL');
    if (attempt === 2) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`docker-registry did not start: ${stderr}`);
    }
  }
  throw new Error('unreachable');
}
