import { defineDomain, type Invoke } from '../domain';
import type { CellProfile } from '../../../core/cell/profiles';
import type { CellStatus } from '../../../core/cell/status';

export type { CellProfile } from '../../../core/cell/profiles';
export type { CellStatus, CellKeyInfo, InstalledService, ContainerRuntime } from '../../../core/cell/status';
export type { ResolvedMode, ModeValue, ModeSource } from '../../../core/cell/mode';
export type { ServiceUpdate, UpdateState } from '../../../core/updates/update-state';
export type { UpdateReview, ReviewChange } from '../../../core/updates/review';
import type { ServiceUpdate, UpdateState } from '../../../core/updates/update-state';
import type { Explanation } from '../../../core/catalogue/reason-catalogue';
import type { ErrorInfo } from '../../../core/errors';

/** One installed service as the Installed view shows it: core's update state plus the words for it. */
export interface InstalledRow extends ServiceUpdate {
  name: string | null;
  /** The configured store whose listing it is judged against (for Update), when one lists it. */
  storeId: string | null;
  /** `http://<cell host>:<first tcp host port>/`, the Open action's address; null without a tcp port. */
  openUrl: string | null;
  ports: { container: number; host: number; protocol: 'tcp' | 'udp' }[];
  /** What runs, pinned (`repo@digest`), for the current badge; null when the receipt lacks it. */
  reference: string | null;
  /** The catalogue's words for the state (label + sentence) and, for a code, its explanation. */
  stateWords: { label: string; sentence: string };
  explanation: Explanation | null;
}

/** One cell's last inventory against the stores, with when it was read. */
export interface CellUpdatesView {
  cellId: string;
  cell: string;
  destination: string;
  reachable: boolean;
  error: ErrorInfo | null;
  checkedAt: string;
  services: InstalledRow[];
}

/** A state newly reached since the previous check (an update, a withdrawal): the app tells the person once. */
export interface UpdateNotice {
  cellId: string;
  serviceId: string;
  state: UpdateState;
  title: string;
  body: string;
}

/** What main last found across all cells; `checking` while a check runs. Remembered across restarts. */
export interface UpdatesView {
  checking: boolean;
  checkedAt: string | null;
  cells: CellUpdatesView[];
  stores: { name: string; url: string; error: ErrorInfo | null }[];
  notices: UpdateNotice[];
}

/** A cell's last status, with when it was read (shown until refreshed, across views and restarts). */
export interface LastCellStatus {
  status: CellStatus;
  at: string;
}

/** The Open action's answer: the address, and whether this shell opened it (the browser shell shows it instead). */
export interface OpenServiceResult {
  url: string;
  opened: boolean;
}

/**
 * What the profile form sends: every field as the person typed it. Main parses and validates
 * (core's profile schema), so the renderer holds no validation rules of its own and cannot
 * disagree with the CLI about what a valid profile is.
 */
export interface CellProfileForm {
  name: string;
  destination: string;
  /** Empty for ssh's own default (or the config's). */
  port: string;
  identityFile: string;
  /** Empty for the default `/opt/pic`. */
  root: string;
  /** An extra ssh config file (`ssh -F`), empty for none. */
  sshConfig: string;
  /** Fleet groups (DESIGN 2.10), comma- or space-separated; empty for none. Absent: none. */
  groups?: string;
}

export type CellFormField = keyof CellProfileForm;

/** Saving a profile either stores it or says, per field, what is wrong (shown inline). */
export type CellSaveResult = { saved: true; profile: CellProfile } | { saved: false; fieldErrors: Partial<Record<CellFormField, string>> };

/** A host key as the confirmation dialog shows it: nothing here is secret. */
export interface HostKeyView {
  type: string;
  /** `SHA256:…`, as ssh prints it. */
  fingerprint: string;
}

/**
 * The outcome of looking at a cell. Host-key states are answers, not errors, because each has
 * its own screen: `host-key-unknown` asks the person to confirm (nothing was sent to the cell),
 * `host-key-changed` is a refusal with the plain explanation. Anything else that stops the
 * connection (auth, timeout, unreachable) arrives as an error envelope with its code.
 */
export type CellCheckResult =
  | { kind: 'status'; status: CellStatus }
  | { kind: 'host-key-unknown'; hostToken: string; hostname: string; port: number; preferred: HostKeyView; keys: HostKeyView[] }
  | { kind: 'host-key-changed'; hostToken: string; message: string; presented: HostKeyView[] };

/** The `cells` domain: profiles (cells.json), host-key confirmation and per-cell status. */
export const cells = defineDomain<
  {
    list: Invoke<void, CellProfile[]>;
    add: Invoke<CellProfileForm, CellSaveResult>;
    edit: Invoke<{ id: string; form: CellProfileForm }, CellSaveResult>;
    remove: Invoke<{ id: string }, { removed: string }>;
    /** Test connection / refresh: one ssh round trip for mode, key, runtime, cosign, services. */
    check: Invoke<{ id: string }, CellCheckResult>;
    /** Stops a running check of that cell (its ssh is ended; the check answers CANCELLED). */
    cancelCheck: Invoke<{ id: string }, { cancelled: boolean }>;
    /** Records exactly the host key with this fingerprint, after a person confirmed it. */
    confirmHostKey: Invoke<{ id: string; fingerprint: string }, HostKeyView & { hostToken: string }>;
    /** Each cell's last status with its time (what the Cells view shows until refreshed). */
    lastStatuses: Invoke<void, Record<string, LastCellStatus>>;
    /** The last update check across all cells (DESIGN 2.9), without starting one. */
    updates: Invoke<void, UpdatesView>;
    /** Checks every configured cell against the stores now; answers when done. */
    checkUpdates: Invoke<void, UpdatesView>;
    /** Opens an installed service's web address through main (DESIGN 2.9, 3.1). */
    openService: Invoke<{ id: string; serviceId: string }, OpenServiceResult>;
  },
  { changed: CellProfile[]; updated: UpdatesView; statusRead: { id: string } & LastCellStatus }
>()(
  'cells',
  ['list', 'add', 'edit', 'remove', 'check', 'cancelCheck', 'confirmHostKey', 'lastStatuses', 'updates', 'checkUpdates', 'openService'],
  ['changed', 'updated', 'statusRead'],
);
