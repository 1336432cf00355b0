import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chown, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CellProfile } from '../../electron/core/cell/profiles';
import type { SshContext } from '../../electron/core/cell/ssh-context';
import { dataPaths } from '../../electron/core/data-dir';
import { startTestCell, type TestCell } from './cell';
import { cosignHome, cosignKeyPair, cosignSign, type CosignHome } from './cosign';
import { startRegistry, type TestRegistry } from './registry';

/**
 * Many real cells for the fleet tests and `npm run bench:fleet` (TESTBED "Facts for the next
 * wave"): each cell is its own sshd on a loopback port with its own PIC root AND its own dockerd
 * (cells sharing one dockerd would collide on the compose project `pic-<id>` when one service
 * goes to several of them), all pulling from one loopback registry. The data dir's cells.json
 * holds a profile per cell (`f1`…`fN`). Started once per test file and shared.
 */
export interface FleetTestbed {
  reg: TestRegistry;
  cells: TestCell[];
  names: string[];
  cosign: CosignHome;
  storeKey: { key: string; pub: string };
  otherKey: { key: string; pub: string };
  dataDir: string;
  ssh: SshContext;
  profiles(): Promise<CellProfile[]>;
  /** Builds a distinct busybox image that stays up, pushes it, returns `host/repo@digest`. */
  image(repo: string, content: string): Promise<string>;
  sign(ref: string, key?: string): Promise<void>;
  setMode(i: number, mode: string | null, raw?: string): Promise<void>;
  setCellKey(i: number, pub: string | null): Promise<void>;
  /** Makes installs on cell i fail on demand (its services/ dir owned by root) or work again. */
  setBroken(i: number, broken: boolean): Promise<void>;
  docker(i: number, args: string[]): Promise<string>;
  stop(): Promise<void>;
}

function exec(file: string, args: string[], opts: { input?: Buffer; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = execFile(file, args, { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, encoding: 'buffer' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')}: ${String(stderr)}`));
      else resolve(String(stdout));
    });
    if (opts.input) c.stdin?.end(opts.input);
  });
}

/** As in the install testbed: a shell that exits on TERM, so `compose down` does not wait 10 s. */
const STAY_UP = "trap 'exit 0' TERM INT; echo \"pic-testbed started: $(/bin/busybox cat /content)\"; /bin/busybox httpd -f -p 80 & wait";

export async function startFleetTestbed(count: number, opts: { withDocker?: (i: number) => boolean } = {}): Promise<FleetTestbed> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pic-fleet-data-'));
  const reg = await startRegistry();
  const cells: TestCell[] = [];
  let cosign: CosignHome | null = null;
  const rootfs = await mkdtemp(join(tmpdir(), 'pic-fleet-rootfs-'));
  const cleanup = async () => {
    await Promise.all(cells.map((c) => c.stop().catch(() => undefined)));
    await cosign?.cleanup().catch(() => undefined);
    await reg.stop().catch(() => undefined);
    await rm(rootfs, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    // Started a few at a time: dockerd start-up is CPU-bound and the machine has 2 cores.
    for (let i = 0; i < count; i += 4) {
      const batch = await Promise.allSettled(Array.from({ length: Math.min(4, count - i) }, (_, k) => startTestCell({ withDocker: opts.withDocker?.(i + k) ?? true })));
      for (const r of batch) if (r.status === 'fulfilled') cells.push(r.value);
      const failed = batch.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }
    cosign = await cosignHome();
    const storeKey = await cosignKeyPair(cosign, 'store');
    const otherKey = await cosignKeyPair(cosign, 'other');
    const names = cells.map((_, i) => `f${i + 1}`);
    for (const c of cells) await writeFile(c.knownHosts, `[127.0.0.1]:${c.port} ${(await c.hostKey()).line}\n`);
    await writeFile(dataPaths(dataDir).cells, JSON.stringify({ version: 1, cells: cells.map((c, i) => ({ id: `fleet-${i + 1}`, name: names[i], destination: c.alias, sshConfig: c.sshConfig, root: c.root, groups: [i < count / 2 ? 'east' : 'west'] })) }, null, 2));
    await mkdir(join(rootfs, 'bin'));
    await copyFile('/bin/busybox', join(rootfs, 'bin', 'busybox'));
    const builder = cells.find((c) => c.dockerHost)!;
    const uidOf = async (c: TestCell) => (await stat(c.root)).uid;
    const co = cosign;
    const tb: FleetTestbed = {
      reg, cells, names, cosign: co, storeKey, otherKey, dataDir,
      ssh: { dataDir, timeouts: { connectTimeoutSec: 5, serverAliveIntervalSec: 1, serverAliveCountMax: 3 } },
      async profiles() {
        return (JSON.parse(await readFile(dataPaths(dataDir).cells, 'utf8')) as { cells: CellProfile[] }).cells;
      },
      async image(repo, content) {
        await writeFile(join(rootfs, 'content'), content);
        const tag = `${reg.host}/${repo}:${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
        const tar = await new Promise<Buffer>((ok, fail) => execFile('tar', ['-C', rootfs, '-c', '.'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (e, out) => (e ? fail(e) : ok(out))));
        await exec('docker', ['-H', builder.dockerHost!, 'import', '--change', `CMD ${JSON.stringify(['/bin/busybox', 'sh', '-c', STAY_UP])}`, '-', tag], { input: tar });
        const out = await exec('docker', ['-H', builder.dockerHost!, 'push', tag], { timeoutMs: 120_000 });
        const m = /digest: (sha256:[0-9a-f]{64})/.exec(out);
        if (!m) throw new Error(`push gave no digest: ${out}`);
        return `${reg.host}/${repo}@${m[1]}`;
      },
      sign: (ref, key = storeKey.key) => cosignSign(co, key, ref),
      async setMode(i, mode, raw) {
        if (raw !== undefined) await cells[i]!.writeFile('config/api/cell_config.json', raw);
        else if (mode === null) await cells[i]!.remove('config/api/cell_config.json');
        else await cells[i]!.writeFile('config/api/cell_config.json', JSON.stringify({ image_verification: { mode } }));
      },
      async setCellKey(i, pub) {
        if (pub === null) await cells[i]!.remove('config/cosign/cosign.pub');
        else await cells[i]!.writeFile('config/cosign/cosign.pub', await readFile(pub));
      },
      async setBroken(i, broken) {
        const c = cells[i]!;
        const uid = broken ? 0 : await uidOf(c);
        await chown(join(c.root, 'services'), uid, broken ? 0 : (await stat(c.root)).gid);
      },
      docker: (i, args) => exec('docker', ['-H', cells[i]!.dockerHost!, ...args]),
      stop: cleanup,
    };
    for (let i = 0; i < cells.length; i++) await tb.setCellKey(i, storeKey.pub);
    return tb;
  } catch (e) {
    await cleanup();
    throw e;
  }
}
