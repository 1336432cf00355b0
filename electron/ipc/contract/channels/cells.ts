import { defineDomain, type Invoke } from '../domain';
import type { CellProfile } from '../../../core/cell/profiles';
import type { CellStatus } from '../../../core/cell/status';

export type { CellProfile } from '../../../core/cell/profiles';
export type { CellStatus, CellKeyInfo, InstalledService, ContainerRuntime } from '../../../core/cell/status';
export type { ResolvedMode, ModeValue, ModeSource } from '../../../core/cell/mode';

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
  },
  { changed: CellProfile[] }
>()('cells', ['list', 'add', 'edit', 'remove', 'check', 'cancelCheck', 'confirmHostKey'], ['changed']);
