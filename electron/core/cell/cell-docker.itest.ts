import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCell, type TestCell } from '../../../scripts/testbed/cell';
import { adHocProfile } from './profiles';
import { closeCellConnection, runRemote } from './ssh';
import type { SshContext } from './ssh-context';

// The test cell with its private dockerd (install tests build on this): the ssh session reaches
// the daemon through DOCKER_HOST, as the unprivileged cell user.
let cell: TestCell;
let ctx: SshContext;
beforeAll(async () => {
  cell = await startTestCell({ withDocker: true });
  const d = await mkdtemp(join(tmpdir(), 'pic-it-docker-'));
  await writeFile(join(d, 'known_hosts'), `[127.0.0.1]:${cell.port} ${(await cell.hostKey()).line}\n`);
  ctx = { dataDir: d };
});
afterAll(async () => {
  if (cell) {
    await closeCellConnection(adHocProfile({ destination: cell.alias, sshConfig: cell.sshConfig }), ctx).catch(() => undefined);
    await cell.stop();
  }
  if (ctx) await rm(ctx.dataDir, { recursive: true, force: true });
});

describe('test cell with dockerd', () => {
  it('the ssh session talks to the private dockerd', async () => {
    expect(cell.dockerHost).toMatch(/^unix:\/\//);
    const p = adHocProfile({ destination: cell.alias, sshConfig: cell.sshConfig, root: cell.root });
    const r = await runRemote(p, 'echo "$DOCKER_HOST"; id -un; docker version --format "{{.Server.Version}}"; docker-compose version --short', ctx);
    expect(r.stderr).toBe('');
    const [host, user, server, compose] = r.stdout.trim().split('\n');
    expect(host).toBe(cell.dockerHost);
    expect(user).toBe(cell.user);
    expect(server).toMatch(/^\d+\.\d+/);
    expect(compose).toMatch(/^1\.\d+/);
  });
});
