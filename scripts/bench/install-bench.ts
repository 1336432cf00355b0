import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { closeCellConnection } from '../../electron/core/cell/ssh';
import { composeYaml } from '../../electron/core/install/compose-file';
import { installService, type InstallProgress } from '../../electron/core/install/install-flow';
import { RegistrySource } from '../../electron/core/registry/registry-source';
import { RegistrySourcePool } from '../../electron/core/registry/registry-pool';
import type { ServiceManifest } from '../../electron/core/store/manifest-schema';
import { loadTrustRootFromFiles } from '../../electron/core/trust/trust-root';
import { startInstallTestbed } from '../testbed/install-testbed';

/**
 * `npm run bench:install` (DESIGN 4): our whole install (status and probe in one round trip, fresh verification under
 * the cell key, lock, stage, pull, swap, up -d, receipts) against a raw
 * `ssh cell 'docker-compose -p … -f … up -d'` for the same compose file, measured in one run on
 * the same cell, each round a new service so neither side pays for stopping a container.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);

function sshRaw(cfg: string, alias: string, cmd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('ssh', ['-F', cfg, '-o', 'BatchMode=yes', '-T', '--', alias, cmd], { timeout: 120_000 }, (err, _o, stderr) => (err ? reject(new Error(String(stderr))) : resolve()));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const tb = await startInstallTestbed();
  const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: 5000 }));
  try {
    const image = await tb.image('bench/web', 'bench');
    await tb.sign(image);
    await tb.setMode('enforce');
    const appTrustRoot = await loadTrustRootFromFiles([tb.storeKey.pub], 'local');
    const runtime = (await new Promise<string>((r) => execFile('sh', ['-c', 'docker compose version >/dev/null 2>&1 && echo v2 || echo v1'], (_e, o) => r(String(o).trim())))) === 'v2' ? 'docker compose' : 'docker-compose';
    const ours: number[] = [];
    const cold: number[] = [];
    const raw: number[] = [];
    const phases: string[] = [];
    /** One full install of a new service; `fresh` closes the shared ssh connection first (as raw pays a fresh ssh). */
    const ourInstall = async (id: string, fresh: boolean): Promise<{ ms: number; marks: string }> => {
      if (fresh) await closeCellConnection(tb.profile, tb.ssh);
      const t0 = performance.now();
      const marks: [string, number][] = [];
      const onProgress = (p: InstallProgress) => {
        if (!p.line && marks.at(-1)?.[0] !== p.phase) marks.push([p.phase, performance.now() - t0]);
      };
      const { receipt } = await installService({ manifest: { id, name: 'Bench', version: '1', image }, store: null, profile: tb.profile, ssh: tb.ssh, appTrustRoot, sources: pool.provider, activityLog: join(tb.dataDir, 'activity.jsonl'), onProgress }, async () => true);
      if (receipt.outcome !== 'installed') throw new Error(`bench install failed: ${JSON.stringify(receipt.error)}`);
      return { ms: performance.now() - t0, marks: marks.map(([ph, ms]) => `${ph}@${ms.toFixed(0)}`).join(' ') };
    };
    for (let i = -1; i < ROUNDS; i++) {
      const warm = await ourInstall(`bo${i + 1}`, false);
      const fresh = await ourInstall(`bc${i + 1}`, true);
      const rm: ServiceManifest = { id: `br${i + 1}`, name: 'Bench', version: '1', image };
      const file = await tb.cell.writeFile(`raw/${rm.id}/docker-compose.yml`, composeYaml(rm, image.split('@')[1]!));
      const t = performance.now();
      await sshRaw(tb.cell.sshConfig, tb.cell.alias, `${runtime} -p pic-${rm.id} -f ${file} up -d`);
      const r = performance.now() - t;
      if (i >= 0) {
        phases.push(`warm: ${warm.marks} | fresh ssh: ${fresh.marks}`);
        ours.push(warm.ms);
        cold.push(fresh.ms);
        raw.push(r);
      }
    }
    const mo = median(ours);
    const mc = median(cold);
    const mr = median(raw);
    console.log(`install bench (${ROUNDS} rounds, runtime ${runtime}, same compose file, same cell):`);
    console.log(`  ours, shared ssh connection up (status+probe in one round trip, verify under cell key, lock/stage/[pull unless present by digest]/swap/up, receipts): median ${mo.toFixed(0)} ms  [${ours.map((x) => x.toFixed(0)).join(', ')}]`);
    console.log(`  ours, fresh ssh connection:                                                   median ${mc.toFixed(0)} ms  [${cold.map((x) => x.toFixed(0)).join(', ')}]`);
    console.log(`  raw  ssh cell '${runtime} -p … -f … up -d' (fresh ssh):                     median ${mr.toFixed(0)} ms  [${raw.map((x) => x.toFixed(0)).join(', ')}]`);
    console.log('  our phases (ms since start, each round):');
    for (const ph of phases) console.log(`    ${ph}`);
    console.log(`  ratio ours/raw: ${(mo / mr).toFixed(2)}x shared connection, ${(mc / mr).toFixed(2)}x fresh connection (target <= 1.5x)`);
  } finally {
    pool.close();
    await closeCellConnection(tb.profile, tb.ssh).catch(() => undefined);
    await tb.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
