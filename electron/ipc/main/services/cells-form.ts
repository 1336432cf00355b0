import { cellProfileInputSchema, type CellProfileInput } from '../../../core/cell/profiles';
import type { CellFormField, CellProfileForm } from '../../contract/channels/cells';

/**
 * Turns the profile form (strings as typed) into core's profile input, or into one message per
 * field for the form to show inline. The rules themselves are core's (`cellProfileInputSchema`),
 * so the UI, the CLI and cells.json agree on what a valid profile is.
 */
export type FormParse = { ok: true; input: CellProfileInput } | { ok: false; fieldErrors: Partial<Record<CellFormField, string>> };

const FIELDS: readonly CellFormField[] = ['name', 'destination', 'port', 'identityFile', 'root', 'sshConfig', 'groups'];

function optional(v: string): string | undefined {
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** Group names as typed (commas or spaces between them); core's schema judges each name. */
function groupsOf(text: string | undefined): string[] | undefined {
  const g = (text ?? '').split(/[\s,]+/).filter(Boolean);
  return g.length ? g : undefined;
}

export function parseCellForm(form: CellProfileForm): FormParse {
  const fieldErrors: Partial<Record<CellFormField, string>> = {};
  let port: number | undefined;
  const portText = form.port.trim();
  if (portText !== '') {
    if (/^\d{1,5}$/.test(portText) && Number(portText) >= 1 && Number(portText) <= 65535) port = Number(portText);
    else fieldErrors.port = 'the port must be a whole number from 1 to 65535 (or empty for ssh’s default)';
  }
  if (form.name.trim() === '') fieldErrors.name = 'enter a name for this cell';
  const candidate = {
    name: form.name.trim(),
    // Not trimmed beyond the ends: inner whitespace is refused by core, never silently removed.
    destination: form.destination.trim(),
    ...(port !== undefined ? { port } : {}),
    ...(optional(form.identityFile) !== undefined ? { identityFile: optional(form.identityFile) } : {}),
    ...(optional(form.root) !== undefined ? { root: optional(form.root) } : {}),
    ...(optional(form.sshConfig) !== undefined ? { sshConfig: optional(form.sshConfig) } : {}),
    ...(groupsOf(form.groups) ? { groups: groupsOf(form.groups) } : {}),
  };
  const r = cellProfileInputSchema.safeParse(candidate);
  if (!r.success) {
    for (const issue of r.error.issues) {
      const key = issue.path[0];
      const field = FIELDS.find((f) => f === key);
      if (field && !fieldErrors[field]) fieldErrors[field] = issue.message;
    }
  }
  if (Object.keys(fieldErrors).length > 0 || !r.success) {
    return { ok: false, fieldErrors: Object.keys(fieldErrors).length > 0 ? fieldErrors : { name: 'the profile is not valid' } };
  }
  return { ok: true, input: candidate };
}

/** The form for an existing profile (edit starts from what is stored). */
export function formOfProfile(p: { name: string; destination: string; port?: number; identityFile?: string; root: string; sshConfig?: string; groups?: string[] }): CellProfileForm {
  return {
    name: p.name,
    destination: p.destination,
    port: p.port === undefined ? '' : String(p.port),
    identityFile: p.identityFile ?? '',
    root: p.root,
    sshConfig: p.sshConfig ?? '',
    groups: (p.groups ?? []).join(', '),
  };
}
