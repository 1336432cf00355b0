// The cell's image-verification mode, resolved exactly per DESIGN 2.2's table. Pure: the remote
// read (bounded, type-aware) happens elsewhere and hands over what it saw, so every variant of a
// broken config is decided here, in one place, and can be tested without a cell.
//
// The rule that matters: anything we cannot read with certainty is `enforce` from `fail-closed`.
// Verification never silently weakens.
import { findJsonSyntaxError } from '../json-syntax';

export type ModeValue = 'off' | 'warn' | 'enforce';
export type ModeSource = 'config' | 'default' | 'fail-closed';

export interface ResolvedMode {
  value: ModeValue;
  source: ModeSource;
  detail: string;
}

/** Bytes beyond this make the config "too large" (DESIGN 2.2: more than 1 MiB fails closed). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** What the bounded remote read saw at `config/api/cell_config.json`. */
export type ConfigRead =
  | { kind: 'absent' }
  | { kind: 'not-regular'; fileType: string }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'too-large' }
  | { kind: 'bytes'; bytes: Uint8Array };

const MODES: readonly string[] = ['off', 'warn', 'enforce'];

const closed = (detail: string): ResolvedMode => ({ value: 'enforce', source: 'fail-closed', detail });
const byDefault = (detail: string): ResolvedMode => ({ value: 'enforce', source: 'default', detail });

export function resolveMode(read: ConfigRead): ResolvedMode {
  switch (read.kind) {
    case 'absent':
      return byDefault('no cell_config.json on the cell');
    case 'not-regular':
      return closed(`config unreadable: cell_config.json is a ${read.fileType}, not a regular file`);
    case 'unreadable':
      return closed(`config unreadable: ${read.reason}`);
    case 'too-large':
      return closed(`config unreadable: cell_config.json is larger than ${MAX_CONFIG_BYTES} bytes`);
    case 'bytes':
      return resolveFromBytes(read.bytes);
  }
}

function resolveFromBytes(bytes: Uint8Array): ResolvedMode {
  if (bytes.length > MAX_CONFIG_BYTES) return closed(`config unreadable: cell_config.json is larger than ${MAX_CONFIG_BYTES} bytes`);
  if (bytes.length === 0) return closed('config unreadable: cell_config.json is empty');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return closed('config unreadable: cell_config.json starts with a byte-order mark (not valid JSON)');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return closed('config unreadable: cell_config.json is not valid UTF-8');
  }
  if (text.trim() === '') return closed('config unreadable: cell_config.json is empty');
  let doc: unknown;
  try {
    // JSON.parse keeps the last of duplicate keys, as the cell's own parser does (DESIGN 2.2).
    doc = JSON.parse(text);
  } catch (e) {
    const at = findJsonSyntaxError(text);
    const where = at ? `${at.message} at line ${at.line}, column ${at.column}` : (e as Error).message;
    return closed(`config unreadable: ${where}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return closed(`config unreadable: the top level is ${describe(doc)}, not a JSON object`);
  }
  if (!Object.prototype.hasOwnProperty.call(doc, 'image_verification')) {
    return byDefault('cell_config.json has no image_verification section');
  }
  const section = (doc as Record<string, unknown>).image_verification;
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    return closed(`config invalid: image_verification is ${describe(section)}, not an object`);
  }
  if (!Object.prototype.hasOwnProperty.call(section, 'mode')) {
    return byDefault('image_verification has no mode');
  }
  const mode = (section as Record<string, unknown>).mode;
  if (typeof mode !== 'string') return closed(`config invalid: image_verification.mode is ${describe(mode)}, not a string`);
  if (!MODES.includes(mode)) {
    return closed(`config invalid: unknown mode ${JSON.stringify(mode.slice(0, 40))} (only exactly "off", "warn" or "enforce")`);
  }
  return { value: mode as ModeValue, source: 'config', detail: 'set in cell_config.json' };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return typeof v;
}

/** The one-line banner people see per cell, e.g. "enforce — config unreadable: … (failing closed)". */
export function modeBanner(mode: ResolvedMode): string {
  switch (mode.source) {
    case 'config':
      return `${mode.value} — set in the cell's config`;
    case 'default':
      return `${mode.value} — default (${mode.detail})`;
    case 'fail-closed':
      return `${mode.value} — ${mode.detail} (failing closed)`;
  }
}
