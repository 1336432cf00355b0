import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliContext } from './context';
import type { CliIo } from './io';
import { runCli } from './pic-store';
import { closest } from './suggest';
import { COMMAND_USAGE } from './usage';

/** Issue 17 item 9: help for every command and subcommand, "did you mean", and usage that lists every option a command parses. */
function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', isTTY: false, env: {}, cwd: process.cwd(), ask: async () => '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}
// Help, unknown commands and option typos are answered before a command touches its context.
const NO_CONTEXT = {} as CliContext;

describe('pic-store help and suggestions', () => {
  for (const name of Object.keys(COMMAND_USAGE)) {
    it(`${name} --help prints its own usage and exits 0`, async () => {
      const io = captureIo();
      expect(await runCli([name, '--help'], io, NO_CONTEXT)).toBe(0);
      expect(io.stdout).toContain(`pic-store ${name}`);
      // Only this command's entries, not the whole list.
      expect(io.stdout.split('\n').filter((l) => l.startsWith('  pic-store ')).every((l) => l.startsWith(`  pic-store ${name} `))).toBe(true);
    });
  }
  it('cell status --help (a subcommand) prints the cell usage', async () => {
    const io = captureIo();
    expect(await runCli(['cell', 'status', '--help'], io, NO_CONTEXT)).toBe(0);
    expect(io.stdout).toContain('pic-store cell status DEST');
  });
  it('an unknown command suggests the nearest one', async () => {
    const io = captureIo();
    expect(await runCli(['verfy', 'x'], io, NO_CONTEXT)).toBe(2);
    expect(io.stderr).toContain('unknown command "verfy" (did you mean verify?)');
  });
  it('an unknown option suggests the nearest one the command has', async () => {
    const io = captureIo();
    expect(await runCli(['lint', 'x.json', '--jsno'], io, NO_CONTEXT)).toBe(2);
    expect(io.stderr).toContain('unknown option "--jsno" (did you mean --json?)');
    const io2 = captureIo();
    expect(await runCli(['uninstall', 'web', '--purge-volume'], io2, NO_CONTEXT)).toBe(2);
    expect(io2.stderr).toContain('(did you mean --purge-volumes?)');
  });
  it('an unknown cell subcommand suggests status', async () => {
    const io = captureIo();
    expect(await runCli(['cell', 'stauts', 'x'], io, NO_CONTEXT)).toBe(2);
    expect(io.stderr).toContain('unknown cell command "stauts" (did you mean status?)');
  });
  for (const [command, typo, meant, expected] of [
    ['fleet', 'aply', 'apply', 'plan, apply'],
    ['inventory', 'exprt', 'export', 'export, import'],
    ['store', 'lst', 'list', 'add, remove, list, refresh'],
  ] as const) {
    it(`an unknown ${command} subcommand ("${typo}") suggests ${meant}`, async () => {
      const io = captureIo();
      expect(await runCli([command, typo], io, NO_CONTEXT)).toBe(2);
      expect(io.stderr).toBe(`pic-store ${command}: unknown ${command} command "${typo}" (did you mean ${meant}?) (expected: ${expected})\n`);
    });
  }
  it('store without a subcommand names "store" once', async () => {
    const io = captureIo();
    expect(await runCli(['store'], io, NO_CONTEXT)).toBe(2);
    expect(io.stderr).toBe('pic-store store: missing store command (expected: add NAME URL, remove NAME, list, refresh)\n');
  });
  it('an unknown option points to the command\'s own help, by name', async () => {
    const io = captureIo();
    expect(await runCli(['lint', 'x.json', '--jsno'], io, NO_CONTEXT)).toBe(2);
    expect(io.stderr).toBe('pic-store lint: unknown option "--jsno" (did you mean --json?); see pic-store lint --help\n');
  });
  it('an option without its value says what value it needs', async () => {
    const io = captureIo();
    expect(await runCli(['verify', 'index.json', '--trust-key'], io, NO_CONTEXT)).toBe(2);
    expect(io.stderr).toBe('pic-store verify: --trust-key needs a value (FILE); see pic-store verify --help\n');
  });
  it('nothing close: no suggestion', () => {
    expect(closest('zzzzzzzz', ['verify', 'lint'])).toBeNull();
  });
  it('every option each command parses is in its usage, and every option in its usage is parsed', () => {
    for (const [name, usage] of Object.entries(COMMAND_USAGE)) {
      const source = readFileSync(join(__dirname, 'commands', `${name}.ts`), 'utf8');
      // Every parser in the command's module (fleet, inventory and store have one per subcommand).
      const blocks = source.split('parseCommandArgs(').slice(1).map((call) => call.slice(0, call.indexOf('})') + 2));
      const parsed = [...new Set(blocks.flatMap((b) => [...b.matchAll(/'?([a-z][a-z-]*)'?: \{ type:/g)].map((m) => `--${m[1]}`)))].sort();
      const listed = [...new Set([...usage.matchAll(/\[?(--[a-z][a-z-]*)/g)].map((m) => m[1]!))].sort();
      expect({ name, listed }).toEqual({ name, listed: parsed });
    }
  });
});
