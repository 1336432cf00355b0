import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile, link, copyFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './registry';

export type { ComposeRuntime } from './cell-docker';
import { composeSession, startDockerd, stopDockerd, type ComposeRuntime, type Dockerd } from './cell-docker';
import { descendantsOf, run, signal, waitExit } from './processes';

/**
 * The test cell (testbed part 2, TESTBED.md): a real sshd on 127.0.0.1 with its own host key and
 * client key, a PIC root in a temp dir, a client ssh config with a Host alias, and optionally a
 * private dockerd reachable from the ssh session. The test owns every PID it starts; `stop()`
 * kills only those (and the sshd session processes they forked) and removes the temp dirs.
 */
export interface TestCell {
  /** The temp dir holding everything (keys, configs, logs). */
  dir: string;
  host: string;
  port: number;
  /** The login user on the cell (a dedicated unprivileged user when the tests run as root). */
  user: string;
  /** The `Host` alias in `sshConfig`; pass it as the destination together with `-F sshConfig`. */
  alias: string;
  /** `user@127.0.0.1`, for tests that pass port and identity explicitly instead of the config. */
  userAtHost: string;
  sshConfig: string;
  clientKey: string;
  /** The client config's UserKnownHostsFile (starts empty: the cell's key is unknown). */
  knownHosts: string;
  /** The PIC root on the cell. */
  root: string;
  /** `unix://…` of the cell's dockerd when started withDocker. */
  dockerHost: string | null;
  /** The current host public key line (`ssh-ed25519 AAAA…`) and its SHA256 fingerprint. */
  hostKey(): Promise<{ line: string; fingerprint: string }>;
  /** Writes a file under the PIC root, owned by the cell user unless `asRoot`. */
  writeFile(rel: string, data: string | Uint8Array, opts?: { mode?: number; asRoot?: boolean }): Promise<string>;
  mkdir(rel: string, opts?: { mode?: number; asRoot?: boolean }): Promise<string>;
  remove(rel: string): Promise<void>;
  /** PIDs of sshd's per-connection processes and everything under them (never the listener). */
  sessionPids(): Promise<number[]>;
  /** Host crash: SIGKILL every session process. */
  killSessions(): Promise<void>;
  /** Hang: SIGSTOP the listener and every session; `thaw()` undoes it. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** MITM / reinstall: kill sessions and sshd, start it again on the same port with a new host key. */
  restartWithNewHostKey(): Promise<void>;
  /** Auth failure: the client key is no longer authorized. */
  removeAuthorizedKey(): Promise<void>;
  /** The sshd listener PID (tests must never signal anything else). */
  sshdPid(): number;
  stop(): Promise<void>;
}

export interface TestCellOptions {
  withDocker?: boolean;
  /** Put the testbed's cosign on the session PATH (cell-side verification tests). */
  cosignPath?: string;
  /**
   * What the cell's session offers (withDocker): `v1` bookworm's `docker-compose` only (the
   * default), `v2` only the `docker compose` plugin (trixie's 2.26, in a DOCKER_CONFIG cli-plugins
   * dir; `docker-compose` hidden from the PATH), `both` (then the app must pick v2).
   */
  compose?: ComposeRuntime;
}


const CELL_USER = 'picstore-cell';
const SSHD = '/usr/sbin/sshd';


/** The unprivileged login user (root ignores file modes, which would hide "unreadable" cases). */
function ensureCellUser(): { user: string; uid: number; gid: number } {
  if (process.getuid?.() !== 0) {
    const user = run('id', ['-un']).trim();
    return { user, uid: process.getuid!(), gid: process.getgid!() };
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const uid = Number(run('id', ['-u', CELL_USER]).trim());
      const gid = Number(run('id', ['-g', CELL_USER]).trim());
      return { user: CELL_USER, uid, gid };
    } catch {
      try {
        run('useradd', ['-m', '-s', '/bin/sh', CELL_USER]);
        // useradd leaves the account locked ('!'), which sshd refuses without PAM.
        run('usermod', ['-p', '*', CELL_USER]);
      } catch {
        // Another test file may have created it at the same moment: look again.
      }
    }
  }
  throw new Error(`testbed: cannot create the cell user ${CELL_USER}`);
}

async function waitForBanner(port: number, deadlineMs: number): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  for (let i = 0; i < 200 && Date.now() < until; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      const done = (v: boolean) => {
        s.destroy();
        resolve(v);
      };
      s.setTimeout(1000, () => done(false));
      s.once('data', (b) => done(b.toString().startsWith('SSH-2.0')));
      s.once('error', () => done(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function sshKeygen(path: string, comment: string): void {
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
}

function fingerprintOf(pubFile: string): string {
  return run('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubFile]).split(/\s+/)[1] ?? '';
}

export async function startTestCell(opts: TestCellOptions = {}): Promise<TestCell> {
  const owner = ensureCellUser();
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 }).catch(() => undefined);
  const dir = await mkdtemp(join(tmpdir(), 'pic-cell-'));
  // The cell user must traverse the dir to reach its authorized_keys and the PIC root.
  await chmod(dir, 0o755);
  const hostKeyPath = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  sshKeygen(hostKeyPath, 'test-cell-host');
  sshKeygen(clientKey, 'test-cell-client');
  const authDir = join(dir, 'authorized_keys');
  await mkdir(authDir, { mode: 0o755 });
  const authFile = join(authDir, owner.user);
  await writeFile(authFile, await readFile(`${clientKey}.pub`), { mode: 0o644 });
  const root = join(dir, 'pic');
  await mkdir(join(root, 'config', 'api'), { recursive: true });
  await mkdir(join(root, 'config', 'cosign'), { recursive: true });
  await mkdir(join(root, 'services'), { recursive: true });
  await mkdir(join(root, 'store'), { recursive: true });
  for (const d of ['', 'config', 'config/api', 'config/cosign', 'services', 'store']) await chown(join(root, d), owner.uid, owner.gid);
  const knownHosts = join(dir, 'client_known_hosts');
  await writeFile(knownHosts, '', { mode: 0o600 });

  let docker: Dockerd | null = null;
  let sshd: ChildProcess | null = null;
  let port = 0;
  const sshdLog = join(dir, 'sshd.log');

  const env: string[] = [];
  const cleanup = async () => {
    if (sshd) {
      for (const p of await descendantsOf(sshd.pid ?? -1)) signal(p, 'SIGKILL');
      signal(sshd.pid ?? -1, 'SIGCONT');
      signal(sshd.pid ?? -1, 'SIGKILL');
      await waitExit(sshd, 5000);
    }
    if (docker) await stopDockerd(docker);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  };

  try {
    if (opts.withDocker) {
      docker = await startDockerd(owner);
      env.push(`DOCKER_HOST=unix://${docker.socket}`);
    }
    const path = ['/usr/local/bin', '/usr/bin', '/bin'];
    if (opts.cosignPath) {
      const bin = join(dir, 'bin');
      await mkdir(bin, { mode: 0o755 });
      // A hard link (or copy): the cell user cannot traverse root's home to follow a symlink.
      await link(opts.cosignPath, join(bin, 'cosign')).catch(() => copyFile(opts.cosignPath!, join(bin, 'cosign')));
      await chmod(join(bin, 'cosign'), 0o755);
      path.unshift(bin);
    }
    const compose = opts.compose ?? 'v1';
    const session = await composeSession(dir, compose, path);
    env.push(...session.env);
    if (opts.cosignPath || compose === 'v2') env.push(`PATH=${session.path.join(':')}`);

    const startSshd = async (): Promise<void> => {
      for (let attempt = 0; attempt < 5; attempt++) {
        if (port === 0 || attempt > 0) port = await freePort();
        const cfg = [
          `Port ${port}`,
          'ListenAddress 127.0.0.1',
          `HostKey ${hostKeyPath}`,
          `PidFile ${join(dir, 'sshd.pid')}`,
          `AuthorizedKeysFile ${authDir}/%u`,
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'UsePAM no',
          'PermitRootLogin prohibit-password',
          'StrictModes no',
          `AllowUsers ${owner.user}`,
          'MaxStartups 64',
          'MaxSessions 64',
          'LogLevel VERBOSE',
          ...(env.length ? [`SetEnv ${env.join(' ')}`] : []),
        ].join('\n');
        await writeFile(join(dir, 'sshd_config'), `${cfg}\n`);
        const log = openSync(sshdLog, 'a');
        const child = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', log, log] });
        closeSync(log);
        if (await waitForBanner(port, 10_000)) {
          sshd = child;
          return;
        }
        signal(child.pid ?? -1, 'SIGKILL');
        await waitExit(child, 2000);
      }
      const tail = await readFile(sshdLog, 'utf8').catch(() => '');
      throw new Error(`testbed: sshd did not start:\n${tail.slice(-2000)}`);
    };
    await startSshd();

    const alias = `pic-test-cell-${port}`;
    const sshConfig = join(dir, 'ssh_config');
    await writeFile(
      sshConfig,
      [
        `Host ${alias}`,
        '  HostName 127.0.0.1',
        `  Port ${port}`,
        `  User ${owner.user}`,
        `  IdentityFile ${clientKey}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${knownHosts}`,
        '  GlobalKnownHostsFile /dev/null',
        '  KexAlgorithms curve25519-sha256',
        '',
      ].join('\n'),
    );

    const sessions = async () => (sshd ? descendantsOf(sshd.pid ?? -1) : []);
    const abs = (rel: string) => {
      const p = join(root, rel);
      if (!p.startsWith(root)) throw new Error(`testbed: ${rel} escapes the PIC root`);
      return p;
    };

    return {
      dir,
      host: '127.0.0.1',
      get port() {
        return port;
      },
      user: owner.user,
      alias,
      userAtHost: `${owner.user}@127.0.0.1`,
      sshConfig,
      clientKey,
      knownHosts,
      root,
      dockerHost: docker ? `unix://${docker.socket}` : null,
      async hostKey() {
        const line = (await readFile(`${hostKeyPath}.pub`, 'utf8')).trim().split(/\s+/).slice(0, 2).join(' ');
        return { line, fingerprint: fingerprintOf(`${hostKeyPath}.pub`) };
      },
      async writeFile(rel, data, o = {}) {
        const p = abs(rel);
        await mkdir(dirname(p), { recursive: true });
        await rm(p, { recursive: true, force: true });
        await writeFile(p, data, { mode: o.mode ?? 0o644 });
        await chmod(p, o.mode ?? 0o644);
        if (!o.asRoot) await chown(p, owner.uid, owner.gid);
        return p;
      },
      async mkdir(rel, o = {}) {
        const p = abs(rel);
        await rm(p, { recursive: true, force: true });
        await mkdir(p, { recursive: true, mode: o.mode ?? 0o755 });
        if (!o.asRoot) await chown(p, owner.uid, owner.gid);
        return p;
      },
      async remove(rel) {
        await rm(abs(rel), { recursive: true, force: true });
      },
      sessionPids: sessions,
      async killSessions() {
        for (const p of await sessions()) signal(p, 'SIGKILL');
      },
      async freeze() {
        if (sshd?.pid) signal(sshd.pid, 'SIGSTOP');
        for (const p of await sessions()) signal(p, 'SIGSTOP');
      },
      async thaw() {
        for (const p of await sessions()) signal(p, 'SIGCONT');
        if (sshd?.pid) signal(sshd.pid, 'SIGCONT');
      },
      async restartWithNewHostKey() {
        if (sshd) {
          for (const p of await sessions()) signal(p, 'SIGKILL');
          signal(sshd.pid ?? -1, 'SIGCONT');
          signal(sshd.pid ?? -1, 'SIGKILL');
          await waitExit(sshd, 5000);
          sshd = null;
        }
        await rm(hostKeyPath, { force: true });
        await rm(`${hostKeyPath}.pub`, { force: true });
        sshKeygen(hostKeyPath, 'test-cell-host-new');
        await startSshd();
      },
      async removeAuthorizedKey() {
        await writeFile(authFile, '', { mode: 0o644 });
      },
      sshdPid() {
        return sshd?.pid ?? -1;
      },
      stop: cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
