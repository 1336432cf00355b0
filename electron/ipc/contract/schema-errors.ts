/** Listing schema errors (JSON-pointer paths) and the manifest field each is about, for marking errors next to fields. */
export type { SchemaError } from '../../core/store/manifest-schema';

/** "/services/3/ports/0/host" → "ports"; '' for the whole listing. */
export function fieldOfError(path: string): string {
  const rest = path.replace(/^\/services\/\d+/, '');
  return rest.split('/')[1] ?? '';
}
