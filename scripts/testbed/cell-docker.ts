import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { chmod, chown, copyFile, link, mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composePluginPath } from './paths';
import { descendantsOf, run, signal, waitExit } from './processes';

/**
 * The test cell's container side (TESTBED.md): a private dockerd reachable from the cell's ssh
 * session, and which compose runtimes that session offers (v1, the v2 plugin, or both).
 */
export type ComposeRuntime = 'v1' | 'v2' | 'both';

/**
 * The session environment that offers `compose` under `dir`: v2 as trixie's plugin in a
 * DOCKER_CONFIG cli-plugins dir; for v2 only, a PATH entry holding every command of /usr/bin but
 * `docker-compose` (returned to replace /usr/bin, and /bin when it is the same directory).
 */
export async function composeSession(dir: string, compose: ComposeRuntime, path: string[]): Promise<{ env: string[]; path: string[] }> {
  const env: string[] = [];
  const out = [...path];
  if (compose !== 'v1') {
    const plugins = join(dir, 'docker-config', 'cli-plugins');
    await mkdir(plugins, { recursive: true, mode: 0o755 });
    await chmod(join(dir, 'docker-config'), 0o755);
    // A hard link (or copy): the cell user cannot traverse root's home to follow a symlink.
    await link(composePluginPath(), join(plugins, 'docker-compose')).catch(() => copyFile(composePluginPath(), join(plugins, 'docker-compose')));
    await chmod(join(plugins, 'docker-compose'), 0o755);
    env.push(`DOCKER_CONFIG=${join(dir, 'docker-config')}`);
  }
  if (compose === 'v2') {
    const bin = join(dir, 'usr-bin-without-compose-v1');
    await mkdir(bin, { mode: 0o755 });
    for (const name of await readdir('/usr/bin')) if (name !== 'docker-compose') await symlink(join('/usr/bin', name), join(bin, name));
    out.splice(out.indexOf('/usr/bin'), 1, bin);
    if ((await realpath('/bin')) === '/usr/bin') out.splice(out.indexOf('/bin'), 1);
  }
  return { env, path: out };
}

export interface Dockerd {
  child: ChildProcess;
  socket: string;
  dir: string;
}

/** A private dockerd per TESTBED.md: guard route first, private roots, no iptables, test-only pool. */
export async function startDockerd(owner: { uid: number; gid: number }): Promise<Dockerd> {
  try {
    run('ip', ['route', 'add', 'unreachable', '198.18.0.0/15']);
  } catch (e) {
    if (!/File exists/.test(String((e as { stderr?: string }).stderr ?? e))) throw e;
  }
  // Short path: containerd's socket lives under exec-root and unix socket paths are short.
  const dir = await mkdtemp(join(tmpdir(), 'pcd-'));
  // The cell user must traverse it to reach the socket (chowned to that user once it exists).
  await chmod(dir, 0o711);
  const socket = join(dir, 'docker.sock');
  const log = openSync(join(dir, 'dockerd.log'), 'a');
  const child = spawn(
    'dockerd',
    [
      '--data-root', join(dir, 'data'),
      '--exec-root', join(dir, 'x'),
      '-H', `unix://${socket}`,
      '--pidfile', join(dir, 'docker.pid'),
      '--bridge=none', '--iptables=false', '--ip-forward=false', '--ip-masq=false',
      '--default-address-pool', 'base=198.18.0.0/16,size=24',
    ],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const until = Date.now() + 60_000;
  for (let i = 0; i < 600 && Date.now() < until; i++) {
    if (child.exitCode !== null) break;
    try {
      run('docker', ['-H', `unix://${socket}`, 'version', '--format', '{{.Server.Version}}']);
      await chown(socket, owner.uid, owner.gid);
      return { child, socket, dir };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  signal(child.pid ?? -1, 'SIGKILL');
  const tail = await readFile(join(dir, 'dockerd.log'), 'utf8').catch(() => '');
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  throw new Error(`testbed: dockerd did not come up within 60 s:\n${tail.slice(-2000)}`);
}

/**
 * The bridge interfaces of this dockerd's networks (`br-` + the network id's first 12 hex). A
 * stopped dockerd leaves them in the host's network namespace, and with its data root removed
 * nobody ever deletes them: after 256 leaked bridges the test pool 198.18.0.0/16 is exhausted and
 * every compose `up` on this machine fails ("could not find an available, non-overlapping IPv4
 * address pool").
 */
function networkBridges(d: Dockerd): string[] {
  try {
    return run('docker', ['-H', `unix://${d.socket}`, 'network', 'ls', '-q', '--no-trunc', '--filter', 'driver=bridge'])
      .split('\n')
      .filter((id) => /^[0-9a-f]{64}$/.test(id))
      .map((id) => `br-${id.slice(0, 12)}`);
  } catch {
    return [];
  }
}

export async function stopDockerd(d: Dockerd): Promise<void> {
  const bridges = networkBridges(d);
  signal(d.child.pid ?? -1, 'SIGTERM');
  if (!(await waitExit(d.child, 20_000))) {
    for (const p of await descendantsOf(d.child.pid ?? -1)) signal(p, 'SIGKILL');
    signal(d.child.pid ?? -1, 'SIGKILL');
    await waitExit(d.child, 5000);
  }
  for (const b of bridges) {
    try {
      run('ip', ['link', 'delete', b]);
    } catch {
      // already gone (dockerd removed it, or the network was removed before it stopped)
    }
  }
  await rm(d.dir, { recursive: true, force: true }).catch(() => undefined);
}
