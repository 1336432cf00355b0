// `pic-store lint FILE [--json]` (DESIGN 2.4): the schema check of a manifest or an index,
// `{ valid, errors: [{ path, message }] }` with JSON-pointer paths. Warnings (tag-only or
// malformed image references, which verification will reject) are extra and never fail lint.
// The file is read as verify reads it (readStoreJsonFile: size bound, byte-order mark allowed),
// so lint never rejects a file verify accepts.
import { resolve } from 'node:path';
import { isCoreError } from '../../core/errors';
import { readStoreJsonFile } from '../../core/store/load-index';
import type { SchemaError } from '../../core/store/manifest-schema';
import { imageNote, validateIndex, validateManifest } from '../../core/store/validate';
import { terminalLines } from '../../core/terminal-text';
import { parseCommandArgs, UsageError } from '../args';
import type { CliContext } from '../context';
import { EXIT, printJson, type CliIo, type ExitCode } from '../io';

const MAX_FILE_BYTES = 16 * 1024 * 1024;

export async function lintCommand(argv: string[], io: CliIo, _ctx: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('lint needs exactly one FILE (a manifest or an index)');
  const path = resolve(io.cwd, positionals[0]!);
  let errors: SchemaError[] = [];
  const warnings: SchemaError[] = [];
  let kind: 'index' | 'manifest' = 'manifest';
  let raw: unknown;
  try {
    raw = await readStoreJsonFile(path, { maxBytes: MAX_FILE_BYTES });
  } catch (e) {
    // Unreadable (missing, too large) is exit 3; invalid JSON is lint's own finding.
    if (!isCoreError(e) || e.code !== 'INDEX_INVALID') throw e;
    errors = [{ path: '', message: e.message }];
  }
  if (errors.length === 0) {
    if (raw && typeof raw === 'object' && 'services' in raw) {
      kind = 'index';
      const v = validateIndex(raw);
      if (!v.ok) errors = v.errors;
      else {
        for (const s of v.index.services) {
          errors.push(...s.errors);
          const note = s.manifest ? imageNote(s.manifest.image) : null;
          if (note) warnings.push({ path: `/services/${s.index}/image`, message: note.replace(/^image: /, '') });
        }
      }
    } else {
      const v = validateManifest(raw);
      errors = v.errors;
      const note = v.manifest ? imageNote(v.manifest.image) : null;
      if (note) warnings.push({ path: '/image', message: note.replace(/^image: /, '') });
    }
  }
  const valid = errors.length === 0;
  if (values.json) printJson(io, { valid, kind, errors, warnings });
  else {
    // Messages quote the file's own values (a duplicate id, an image reference): printed terminal-safe.
    io.out(
      terminalLines(
        valid ? `${positionals[0]}: valid ${kind}` : `${positionals[0]}: invalid ${kind}, ${errors.length} error(s)`,
        ...errors.map((e) => `  error   ${e.path || '/'}: ${e.message}`),
        ...warnings.map((w) => `  warning ${w.path}: ${w.message}`),
      ),
    );
  }
  return valid ? EXIT.ok : EXIT.no;
}
