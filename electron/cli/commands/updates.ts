import { resolve } from 'node:path';
import { closeCellConnection } from '../../core/cell/ssh';
import { getCellProfile, listCellProfiles, type CellProfile } from '../../core/cell/profiles';
import { terminalLines } from '../../core/terminal-text';
import { explainUpdateCode, isUpdateCode } from '../../core/catalogue/update-catalogue';
import { CoreError, errorMessage } from '../../core/errors';
import { effectiveStores, loadEffectiveStore } from '../../core/signed-store/effective-stores';
import { detectUpdates, updatesExitCode, type UpdatesReport, type UpdatesStore } from '../../core/updates/detect-updates';
import { formatReview } from '../../core/updates/review';
import { parseCommandArgs, UsageError } from '../args';
import type { CliContext } from '../context';
import { printJson, type CliIo, type ExitCode } from '../io';
import { cliCellProfile, containerText } from './cell';

/**
 * `pic-store updates [--cell DEST]... [--json]` (DESIGN 2.4, 2.9): the installed services of the
 * given cells (default: every profile in cells.json) against the configured stores. Exit 1 when
 * any service is revoked, 3 when no cell could be reached. DEST is a profile name, else an
 * OpenSSH destination (then --ssh-config and --root apply to it).
 */
export async function updatesCommand(argv: string[], io: CliIo, ctx: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, {
    cell: { type: 'string', multiple: true },
    'ssh-config': { type: 'string' },
    root: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}" (name cells with --cell DEST)`);
  const cells: CellProfile[] = [];
  for (const dest of values.cell ?? []) {
    const profile = await getCellProfile(ctx.dataDir, dest);
    cells.push(profile ?? cliCellProfile({ destination: dest, ...(values.root ? { root: values.root } : {}), ...(values['ssh-config'] ? { sshConfig: resolve(io.cwd, values['ssh-config']) } : {}) }));
  }
  if (!values.cell?.length) cells.push(...(await listCellProfiles(ctx.dataDir)));
  if (cells.length === 0) throw new UsageError('no cells: name one with --cell DEST, or add a cell profile first');

  // The stores the app reads, found the same way (shipped, configured, else the signed demo store).
  const { entries: found } = await effectiveStores(ctx);
  const stores: UpdatesStore[] = [];
  for (const store of found) {
    const entry = store.entry;
    try {
      // A signed store only through TUF (DESIGN 2.7), like install and verify store:NAME.
      stores.push({ entry, loaded: await loadEffectiveStore(store, { dataDir: ctx.dataDir, cwd: io.cwd, appConfigDir: ctx.appConfigDir }), error: null });
    } catch (e) {
      stores.push({ entry, loaded: null, error: { code: e instanceof CoreError ? e.code : 'INDEX_UNREADABLE', message: errorMessage(e) } });
    }
  }
  const appTrustRoot = await ctx.trustRoot();
  const insecureHosts = await ctx.plainHttpRegistries();
  const ssh = { dataDir: ctx.dataDir, env: io.env };
  let report: UpdatesReport;
  try {
    report = await detectUpdates({
      cells, stores, ssh, appTrustRoot,
      trustRootFor: (s) => ctx.trustRootFor({ isDemo: !!s.loaded?.isDemo }),
      verify: { insecureHosts, timeoutMs: 30_000 },
    });
  } finally {
    await Promise.all(cells.map((c) => closeCellConnection(c, ssh).catch(() => undefined)));
  }
  if (values.json) printJson(io, toJson(report));
  else io.out(formatUpdates(report));
  return updatesExitCode(report);
}

/** The DESIGN 2.4 document: per cell, per service; `status` (the whole cell status) stays inside the app. */
export function toJson(report: UpdatesReport) {
  return {
    cells: report.cells.map((c) => ({
      cell: c.cell,
      reachable: c.reachable,
      ...(c.error ? { error: c.error } : {}),
      services: c.services.map((s) => ({ id: s.id, installed: s.installed, listed: s.listed, state: s.state, reason: s.reason, revoked: s.revoked, endOfLife: s.endOfLife, review: s.review, ...(s.note ? { note: s.note } : {}) })),
    })),
    stores: report.stores,
  };
}

/** Human text; every line terminal-safe (cells and stores supply most of it). */
export function formatUpdates(report: UpdatesReport): string {
  const L: string[] = [];
  for (const s of report.stores) if (s.error) L.push(`store ${s.name} (${s.url}) could not be read: ${s.error.code}: ${s.error.message}`);
  for (const c of report.cells) {
    L.push(`${c.cell} (${c.destination})${c.reachable ? '' : ` — UNREACHABLE: ${c.error?.code}: ${c.error?.message}`}`);
    if (c.reachable && c.services.length === 0) L.push('  no services installed');
    for (const s of c.services) {
      const listed = s.listed ? `${s.listed.store} lists ${s.listed.version}` : 'not listed';
      L.push(`  ${s.id}  ${s.installed.version ?? '?'}  ${s.state.toUpperCase()}  (${listed}; container ${containerText(s.installed.container)})`);
      if (s.revoked) L.push(`    withdrawn on ${s.revoked.at}: ${s.revoked.reason}`);
      if (s.endOfLife) L.push(`    end of life: ${s.endOfLife.reason}${s.endOfLife.replacedBy ? ` — replaced by ${s.endOfLife.replacedBy}` : ''}`);
      if (s.note && !s.endOfLife) L.push(`    ${s.note}`);
      if (s.reason && isUpdateCode(s.reason)) {
        const e = explainUpdateCode(s.reason, { service: s.id, detail: s.revoked?.reason ?? s.note ?? 'see the review', newSigners: s.review?.signers.to });
        L.push(`    ${e.title}: ${e.sentence}`, `    next: ${e.next.admin}`);
      } else if (s.reason) L.push(`    reason: ${s.reason}`);
      if (s.review && (s.state === 'update' || s.state === 'held')) L.push(...formatReview(s.review).map((l) => `  ${l}`));
    }
  }
  return terminalLines(...L);
}
