// The POSIX sh scripts that change a cell (DESIGN 2.2). Each is sent on ssh's stdin to a fixed
// `sh -s`, so the remote command line never carries anything of ours; every value inside is a
// word made by quoteRemoteArg, and every file travels as base64 in a quoted heredoc (base64 has
// no character a heredoc or shell could act on). The body is wrapped in a function that is
// called on the last line, so a script cut short in transit is never half-executed.
//
// Markers on stdout (`@@PIC-STEP name`, `@@PIC-OK`, `@@PIC-FAIL step code`) let the app follow
// progress and tell where a failure happened; docker output is streamed between them.
import { assertRemoteRoot, assertServiceId, quoteRemoteArg } from '../cell/remote-quote';
import type { ContainerRuntime } from '../cell/status';
import { CELL_READ_FNS } from '../cell/status-script';
import { CoreError, remoteFailureCode, type RemoteFailureCode } from '../errors';

export const REMOTE_SCRIPT_COMMAND = 'sh -s';

/** Waiting for the cell lock: another install on this cell is allowed to finish first. */
const LOCK_WAIT_SECONDS = 300;

interface FilePayload {
  /** Name inside the staging directory (fixed names of ours, never from a manifest). */
  name: 'docker-compose.yml' | 'manifest.json' | 'receipt.json';
  content: string;
}

const FILE_NAMES = new Set(['docker-compose.yml', 'manifest.json', 'receipt.json']);

function heredoc(target: string, content: string): string {
  const b64 = Buffer.from(content, 'utf8').toString('base64').replace(/.{1,76}/g, '$&\n');
  return `base64 -d > ${target} <<'PIC_B64_END'\n${b64}PIC_B64_END\n`;
}

function runtimeFn(runtime: ContainerRuntime): string {
  if (runtime === 'docker compose') return 'dc() { docker compose "$@"; }';
  if (runtime === 'docker-compose') return 'dc() { docker-compose "$@"; }';
  throw new CoreError('RUNTIME_MISSING', 'no container runtime (docker compose / docker-compose) on the cell');
}

/**
 * Shared prologue: variables, the lock (held on fd 9 until the script exits), and clean-up of
 * what an interrupted operation left: a `.previous-<id>-*` without `services/<id>` is a swap cut
 * short and is put back; other staging/previous dirs are removed.
 */
function prologue(root: string, id: string, runtime: ContainerRuntime, expectedCellState: string): string {
  return `${lockPrologue(root, id, runtime, LOCK_WAIT_SECONDS)}${cellCheck(expectedCellState)}${cleanupStale()}`;
}

/**
 * Inside the lock, before anything is touched (clean-up included): re-read the mode and the key
 * with the status script's own functions and compare their fingerprint with the one the admin's
 * pre-flight was built from. When they differ, print what the cell has now (a status report
 * block, for the app to say what changed) and stop: CELL_CHANGED (DESIGN 2.2).
 */
function cellCheck(expected: string): string {
  if (!/^[0-9a-f]+$/.test(expected)) throw new CoreError('CELL_REPORT_INVALID', 'no fingerprint of the cell\'s mode and key to check against');
  return `${CELL_READ_FNS}CS=$(cellstate)
if [ "$(csfp)" != ${quoteRemoteArg(expected)} ]; then
  printf '\\n@@PIC-STATUS 1 %s\\n' "$ENC"; printf '%s\\n' "$CS"; val cellstate "$(csfp)"; printf '@@PIC-DONE\\n'
  fail lock CELL_CHANGED
fi
`;
}

function lockPrologue(root: string, id: string, runtime: ContainerRuntime, lockWaitSeconds: number): string {
  return `R=${quoteRemoteArg(assertRemoteRoot(root))}
ID=${quoteRemoteArg(assertServiceId(id))}
P=${quoteRemoteArg(`pic-${id}`)}
S="$R/services"
ALIVE=1
say() { printf '\\n%s\\n' "$*" 2>/dev/null || ALIVE=0; }
fail() { say "@@PIC-FAIL $1 $2"; exit 1; }
${runtimeFn(runtime)}
trap '' HUP PIPE
command -v flock >/dev/null 2>&1 || fail lock NO_FLOCK
mkdir -p "$R/store" "$S" || fail lock ROOT_UNWRITABLE
exec 9>>"$R/store/lock" || fail lock LOCK_UNWRITABLE
say "@@PIC-STEP lock"
flock -w ${Math.max(1, Math.floor(lockWaitSeconds))} 9 || fail lock LOCK_TIMEOUT
`;
}

/**
 * Only names of the exact shape the app creates — `.previous-<service id>-<nonce>`, a real
 * directory (not a symlink) — are acted on: anything else under services/ (`.previous-..`,
 * `.previous-`, `.previous-foo` next to a live `foo`) is left alone, so no directory name can
 * turn the clean-up into `rm -rf "$S/.."` or remove a live service.
 */
function cleanupStale(): string {
  return `for d in "$S"/.previous-*; do
  [ -d "$d" ] && [ ! -L "$d" ] || continue
  b=\${d##*/.previous-}
  case $b in *-*) ;; *) continue ;; esac
  sid=\${b%-*}; n=\${b##*-}
  case $sid in ''|-*|*[!a-z0-9-]*) continue ;; esac
  case $n in ''|*[!a-z0-9]*) continue ;; esac
  [ \${#sid} -le 63 ] && [ \${#n} -ge 6 ] && [ \${#n} -le 32 ] || continue
  if [ -e "$S/$sid/docker-compose.yml" ]; then (cd "$S/$sid" && dc -p "pic-$sid" -f docker-compose.yml down) >/dev/null 2>&1; fi
  rm -rf "$S/$sid"
  if [ -e "$d/.pic-none" ]; then rm -rf "$d"; say "@@PIC-NOTE removed $sid, left half-installed by an interrupted operation"
  else mv "$d" "$S/$sid" && (cd "$S/$sid" && dc -p "pic-$sid" -f docker-compose.yml up -d) >/dev/null 2>&1; say "@@PIC-NOTE restored the previous $sid after an interrupted operation"; fi
done
for d in "$S"/.staging-*; do [ -d "$d" ] && rm -rf "$d" && say "@@PIC-NOTE removed stale staging \${d##*/}"; done
`;
}

interface ApplyScriptInput {
  root: string;
  serviceId: string;
  runtime: ContainerRuntime;
  /** Random suffix for the staging/previous directories. */
  nonce: string;
  files: FilePayload[];
  /** The receipt line appended to store/receipts.jsonl when the install completes. */
  receiptLine: string;
  /** The image as pinned in the compose file (`repo@sha256:…`): the pull is skipped when the cell already holds exactly it. */
  image?: string;
  /** The fingerprint of the mode and key the admin confirmed (the status's `cellstate`), re-checked inside the lock. */
  expectedCellState: string;
}

/**
 * Install or upgrade: lock, stage, pull (by digest, progress streamed), then — only if the app is
 * still listening (a cancel before this point leaves the cell untouched) — swap, `up -d`, and on
 * failure put the previous directory back and bring the previous version up again.
 */
export function applyScript(i: ApplyScriptInput): string {
  if (!/^[a-z0-9]{6,32}$/.test(i.nonce)) throw new CoreError('INVALID_NONCE', 'the staging suffix must be 6–32 lowercase letters/digits');
  const writes = i.files.map((f) => {
    if (!FILE_NAMES.has(f.name)) throw new CoreError('INVALID_FILE', `unexpected file ${f.name}`);
    return heredoc(`"$T"/${f.name}`, f.content);
  });
  return `main() {
${prologue(i.root, i.serviceId, i.runtime, i.expectedCellState)}
T="$S/.staging-$ID-${i.nonce}"
OLD="$S/.previous-$ID-${i.nonce}"
say "@@PIC-STEP stage"
mkdir "$T" || fail stage STAGING_FAILED
${writes.join('')}[ -s "$T/docker-compose.yml" ] || { rm -rf "$T"; fail stage STAGING_FAILED; }
say "@@PIC-STEP pull"
${i.image ? `IMG=${quoteRemoteArg(i.image)}
if command -v docker >/dev/null 2>&1 && docker image inspect --format '{{.Id}}' "$IMG" >/dev/null 2>&1; then say "@@PIC-NOTE $IMG is already on the cell (by digest); no pull needed"
elif ! (cd "$T" && dc -p "$P" -f docker-compose.yml pull 2>&1); then rm -rf "$T"; fail pull PULL_FAILED; fi` : `if ! (cd "$T" && dc -p "$P" -f docker-compose.yml pull 2>&1); then rm -rf "$T"; fail pull PULL_FAILED; fi`}
say "@@PIC-STEP swap"
if [ "$ALIVE" != 1 ]; then rm -rf "$T"; exit 3; fi
HAD=0
if [ -d "$S/$ID" ]; then mv "$S/$ID" "$OLD" || { rm -rf "$T"; fail swap SWAP_FAILED; }; HAD=1
else mkdir "$OLD" && : > "$OLD/.pic-none" || { rm -rf "$T" "$OLD"; fail swap SWAP_FAILED; }; fi
mv "$T" "$S/$ID" || { rm -rf "$T"; if [ "$HAD" = 1 ]; then mv "$OLD" "$S/$ID"; else rm -rf "$OLD"; fi; fail swap SWAP_FAILED; }
say "@@PIC-STEP up"
if ! (cd "$S/$ID" && dc -p "$P" -f docker-compose.yml up -d --remove-orphans 2>&1); then
  say "@@PIC-STEP rollback"
  if [ "$HAD" = 1 ]; then
    rm -rf "$S/$ID"; mv "$OLD" "$S/$ID"
    (cd "$S/$ID" && dc -p "$P" -f docker-compose.yml up -d --remove-orphans 2>&1) || say "@@PIC-NOTE the previous version did not come back up"
  else
    (cd "$S/$ID" && dc -p "$P" -f docker-compose.yml down 2>&1) >/dev/null
    rm -rf "$S/$ID" "$OLD"
  fi
  fail up UP_FAILED
fi
rm -rf "$OLD"
${heredoc('"$T.line"', `${i.receiptLine}\n`)}cat "$T.line" >> "$R/store/receipts.jsonl"; rm -f "$T.line"
say "@@PIC-OK"
}
main </dev/null
`;
}

interface ReconcileScriptInput {
  root: string;
  serviceId: string;
  runtime: ContainerRuntime;
  /** The interrupted apply's staging suffix. */
  nonce: string;
  /** The interrupted apply's receipt id (the one its receipt.json would carry). */
  receiptId: string;
  /** Its receipt line, appended to store/receipts.jsonl if the apply completed but was cut short before logging it. */
  receiptLine: string;
  lockWaitSeconds: number;
}

/**
 * After an apply was cut off (cancel, lost connection): wait for the cell lock — held by the apply
 * script until it ends — then say how it ended before cleaning up: `completed` when the new
 * directory is in place with our receipt and no previous directory remains (the apply removes it
 * only after `up -d` succeeded), `interrupted` when a swap was cut short (the clean-up that follows
 * restores the previous version), `not-completed` otherwise (never swapped, or rolled back).
 */
export function reconcileScript(i: ReconcileScriptInput): string {
  if (!/^[a-z0-9]{6,32}$/.test(i.nonce)) throw new CoreError('INVALID_NONCE', 'the staging suffix must be 6–32 lowercase letters/digits');
  if (!/^[A-Za-z0-9-]{1,64}$/.test(i.receiptId)) throw new CoreError('INVALID_RECEIPT_ID', 'unexpected receipt id');
  return `main() {
${lockPrologue(i.root, i.serviceId, i.runtime, i.lockWaitSeconds)}RID=${quoteRemoteArg(`"id": "${i.receiptId}"`)}
say "@@PIC-STEP check"
if [ -d "$S/.previous-$ID-${i.nonce}" ]; then say "@@PIC-STATE interrupted"
elif [ -f "$S/$ID/receipt.json" ] && grep -qF -- "$RID" "$S/$ID/receipt.json"; then
  say "@@PIC-STATE completed"
  if ! grep -qF -- ${quoteRemoteArg(i.receiptId)} "$R/store/receipts.jsonl" 2>/dev/null; then
${heredoc('"$S/.receipt-line"', `${i.receiptLine}
`)}cat "$S/.receipt-line" >> "$R/store/receipts.jsonl"; rm -f "$S/.receipt-line"
  fi
else say "@@PIC-STATE not-completed"; fi
${cleanupStale()}say "@@PIC-OK"
}
main </dev/null
`;
}

interface UninstallScriptInput {
  root: string;
  serviceId: string;
  runtime: ContainerRuntime;
  purgeVolumes: boolean;
  receiptLine: string;
  /** As for the apply script: the mode and key the uninstall was decided under. */
  expectedCellState: string;
}

/** `down` (keeping named volumes unless asked), remove the service directory, record the receipt. */
export function uninstallScript(i: UninstallScriptInput): string {
  return `main() {
${prologue(i.root, i.serviceId, i.runtime, i.expectedCellState)}
[ -d "$S/$ID" ] || fail check NOT_INSTALLED
say "@@PIC-STEP down"
(cd "$S/$ID" && dc -p "$P" -f docker-compose.yml down${i.purgeVolumes ? ' --volumes' : ''} 2>&1) || fail down DOWN_FAILED
rm -rf "$S/$ID" || fail remove REMOVE_FAILED
${heredoc('"$S/.receipt-line"', `${i.receiptLine}\n`)}cat "$S/.receipt-line" >> "$R/store/receipts.jsonl"; rm -f "$S/.receipt-line"
say "@@PIC-OK"
}
main </dev/null
`;
}

/** Appends one receipt line under the lock (a failed attempt that touched the cell). */
export function appendReceiptScript(root: string, receiptLine: string): string {
  return `main() {
R=${quoteRemoteArg(assertRemoteRoot(root))}
mkdir -p "$R/store" || exit 1
exec 9>>"$R/store/lock" || exit 1
flock -w ${LOCK_WAIT_SECONDS} 9 || exit 1
${heredoc('"$R/store/.receipt-line.$$"', `${receiptLine}\n`)}cat "$R/store/.receipt-line.$$" >> "$R/store/receipts.jsonl"; rm -f "$R/store/.receipt-line.$$"
printf '@@PIC-OK\\n'
}
main </dev/null
`;
}

export type ServiceOp = 'state' | 'logs' | 'restart';

/** The basics of a running service: its containers' state, the last log lines, a restart. */
export function serviceOpScript(root: string, serviceId: string, runtime: ContainerRuntime, op: ServiceOp, tail = 100): string {
  const n = Math.max(1, Math.min(5000, Math.floor(tail)));
  const body =
    op === 'state' ? 'dc -p "$P" -f docker-compose.yml ps 2>&1 | head -c 65536'
    : op === 'logs' ? `dc -p "$P" -f docker-compose.yml logs --no-color --tail ${n} 2>&1 | tail -c 1048576`
    : 'dc -p "$P" -f docker-compose.yml restart 2>&1 | head -c 65536';
  return `main() {
R=${quoteRemoteArg(assertRemoteRoot(root))}
ID=${quoteRemoteArg(assertServiceId(serviceId))}
P=${quoteRemoteArg(`pic-${serviceId}`)}
${runtimeFn(runtime)}
[ -d "$R/services/$ID" ] || { printf '@@PIC-FAIL check NOT_INSTALLED\\n'; exit 1; }
cd "$R/services/$ID" || exit 1
${body}
printf '\\n@@PIC-OK\\n'
}
main </dev/null
`;
}

/** The bounded facts a pre-flight needs beyond the status: arch, disk, ports, old manifest (the key is the status's). */
export function probeScript(root: string, serviceId: string): string {
  return `main() {
R=${quoteRemoteArg(assertRemoteRoot(root))}
ID=${quoteRemoteArg(assertServiceId(serviceId))}
sec() { printf '@@PIC %s\\n' "$1"; }
b64f() { if [ -f "$1" ]; then head -c "$2" -- "$1" 2>/dev/null | base64; fi; }
sec arch; uname -m | head -c 64 | base64
sec disk; df -Pk -- "$R" 2>/dev/null | tail -n 1 | head -c 512 | base64
sec tcp; cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | head -c 4194304 | base64
sec udp; cat /proc/net/udp /proc/net/udp6 2>/dev/null | head -c 4194304 | base64
sec manifest; b64f "$R/services/$ID/manifest.json" 262145
sec end
}
main </dev/null
`;
}

export interface StepMarker {
  kind: 'step' | 'ok' | 'fail' | 'note' | 'state';
  step?: string;
  code?: RemoteFailureCode | 'REMOTE_SCRIPT_FAILED';
  text?: string;
}

/**
 * One output line of a script as what a person may see and what the app acts on: a marker glued
 * to the end of docker's unterminated output is still a marker, and a `@@PIC…` piece that is no
 * marker of ours is dropped — internal markers never reach a person (progress, errors, receipts).
 */
export function splitScriptLine(line: string): { text: string | null; marker: StepMarker | null } {
  const at = line.indexOf('@@PIC');
  if (at < 0) return { text: line, marker: null };
  const before = line.slice(0, at);
  return { text: before ? before : null, marker: parseMarker(line.slice(at)) };
}

/** Reads one output line: a marker of ours, or null for docker's own output. */
export function parseMarker(line: string): StepMarker | null {
  if (line === '@@PIC-OK') return { kind: 'ok' };
  let m = /^@@PIC-STEP (\S+)$/.exec(line);
  if (m) return { kind: 'step', step: m[1]! };
  m = /^@@PIC-FAIL (\S+) (\S+)$/.exec(line);
  if (m) return { kind: 'fail', step: m[1]!, code: remoteFailureCode(m[2]) };
  m = /^@@PIC-STATE (\S+)$/.exec(line);
  if (m) return { kind: 'state', text: m[1]! };
  m = /^@@PIC-NOTE (.*)$/.exec(line);
  if (m) return { kind: 'note', text: m[1]! };
  return null;
}
