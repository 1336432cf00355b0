/**
 * The Installed view's data, built in main from core's update report (pure, unit-tested): each
 * row with the update catalogue's words and its Open address, the notices of states newly
 * reached since the previous check, and the addresses Open may use.
 */
import { explainUpdateCode, isUpdateCode, UPDATE_STATE_WORDS } from '../../../core/catalogue/update-catalogue';
import type { CellUpdates } from '../../../core/updates/detect-updates';
import { openTarget, type OpenTarget } from '../../../core/updates/open-address';
import type { CellUpdatesView, InstalledRow, UpdateNotice } from '../../contract/channels/cells';

/** States worth telling the person about when a service newly reaches them. */
const NOTIFY_STATES = new Set(['update', 'held', 'revoked', 'end-of-life']);

/** The addresses Open may use: those built from the configured cells' last inventories (DESIGN 3.1). */
export function openTargets(cells: readonly CellUpdatesView[]): OpenTarget[] {
  return cells.flatMap((c) => c.services.flatMap((s) => (s.openUrl ? [targetOf(s.openUrl)] : [])));
}

function targetOf(url: string): OpenTarget {
  const u = new URL(url);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  return { url, host, port: Number(u.port || 80) };
}

/** The Installed view's rows of one cell: core's states plus the catalogue's words, the Open address and the store id. */
export function rowsOf(c: CellUpdates, storeIdByName: Map<string, string>, hostName: string | null): InstalledRow[] {
  return c.services.map((s) => {
    const inst = c.status?.installed.find((i) => i.id === s.id);
    const asked = (s.review?.changes ?? []).filter((ch) => ch.change !== 'removed').map((ch) => `${ch.change === 'added' ? 'adds' : 'changes'} ${ch.field === 'environment' ? 'variable' : ch.field === 'ports' ? 'port' : 'volume'} ${ch.name}`);
    const detail = s.revoked?.reason ?? (s.reason === 'UPDATE_NEEDS_REVIEW' && asked.length ? asked.join(', ') : (s.note ?? 'see the review'));
    return {
      ...s,
      name: inst?.name ?? null,
      storeId: s.listed ? (storeIdByName.get(s.listed.store) ?? null) : null,
      openUrl: openTarget(c.destination, inst?.listing, hostName)?.url ?? null,
      ports: inst?.listing?.ports ?? [],
      reference: inst?.reference ?? null,
      stateWords: UPDATE_STATE_WORDS[s.state],
      explanation: s.reason && isUpdateCode(s.reason) ? explainUpdateCode(s.reason, { service: s.id, detail, newSigners: s.review?.signers.to }) : null,
    };
  });
}

/** States reached since the previous check (a first check tells about every such state once). */
export function noticesOf(previous: CellUpdatesView[], cells: CellUpdatesView[]): UpdateNotice[] {
  const before = new Map(previous.flatMap((c) => c.services.map((s) => [`${c.cellId}\n${s.id}`, `${s.state}\n${s.listed?.digest ?? ''}`] as const)));
  const out: UpdateNotice[] = [];
  for (const c of cells) {
    for (const s of c.services) {
      if (!NOTIFY_STATES.has(s.state) || before.get(`${c.cellId}\n${s.id}`) === `${s.state}\n${s.listed?.digest ?? ''}`) continue;
      const name = s.name ?? s.id;
      const body = s.state === 'revoked' ? `${name} on ${c.cell}: ${s.revoked?.reason ?? s.stateWords.sentence}` : s.state === 'end-of-life' ? `${name} on ${c.cell}: ${s.note ?? s.stateWords.sentence}` : `${name} on ${c.cell}: ${s.installed.version ?? '?'} → ${s.listed?.version ?? '?'}. ${s.stateWords.sentence}`;
      out.push({ cellId: c.cellId, serviceId: s.id, state: s.state, title: s.stateWords.label, body });
    }
  }
  return out;
}
