// Issue 17 item 9: every option a message tells a person to use exists. The messages are the
// string and template literals (and JSX text) of the CLI, core and the renderer — comments are
// not read — and each `--flag` in them must be an option some pic-store command lists in its
// usage (usage.test.ts ties usage to the parsers), unless the same literal is a command line of
// another program (cosign, docker, ssh, ss) or the file only builds such command lines.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { COMMAND_USAGE } from './usage';

const ROOT = join(__dirname, '..', '..');
const SCANNED = ['electron/cli', 'electron/core', 'electron/ipc', 'renderer/src'];

/** Files whose literals are other programs' command lines (shell scripts run on a cell, cosign and docker argv). */
const OTHER_PROGRAMS = new Set([
  'electron/core/install/remote-scripts.ts',
  'electron/core/install/cell-cosign.ts',
  'electron/core/cell/status-script.ts',
  'electron/core/cell/ssh.ts',
  'electron/core/registry/docker-credentials.ts',
]);
/** A literal that names another program is quoting that program's options, not pic-store's. */
const OTHER_PROGRAM_WORDS = /\b(cosign|docker|ssh|ss|compose)\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.(i?test|d)\.tsx?$/.test(name) ? [path] : [];
  });
}

function literals(path: string): string[] {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) || ts.isJsxText(node)) out.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

const KNOWN = new Set(['--help', '--version', ...Object.values(COMMAND_USAGE).flatMap((u) => [...u.matchAll(/(--[a-z][a-z-]*)/g)].map((m) => m[1]!))]);

describe('options that messages mention', () => {
  it('every --flag in a message is a real pic-store option', () => {
    const unknown: string[] = [];
    let seen = 0;
    for (const dir of SCANNED) {
      for (const path of sourceFiles(join(ROOT, dir))) {
        const rel = relative(ROOT, path);
        if (OTHER_PROGRAMS.has(rel) || rel === 'electron/cli/options-mentioned.test.ts') continue;
        for (const text of literals(path)) {
          for (const m of text.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)) {
            seen++;
            const before = text.slice(0, m.index);
            if (!KNOWN.has(m[1]!) && !OTHER_PROGRAM_WORDS.test(before)) unknown.push(`${rel}: ${m[1]} in "${text.slice(0, 120)}"`);
          }
        }
      }
    }
    // The scan must actually find messages with options (the CLI's usage alone has dozens).
    expect(seen).toBeGreaterThan(50);
    expect(unknown).toEqual([]);
  });
});
