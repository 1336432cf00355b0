// The status report in ONE round trip: a POSIX sh script sent on stdin (`sh -s`), so the remote
// command line is a constant and the login shell never parses anything of ours. Every file read
// is bounded (`head -c`, one byte over the limit so "too large" is detectable) and type-checked
// first; every value is framed and base64 (or hex) encoded, so arbitrary bytes — a BOM, NULs,
// newlines in a directory name — arrive intact and cannot forge a frame.
//
// "Absent" is said only when it is known: a path that `[ -e ]` cannot see because a directory
// above it exists but cannot be searched (EACCES) is reported `unreadable`, so the mode fails
// closed rather than falling back to the default (DESIGN 2.2). `hidden` walks up from the path:
// the nearest existing ancestor decides — searchable means the absence is real.
import { CoreError } from '../errors';
import { MAX_CONFIG_BYTES } from './mode';
import { assertRemoteRoot, quoteRemoteArg } from './remote-quote';

export const STATUS_LIMITS = {
  configBytes: MAX_CONFIG_BYTES + 1,
  keyBytes: 64 * 1024 + 1,
  receiptBytes: 64 * 1024 + 1,
  /** The installed manifest (its ports, volumes and environment are what an update's review diffs against). */
  manifestBytes: 256 * 1024 + 1,
  /** `docker ps` lines for the services' containers. */
  containersBytes: 256 * 1024,
  maxServices: 200,
};

/**
 * One line per container the app started (compose files carry the label `org.pic.service`):
 * service id, state, status text (which holds the health). `.State` is read but the status text
 * decides when a client leaves it empty.
 */
const CONTAINERS_FORMAT = `'{{.Label "org.pic.service"}}|{{.State}}|{{.Status}}'`;

export const REMOTE_STATUS_COMMAND = 'sh -s';

/**
 * The shell functions that read the cell's files (framed, bounded, type-checked), shared by the
 * status script and the scripts that change the cell: the apply and uninstall scripts re-read the
 * mode and key with exactly these functions inside the cell lock (DESIGN 2.2, CELL_CHANGED).
 */
export const CELL_READ_FNS = `if command -v base64 >/dev/null 2>&1; then ENC=b64; else ENC=hex; fi
enc() { if [ "$ENC" = b64 ]; then base64; else od -An -v -tx1 | tr -d ' \\n'; echo; fi; }
rec() { printf '@@PIC %s %s %s\\n' "$1" "$2" "$3"; }
fin() { printf '@@END\\n'; }
val() { rec value "$1" ok; printf '%s' "$2" | enc; fin; }
hidden() {
  d=$1
  while :; do
    case $d in */*) d=\${d%/*} ;; *) return 1 ;; esac
    [ -n "$d" ] || return 1
    if [ -d "$d" ]; then [ -x "$d" ] && return 1; H=$d; return 0; fi
    [ -e "$d" ] && return 1
  done
}
readf() {
  p=$3
  if [ -L "$p" ] && [ ! -e "$p" ]; then rec "$1" "$2" dangling; fin; return; fi
  if [ ! -e "$p" ]; then
    if hidden "$p"; then rec "$1" "$2" unreadable; printf 'cannot search %s: Permission denied' "$H" | enc; fin; return; fi
    rec "$1" "$2" absent; fin; return
  fi
  if [ -d "$p" ]; then rec "$1" "$2" directory; fin; return; fi
  if [ ! -f "$p" ]; then rec "$1" "$2" special; fin; return; fi
  if ! err=$(head -c 1 -- "$p" 2>&1 >/dev/null); then rec "$1" "$2" unreadable; printf '%s' "$err" | enc; fin; return; fi
  rec "$1" "$2" ok; head -c "$4" -- "$p" | enc; fin
}
fp() { if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -c1-64; else od -An -v -tx1 | tr -d ' \\n'; fi; }
# The mode's and key's records, read once into $CS; csfp is their fingerprint (the same bytes as shown).
cellstate() { readf config x "$R/config/api/cell_config.json" ${STATUS_LIMITS.configBytes}; readf cellkey x "$R/config/cosign/cosign.pub" ${STATUS_LIMITS.keyBytes}; }
csfp() { printf '%s\\n' "$CS" | fp; }
`;

export function statusScript(root: string): string {
  const R = quoteRemoteArg(assertRemoteRoot(root));
  return `main() {
R=${R}
${CELL_READ_FNS}printf '@@PIC-STATUS 1 %s\\n' "$ENC"
if [ -d "$R" ]; then val root present; else val root absent; fi
CS=$(cellstate)
printf '%s\\n' "$CS"
val cellstate "$(csfp)"
if docker compose version >/dev/null 2>&1; then
  val runtime "docker compose"; val runtimeversion "$(docker compose version --short 2>/dev/null | head -c 200)"
elif command -v docker-compose >/dev/null 2>&1; then
  val runtime docker-compose
else
  val runtime none
fi
if command -v cosign >/dev/null 2>&1; then val cosign present; val cosignversion "$(cosign version 2>&1 | head -c 4096)"; else val cosign none; fi
n=0
if [ -d "$R/services" ]; then
  for d in "$R"/services/*/; do
    [ -d "$d" ] || continue
    n=$((n + 1))
    if [ "$n" -gt ${STATUS_LIMITS.maxServices} ]; then val truncated yes; break; fi
    name=\${d%/}; name=\${name##*/}
    readf receipt "$(printf '%s' "$name" | enc | tr -d '\\n')" "$d/receipt.json" ${STATUS_LIMITS.receiptBytes}
    readf manifest "$(printf '%s' "$name" | enc | tr -d '\\n')" "$d/manifest.json" ${STATUS_LIMITS.manifestBytes}
  done
fi
if command -v docker >/dev/null 2>&1 && ps=$(docker ps -a --no-trunc --filter label=org.pic.service --format ${CONTAINERS_FORMAT} 2>/dev/null); then
  val containers "$(printf '%s' "$ps" | head -c ${STATUS_LIMITS.containersBytes})"
else
  val containers-unavailable yes
fi
printf '@@PIC-DONE\\n'
}
main </dev/null
`;
}

export interface StatusRecord {
  kind: string;
  /** Decoded name (a service directory name for receipts; 'x' or the value name otherwise). */
  name: string;
  status: 'ok' | 'absent' | 'dangling' | 'directory' | 'special' | 'unreadable';
  body: Buffer;
}

const STATUSES = new Set(['ok', 'absent', 'dangling', 'directory', 'special', 'unreadable']);

/** Parses the framed report; a report cut short (connection lost mid-way) is an error, not a partial truth. */
export function parseStatusReport(out: string): StatusRecord[] {
  const lines = out.split('\n');
  const head = lines.findIndex((l) => l.startsWith('@@PIC-STATUS '));
  if (head < 0) throw new CoreError('CELL_REPORT_INVALID', `the cell did not run the status script (output began: ${JSON.stringify(out.slice(0, 120))})`);
  const enc = lines[head]!.split(' ')[2] === 'hex' ? 'hex' : 'base64';
  const decode = (s: string) => Buffer.from(s, enc);
  const records: StatusRecord[] = [];
  let cur: { kind: string; name: string; status: string; body: string[] } | null = null;
  let done = false;
  for (const line of lines.slice(head + 1)) {
    if (line === '@@PIC-DONE') {
      done = true;
      break;
    }
    if (cur) {
      if (line === '@@END') {
        if (!STATUSES.has(cur.status)) throw new CoreError('CELL_REPORT_INVALID', `unknown status "${cur.status}" in the cell report`);
        records.push({
          kind: cur.kind,
          name: cur.kind === 'receipt' || cur.kind === 'manifest' ? decode(cur.name).toString('utf8') : cur.name,
          status: cur.status as StatusRecord['status'],
          body: decode(cur.body.join('')),
        });
        cur = null;
      } else cur.body.push(line.trim());
      continue;
    }
    const m = /^@@PIC (\S+) (\S+) (\S+)$/.exec(line);
    if (m) cur = { kind: m[1]!, name: m[2]!, status: m[3]!, body: [] };
  }
  if (!done || cur) throw new CoreError('CONNECTION_LOST', 'the cell report was cut short (the connection was lost while reading it)');
  return records;
}
