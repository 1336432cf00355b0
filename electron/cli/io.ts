/**
 * The CLI's output port: commands write through it so tests can capture output and so `--json`
 * always means exactly one JSON document on stdout.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Reads a line of confirmation from the terminal; resolves '' when there is no terminal. */
  ask(question: string): Promise<string>;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const EXIT = { ok: 0, no: 1, usage: 2, failure: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}
