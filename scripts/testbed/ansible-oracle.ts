import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/**
 * `ansible-playbook` as the oracle of fleet batch semantics (TESTBED: ansible-core 2.14 from
 * Debian): hosts with `ansible_connection: local` that fail on demand, one play with the same
 * `serial` and `max_fail_percentage`. Returns the hosts that had their turn, in the order they
 * logged it — where Ansible stopped is where the list ends.
 */
export interface OracleRun {
  hosts: readonly string[];
  failing: ReadonlySet<string>;
  serial: readonly (number | string)[];
  maxFailPercentage: number | null;
}

export async function ansibleTried(run: OracleRun): Promise<{ tried: string[]; exitCode: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'pic-ansible-oracle-'));
  try {
    const log = join(dir, 'turns.log');
    const hosts = Object.fromEntries(run.hosts.map((h) => [h, { fail_me: run.failing.has(h) }]));
    await writeFile(join(dir, 'inventory.yml'), stringify({ all: { vars: { ansible_connection: 'local', ansible_python_interpreter: '/usr/bin/python3' }, hosts } }));
    const play: Record<string, unknown> = { hosts: 'all', gather_facts: false, serial: run.serial, tasks: [{ name: 'turn', shell: `echo {{ inventory_hostname }} >> ${log}; exit {{ 1 if fail_me else 0 }}` }] };
    if (run.maxFailPercentage !== null) play.max_fail_percentage = run.maxFailPercentage;
    await writeFile(join(dir, 'play.yml'), stringify([play]));
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'), ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0' };
    const exitCode = await new Promise<number>((done) =>
      execFile('ansible-playbook', ['-i', join(dir, 'inventory.yml'), '-f', '16', join(dir, 'play.yml')], { env, cwd: dir, timeout: 120_000 }, (e) => done(e ? (typeof (e as { code?: unknown }).code === 'number' ? (e as { code: number }).code : -1) : 0)),
    );
    const tried = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    return { tried, exitCode };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
