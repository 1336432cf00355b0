import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Proof that the architecture's lint boundaries (DESIGN 3.3) bite: the repo's real ESLint
 * config, run through ESLint's Node API on fixtures that each break one boundary. The fixtures
 * are ignored by `npm run lint`; here they are linted with `ignore: false`.
 */
const repo = resolve(__dirname, '../..');
const fixture = (name: string) => resolve(__dirname, name);
let results: Map<string, ESLint.LintResult>;
/** The layers core must never reach, one fixture each (`core-imports-<layer>.ts`). */
const OUTER_LAYERS = ['ipc', 'shell', 'cli', 'main'] as const;

beforeAll(async () => {
  const eslint = new ESLint({ cwd: repo, ignore: false });
  const files = [
    'core-imports-electron.ts', ...OUTER_LAYERS.map((l) => `core-imports-${l}.ts`), 'core-clean.ts',
    'renderer-imports-node.ts', 'renderer-imports-core.ts', 'renderer-imports-ipc-main.ts', 'renderer-clean.ts', 'ipc-main-misuse.ts',
  ];
  const list = await eslint.lintFiles(files.map(fixture));
  results = new Map(list.map((r) => [r.filePath, r]));
}, 60_000);

function problems(name: string) {
  const r = results.get(fixture(name));
  if (!r) throw new Error(`${name} was not linted`);
  return r.messages.map((m) => ({ rule: m.ruleId, line: m.line, message: m.message }));
}

describe('lint boundaries', () => {
  it('core importing electron is an error', () => {
    expect(problems('core-imports-electron.ts')).toEqual([
      { rule: 'no-restricted-imports', line: 3, message: expect.stringMatching(/electron\/core is pure Node/) },
    ]);
  });

  it.each(OUTER_LAYERS)('core importing %s is an error', (layer) => {
    expect(problems(`core-imports-${layer}.ts`)).toEqual([
      { rule: 'no-restricted-imports', line: 3, message: expect.stringMatching(/core does not depend on outer layers/) },
    ]);
  });

  it('the renderer importing the main-side IPC router is an error', () => {
    expect(problems('renderer-imports-ipc-main.ts')).toEqual([
      { rule: 'no-restricted-imports', line: 3, message: expect.stringMatching(/only the renderer-safe IPC contract/) },
    ]);
  });

  it('the renderer importing a Node built-in is an error', () => {
    expect(problems('renderer-imports-node.ts')).toEqual([
      { rule: 'no-restricted-imports', line: 2, message: expect.stringMatching(/never imports Node built-ins/) },
    ]);
  });

  it('the renderer importing core is an error', () => {
    expect(problems('renderer-imports-core.ts')).toEqual([
      { rule: 'no-restricted-imports', line: 2, message: expect.stringMatching(/never imports core/) },
    ]);
  });

  it('touching ipcMain / ipcRenderer outside the typed transports is an error', () => {
    const p = problems('ipc-main-misuse.ts');
    expect(p.every((m) => m.rule === 'no-restricted-syntax')).toBe(true);
    expect(p.filter((m) => /touches ipcMain/.test(m.message)).map((m) => m.line)).toEqual([3, 10]);
    expect(p.filter((m) => /touches ipcRenderer/.test(m.message)).map((m) => m.line)).toEqual([6]);
  });

  it('clean core and renderer files pass', () => {
    expect(problems('core-clean.ts')).toEqual([]);
    expect(problems('renderer-clean.ts')).toEqual([]);
  });

  it('the fixtures are excluded from the normal lint run', async () => {
    const eslint = new ESLint({ cwd: repo });
    expect(await eslint.isPathIgnored(fixture('core-imports-electron.ts'))).toBe(true);
    expect(await eslint.isPathIgnored(fixture('boundaries.test.ts'))).toBe(false);
  });
});
