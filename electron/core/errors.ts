/**
 * The one error vocabulary (DESIGN 3.3): every code core can raise — as a thrown CoreError, in a
 * receipt's `error`, or across IPC — is a member of `ErrorCode`, so the UI and the CLI branch on
 * a closed union and a misspelt code fails the type check. Verification verdicts have their own
 * union (`ReasonCode`, DESIGN 2.3); the two meet only where a verdict blocks an install.
 */

/** Codes printed by the cell-side scripts as `@@PIC-FAIL <step> <CODE>` (remote-scripts.ts). */
export const REMOTE_FAILURE_CODES = [
  'NO_FLOCK',
  'LOCK_TIMEOUT',
  'LOCK_UNWRITABLE',
  'ROOT_UNWRITABLE',
  'STAGING_FAILED',
  'PULL_FAILED',
  'SWAP_FAILED',
  'UP_FAILED',
  'DOWN_FAILED',
  'REMOVE_FAILED',
  'NOT_INSTALLED',
  // The mode or key re-read inside the lock is not what the operation was decided under (DESIGN 2.2).
  'CELL_CHANGED',
] as const;
export type RemoteFailureCode = (typeof REMOTE_FAILURE_CODES)[number];

/** Why the system ssh client gave up (exit 255), classified from what it printed. */
export type SshFailureCode = 'HOST_KEY_UNKNOWN' | 'HOST_KEY_CHANGED' | 'AUTH_FAILED' | 'CELL_UNREACHABLE' | 'CELL_TIMEOUT' | 'CONNECTION_LOST' | 'SSH_FAILED';

/** An image source (registry, OCI layout) that could not answer; verification maps these to reasons. */
export type SourceErrorCode = 'SOURCE_UNREACHABLE' | 'SOURCE_UNREADABLE' | 'SOURCE_AUTH' | 'SOURCE_DIGEST_MISMATCH' | 'SOURCE_LIMIT' | 'SOURCE_INVALID';

/** A signed store's state problems (DESIGN 2.7). */
export type StoreUpdateCode = 'STORE_UNREACHABLE' | 'STORE_ROLLBACK' | 'STORE_EXPIRED' | 'STORE_METADATA_INVALID' | 'STORE_TARGET_MISMATCH';

export type ErrorCode =
  // local files and the data directory
  | 'DATA_FILE_CORRUPT'
  | 'DATA_FILE_UNREADABLE'
  | 'DATA_FILE_LOCKED'
  | 'FILE_UNREADABLE'
  | 'FILE_TOO_LARGE'
  | 'INVALID_FILE'
  | 'INVALID_PATH'
  | 'READ_FAILED'
  | 'CONTROL_DIR_UNSAFE'
  // stores, listings and images
  | 'INDEX_UNREADABLE'
  | 'INDEX_INVALID'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNREADABLE'
  | 'STORE_LOCATION_INVALID'
  | 'STORE_NOT_FOUND'
  | 'STORE_NOT_LOADED'
  | 'STORE_EXISTS'
  | StoreUpdateCode
  | 'SERVICE_NOT_FOUND'
  | 'NOT_LISTED'
  | 'ICON_REFUSED'
  | 'ICON_UNAVAILABLE'
  | 'URL_NOT_ALLOWED'
  | 'REFERENCE_INVALID'
  | 'DIGEST_INVALID'
  | 'DIGEST_MISMATCH'
  | 'KEY_INVALID'
  // a --trusted-root file with no usable transparency log (DESIGN 2.8)
  | 'TRUSTED_ROOT_INVALID'
  | SourceErrorCode
  | 'INVALID_ROOT'
  // cells and ssh
  | 'CELL_NOT_FOUND'
  | 'PROFILE_EXISTS'
  | 'INVALID_PROFILE'
  | 'INVALID_DESTINATION'
  | 'INVALID_FINGERPRINT'
  | 'SSH_CONFIG_INVALID'
  | 'SSH_UNREACHABLE'
  | SshFailureCode
  | 'HOST_KEY_MISMATCH'
  | 'HOST_KEY_SCAN_UNSUPPORTED'
  | 'KEY_NEEDS_PASSPHRASE'
  | 'CELL_REPORT_INVALID'
  | 'CELL_RECEIPTS_UNREADABLE'
  | 'INVALID_REMOTE_ARGUMENT'
  | 'INVALID_NONCE'
  | 'RUNTIME_MISSING'
  | 'RUNTIME_FAILED'
  | 'SERVICE_OP_FAILED'
  // installs, upgrades and uninstalls (DESIGN 2.2, 2.9)
  | 'BLOCKED'
  | 'DIGEST_UNRESOLVED'
  | 'NOT_CONFIRMED'
  | 'INVALID_SERVICE_ID'
  | 'REMOTE_SCRIPT_FAILED'
  | 'UNINSTALL_FAILED'
  | RemoteFailureCode
  | 'CELL_CHANGED'
  | 'PORT_IN_USE'
  | 'SERVICE_REVOKED'
  | 'UPDATE_NEEDS_REVIEW'
  | 'SIGNER_CHANGED'
  | 'SESSION_EXISTS'
  | 'SESSION_NOT_FOUND'
  | 'CANCELLED'
  // fleets (DESIGN 2.10)
  | 'INVALID_SELECTION'
  | 'INVENTORY_INVALID'
  | 'INVALID_FLEET_SETTINGS'
  | 'FLEET_PLAN_INVALID'
  | 'FLEET_RECEIPT_INVALID'
  | 'FLEET_BUSY'
  | 'FILE_UNWRITABLE'
  // receipts and the activity log
  | 'RECEIPT_INVALID'
  | 'RECEIPT_UNREADABLE'
  | 'INVALID_RECEIPT_ID'
  | 'EXPORT_FAILED'
  | 'EXPORT_NAME'
  | 'EXPORT_EXISTS'
  | 'ACTIVITY_LOG_UNREADABLE'
  | 'ACTIVITY_LOG_UNWRITABLE'
  // local processes
  | 'TIMEOUT'
  | 'PROCESS_FAILED'
  // the IPC boundary, and anything unexpected
  | 'IPC_BAD_ARGUMENT'
  | 'IPC_BAD_MESSAGE'
  | 'IPC_SENDER_REFUSED'
  | 'IPC_TRANSPORT'
  | 'IPC_UNKNOWN_CHANNEL'
  | 'INTERNAL';

/** The error shape every boundary carries (IPC envelopes, receipts, the CLI's `--json`). */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

/**
 * One error type for everything core reports to a person: a stable `code` the UI and the CLI can
 * branch on, and a message that names what was wrong.
 */
export class CoreError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}

export function isCoreError(e: unknown): e is CoreError {
  return e instanceof CoreError;
}

/** Message of any thrown value, for places that must turn an unknown error into text. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * The one conversion from anything thrown to the shape that crosses a boundary: a CoreError keeps
 * its code; a process runner's typed error keeps its own (it carries a code too); anything else is
 * INTERNAL with its message.
 */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (isCoreError(e)) return { code: e.code, message: e.message };
  return { code: 'INTERNAL', message: errorMessage(e) };
}

/**
 * The code a cell-side script reported (`@@PIC-FAIL <step> <CODE>`): one of ours, or
 * REMOTE_SCRIPT_FAILED when the script said something this version does not know.
 */
export function remoteFailureCode(s: string | undefined): RemoteFailureCode | 'REMOTE_SCRIPT_FAILED' {
  return (REMOTE_FAILURE_CODES as readonly string[]).includes(s ?? '') ? (s as RemoteFailureCode) : 'REMOTE_SCRIPT_FAILED';
}
