import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { closeCellConnection } from '../../electron/core/cell/ssh';
import { dataPaths } from '../../electron/core/data-dir';
import { buildFleetPlan } from '../../electron/core/fleet/plan';
import { RegistrySource } from '../../electron/core/registry/registry-source';
import { RegistrySourcePool } from '../../electron/core/registry/registry-pool';
import { loadTrustRootFromFiles } from '../../electron/core/trust/trust-root';
import { startFleetTestbed } from '../testbed/fleet-testbed';

/**
 * `npm run bench:fleet` (issue 16): `fleet plan` over N real cells (each cell read — mode, key,
 * runtime, installed services, probe — and the image verified fresh under each cell's key)
 * against `ansible all -f 16 -m command -a 'cat <root>/config/api/cell_config.json'` over the same
 * cells, side by side, cold (no shared ssh connection on either side) and warm (reused). Prints
 * the figures and the ratio; the target is at most 2x. Only the first cell runs a dockerd (it builds the image; planning only reads).
 */
const CELLS = Number(process.env.BENCH_CELLS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function ansible(inv: string, home: string, controlDir: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) =>
    execFile('ansible', ['all', '-i', inv, '-f', '16', '-m', 'command', '-a', 'cat {{ pic_root }}/config/api/cell_config.json'], {
      env: { PATH: process.env.PATH, HOME: home, ANSIBLE_LOCAL_TEMP: join(home, 'tmp'), ANSIBLE_SSH_CONTROL_PATH_DIR: controlDir, ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_NOCOLOR: '1' },
      timeout: 300_000,
    }, (e, out, err) => (e ? reject(new Error(`ansible failed: ${out}${err}`)) : resolve(performance.now() - t0))),
  );
}

async function main(): Promise<void> {
  const tb = await startFleetTestbed(CELLS, { withDocker: (i) => i === 0 });
  const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: 5000 }));
  const home = await mkdtemp(join(tmpdir(), 'pic-fleet-bench-'));
  try {
    const image = await tb.image('bench/fleet', 'fleet bench');
    await tb.sign(image);
    for (let i = 0; i < CELLS; i++) await tb.setMode(i, 'enforce');
    const appTrustRoot = await loadTrustRootFromFiles([tb.storeKey.pub], 'local');
    const inv = join(home, 'inventory.yml');
    await writeFile(inv, stringify({ all: { vars: { ansible_python_interpreter: '/usr/bin/python3' }, hosts: Object.fromEntries(tb.cells.map((c, i) => [tb.names[i], {
      ansible_host: '127.0.0.1', ansible_port: c.port, ansible_user: c.user, ansible_ssh_private_key_file: c.clientKey, pic_root: c.root,
      ansible_ssh_common_args: `-o UserKnownHostsFile=${c.knownHosts} -o GlobalKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o KexAlgorithms=curve25519-sha256`,
    }])) } }));
    const profiles = await tb.profiles();
    const manifest = { id: 'bench', name: 'Bench', version: '1', image };
    const plan = async () => {
      const t0 = performance.now();
      const p = await buildFleetPlan({ manifest, store: null, cells: profiles, ssh: tb.ssh, appTrustRoot, sources: pool.provider, activityLog: dataPaths(tb.dataDir).activity, concurrency: 16 });
      if (p.cells.some((c) => !c.reachable)) throw new Error(`bench: a cell was not read: ${JSON.stringify(p.cells.find((c) => !c.reachable))}`);
      return performance.now() - t0;
    };
    const closeAll = () => Promise.all(profiles.map((p) => closeCellConnection(p, tb.ssh).catch(() => undefined)));
    await ansible(inv, home, join(home, 'cp-warmup')); // python byte-compiles its modules once
    const r = { planCold: [] as number[], planWarm: [] as number[], ansCold: [] as number[], ansWarm: [] as number[] };
    for (let k = 0; k < ROUNDS; k++) {
      await closeAll();
      r.planCold.push(await plan());
      r.planWarm.push(await plan());
      const cp = join(home, `cp-${k}`);
      r.ansCold.push(await ansible(inv, home, cp));
      r.ansWarm.push(await ansible(inv, home, cp));
    }
    const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`fleet bench: ${CELLS} cells, ${ROUNDS} rounds, medians`);
    console.log(`  cold  pic-store fleet plan ${f(median(r.planCold))}   ansible -f 16 cat cell_config.json ${f(median(r.ansCold))}   ratio ${(median(r.planCold) / median(r.ansCold)).toFixed(2)}x`);
    console.log(`  warm  pic-store fleet plan ${f(median(r.planWarm))}   ansible -f 16 cat cell_config.json ${f(median(r.ansWarm))}   ratio ${(median(r.planWarm) / median(r.ansWarm)).toFixed(2)}x`);
    console.log('  (target: plan at most 2x ansible; the plan also verifies the image under each cell key)');
    await closeAll();
  } finally {
    pool.close();
    await tb.stop();
    await rm(home, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
