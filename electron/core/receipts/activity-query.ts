// Paging and filtering over a receipts JSON-lines document — the local activity log or a cell's
// `store/receipts.jsonl` fetched over SSH. Newest first means last line first. Lines are parsed
// lazily from the end, and a filter first looks for its value in the raw line so that most
// non-matching lines are never parsed (10,000 receipts stay fast).
import type { Receipt, ReceiptAction, ReceiptOutcome } from './receipt';
import { RECEIPT_KIND, RECEIPT_VERSION } from './receipt';
import { validateReceipt } from './receipt-schema';
import { BADGES, type BadgeKey } from '../catalogue/short-labels';
import { errorLabel } from '../catalogue/error-catalogue';

export interface ActivityQuery {
  offset?: number;
  limit?: number;
  outcome?: ReceiptOutcome;
  action?: ReceiptAction;
  /** Matches the cell's profile name or its destination. */
  cell?: string;
  /** Matches the service id or name. */
  service?: string;
  /** Matches the verification reason code or the error code, or either's label (any case). */
  reason?: string;
  /** Matches the receipt's id exactly (the id `pic-store activity` prints). */
  id?: string;
}

export interface SkippedLine {
  /** 1-based line number in what was read. */
  line: number;
  reason: string;
}

export interface ActivityPage {
  receipts: Receipt[];
  /**
   * How many receipts match the filters in the whole log. Lines off the page get a cheap shape
   * check (kind, version, id), only the page gets the full schema — so in a corrupted log a
   * line counted here can still be skipped when its page is shown (and is then reported).
   */
  total: number;
  offset: number;
  limit: number;
  /** Lines that could not be used (a torn last line, corruption): reported, never removed. */
  skipped: SkippedLine[];
  skippedCount: number;
  /** True when the log was too large and only its newest part was read. */
  truncatedHead: boolean;
}

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 10_000;
const MAX_SKIPPED_LISTED = 100;

export function queryReceiptLines(
  buf: Buffer,
  query: ActivityQuery = {},
  opts: { truncatedHead?: boolean } = {},
): ActivityPage {
  const offset = clampInt(query.offset, 0, Number.MAX_SAFE_INTEGER, 0);
  const limit = clampInt(query.limit, 0, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
  const needles = filterNeedles(query);
  const lines = lineRanges(buf);
  const page: ActivityPage = {
    receipts: [],
    total: 0,
    offset,
    limit,
    skipped: [],
    skippedCount: 0,
    truncatedHead: Boolean(opts.truncatedHead),
  };
  const skip = (line: number, reason: string) => {
    page.skippedCount++;
    if (page.skipped.length < MAX_SKIPPED_LISTED) page.skipped.push({ line, reason });
  };

  for (let i = lines.length - 1; i >= 0; i--) {
    const range = lines[i]!;
    // After a cut at the head of a huge log, the first line is a fragment: not a receipt.
    if (i === 0 && opts.truncatedHead) {
      skip(1, 'older part of the log not read (the log is too large); this line was cut');
      continue;
    }
    const text = buf.toString('utf8', range.start, range.end).trim();
    if (text === '') continue;
    // Cheap necessary condition: a matching line contains each filter value as JSON writes it.
    if (needles.length > 0 && !text.includes('\\u') && !needles.every((n) => text.includes(n))) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      skip(i + 1, range.terminated ? 'not valid JSON; left in place' : 'incomplete last line (a write was interrupted); left in place');
      continue;
    }
    if (!looksLikeReceipt(value)) {
      skip(i + 1, 'not a PIC Store receipt; left in place');
      continue;
    }
    if (!matches(value, query)) continue;
    const index = page.total;
    if (index >= offset && index < offset + limit) {
      // Only what is shown gets the full (bounded, strict) validation.
      const v = validateReceipt(value);
      if (!v.ok) {
        skip(i + 1, `not a valid receipt: ${v.problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`);
        continue;
      }
      page.receipts.push(v.receipt);
    }
    page.total++;
  }
  page.skipped.sort((a, b) => b.line - a.line);
  return page;
}

interface LineRange {
  start: number;
  end: number;
  /** False for a last line without its newline: a write that may have been cut short. */
  terminated: boolean;
}

function lineRanges(buf: Buffer): LineRange[] {
  const out: LineRange[] = [];
  let start = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    if (nl === -1) {
      out.push({ start, end: buf.length, terminated: false });
      break;
    }
    out.push({ start, end: nl, terminated: true });
    start = nl + 1;
  }
  return out;
}

function filterNeedles(q: ActivityQuery): string[] {
  // A reason given as a label ("Unsigned") is not in the line's text; only a code is a safe needle.
  const reasonNeedle = q.reason && /^[A-Z][A-Z_]*$/.test(q.reason) ? q.reason : undefined;
  return [q.outcome, q.action, q.cell, q.service, reasonNeedle, q.id].filter((v): v is string => typeof v === 'string' && v !== '').map((v) => JSON.stringify(v));
}

type LooseReceipt = Receipt & Record<string, unknown>;

function looksLikeReceipt(v: unknown): v is LooseReceipt {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return r.kind === RECEIPT_KIND && r.version === RECEIPT_VERSION && typeof r.id === 'string';
}

/** The reason filter takes the code or its label as shown in the Reason column (any case). */
function reasonMatches(r: LooseReceipt, wanted: string): boolean {
  const w = wanted.trim().toLowerCase();
  const reason = r.verification?.reason;
  const code = r.error?.code;
  const names = [reason, reason && reason in BADGES ? BADGES[reason as BadgeKey].label : undefined, code, code ? errorLabel(code) : undefined];
  return names.some((n) => typeof n === 'string' && n.toLowerCase() === w);
}

function matches(r: LooseReceipt, q: ActivityQuery): boolean {
  if (q.outcome && r.outcome !== q.outcome) return false;
  if (q.action && r.action !== q.action) return false;
  if (q.cell && r.cell?.name !== q.cell && r.cell?.destination !== q.cell) return false;
  if (q.service && r.service?.id !== q.service && r.service?.name !== q.service) return false;
  if (q.reason && !reasonMatches(r, q.reason)) return false;
  if (q.id && r.id !== q.id) return false;
  return true;
}

function clampInt(v: number | undefined, min: number, max: number, dflt: number): number {
  if (v === undefined || !Number.isFinite(v)) return dflt;
  return Math.min(max, Math.max(min, Math.floor(v)));
}
