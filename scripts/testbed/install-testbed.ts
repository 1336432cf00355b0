// The install testbed shared by the install integration tests and `npm run bench:install`: a real
// registry, a real cell (sshd + dockerd), cosign keys made now, and busybox images that stay up
// (`httpd -f`), imported into the cell's dockerd and pushed to the registry.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, lstat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adHocProfile, type CellProfile } from '../../electron/core/cell/profiles';
import type { SshContext } from '../../electron/core/cell/ssh-context';
import { startTestCell, type ComposeRuntime, type TestCell } from './cell';
import { cosignHome, cosignKeyPair, cosignSign, type CosignHome } from './cosign';
import { cosignBin } from './paths';
import { startRegistry, type TestRegistry } from './registry';

export interface InstallTestbed {
  reg: TestRegistry;
  cell: TestCell;
  cosign: CosignHome;
  storeKey: { key: string; pub: string };
  otherKey: { key: string; pub: string };
  profile: CellProfile;
  ssh: SshContext;
  dataDir: string;
  docker(args: string[], timeoutMs?: number): Promise<string>;
  /** Builds a distinct image, pushes it, returns `host/repo@digest`. */
  image(repo: string, content: string): Promise<string>;
  /** The same, also returning the tag it was pushed under (`host/repo:tag`), for tag-only listings. */
  taggedImage(repo: string, content: string): Promise<{ ref: string; tag: string }>;
  /**
   * Takes the cell's lock (`store/lock`, the one every apply script waits for) from outside, as
   * another operation would; `release()` ends the holder (a process this testbed started).
   */
  holdCellLock(): Promise<{ release(): Promise<void> }>;
  /** Waits until nothing holds the cell's lock, i.e. every script that took it has ended. */
  waitCellLockFree(timeoutSec?: number): Promise<void>;
  sign(ref: string, key?: string): Promise<void>;
  setMode(mode: string | null): Promise<void>;
  setCellKey(pub: string | null): Promise<void>;
  snapshot(): Promise<string>;
  stop(): Promise<void>;
}

function exec(file: string, args: string[], opts: { input?: Buffer; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = execFile(file, args, { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, encoding: 'buffer', env: opts.env }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')}: ${String(stderr)}`));
      else resolve(String(stdout));
    });
    if (opts.input) c.stdin?.end(opts.input);
  });
}

/**
 * The test images' command: httpd under a shell that exits on SIGTERM. As PID 1 without a handler,
 * httpd would ignore the TERM of `docker stop`/`compose down` and every stop would wait out the
 * 10 s grace period before the KILL. Each start prints one line naming the image's content, so
 * tests can read a service's logs and count its starts.
 */
const STAY_UP = "trap 'exit 0' TERM INT; echo \"pic-testbed started: $(/bin/busybox cat /content)\"; /bin/busybox httpd -f -p 80 & wait";

const lockFile = (c: TestCell) => join(c.root, 'store', 'lock');

/** One process that opens and locks the cell's lock file and sleeps; killing it (by its PID) releases the lock. */
async function holdLock(c: TestCell): Promise<{ release(): Promise<void> }> {
  // The cell user's scripts open the file for appending: create it as theirs, never as root.
  await readFile(lockFile(c)).catch(() => c.writeFile('store/lock', ''));
  const child = spawn('sh', ['-c', 'exec 9>>"$1"; flock -w 30 9 || exit 1; echo locked; exec sleep 300', 'sh', lockFile(c)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('testbed: the cell lock was not taken within 35 s')), 35_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (String(d).includes('locked')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`testbed: the lock holder exited (${code})`));
    });
  });
  return {
    async release() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function startInstallTestbed(opts: { cellCosign?: boolean; compose?: ComposeRuntime } = {}): Promise<InstallTestbed> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pic-install-data-'));
  const reg = await startRegistry();
  let cell: TestCell | null = null;
  let cosign: CosignHome | null = null;
  try {
    cell = await startTestCell({ withDocker: true, compose: opts.compose, ...(opts.cellCosign ? { cosignPath: cosignBin() } : {}) });
    cosign = await cosignHome();
    const storeKey = await cosignKeyPair(cosign, 'store');
    const otherKey = await cosignKeyPair(cosign, 'other');
    const hk = await cell.hostKey();
    await writeFile(cell.knownHosts, `[127.0.0.1]:${cell.port} ${hk.line}\n`);
    const c = cell;
    const profile = adHocProfile({ destination: c.alias, sshConfig: c.sshConfig, root: c.root, name: 'test cell' });
    const ssh: SshContext = { dataDir, timeouts: { connectTimeoutSec: 5, serverAliveIntervalSec: 1, serverAliveCountMax: 3 } };
    const rootfsBase = await mkdtemp(join(tmpdir(), 'pic-rootfs-'));
    await mkdir(join(rootfsBase, 'bin'));
    await copyFile('/bin/busybox', join(rootfsBase, 'bin', 'busybox'));
    const docker = (args: string[], timeoutMs?: number) => exec('docker', ['-H', c.dockerHost!, ...args], { timeoutMs });
    const snapshot = async () => {
      const lines: string[] = [];
      const walk = async (dir: string, rel: string, depth: number) => {
        if (depth > 8) return;
        for (const name of (await readdir(dir)).sort()) {
          const p = join(dir, name);
          const st = await lstat(p);
          if (st.isDirectory()) {
            lines.push(`d ${rel}${name}`);
            await walk(p, `${rel}${name}/`, depth + 1);
          } else lines.push(`f ${rel}${name} ${createHash('sha256').update(await readFile(p)).digest('hex')}`);
        }
      };
      await walk(c.root, '', 0);
      return lines.join('\n');
    };
    const tb: InstallTestbed = {
      reg, cell: c, cosign, storeKey, otherKey, profile, ssh, dataDir, docker,
      async taggedImage(repo, content) {
        await writeFile(join(rootfsBase, 'content'), content);
        const tag = `${reg.host}/${repo}:${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
        const tarBytes = await new Promise<Buffer>((resolve, reject) => {
          execFile('tar', ['-C', rootfsBase, '-c', '.'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (err, out) => (err ? reject(err) : resolve(out)));
        });
        await exec('docker', ['-H', c.dockerHost!, 'import', '--change', `CMD ${JSON.stringify(['/bin/busybox', 'sh', '-c', STAY_UP])}`, '-', tag], { input: tarBytes });
        const out = await docker(['push', tag], 120_000);
        const m = /digest: (sha256:[0-9a-f]{64})/.exec(out);
        if (!m) throw new Error(`push gave no digest: ${out}`);
        return { ref: `${reg.host}/${repo}@${m[1]}`, tag };
      },
      async image(repo, content) {
        return (await tb.taggedImage(repo, content)).ref;
      },
      holdCellLock: () => holdLock(c),
      async waitCellLockFree(timeoutSec = 60) {
        await exec('flock', ['-w', String(timeoutSec), lockFile(c), 'true'], { timeoutMs: (timeoutSec + 5) * 1000 });
      },
      async sign(ref, key = storeKey.key) {
        await cosignSign(cosign!, key, ref);
      },
      async setMode(mode) {
        if (mode === null) await c.remove('config/api/cell_config.json');
        else await c.writeFile('config/api/cell_config.json', JSON.stringify({ image_verification: { mode } }));
      },
      async setCellKey(pub) {
        if (pub === null) await c.remove('config/cosign/cosign.pub');
        else await c.writeFile('config/cosign/cosign.pub', await readFile(pub));
      },
      snapshot,
      async stop() {
        await rm(rootfsBase, { recursive: true, force: true });
        await c.stop();
        await cosign!.cleanup();
        await reg.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
    await tb.setCellKey(storeKey.pub);
    return tb;
  } catch (e) {
    await cell?.stop().catch(() => undefined);
    await cosign?.cleanup().catch(() => undefined);
    await reg.stop();
    throw e;
  }
}
