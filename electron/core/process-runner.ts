// The one way core starts a process: argv arrays only (never a shell string on the local side),
// bounded output, timeouts and cancellation, and a typed error carrying exit code, stderr and
// whether it was cancelled. Injected as a port so core tests can use a fake.
import { StringDecoder } from 'node:string_decoder';
import { execa } from 'execa';
import { CoreError } from './errors';

interface RunOptions {
  input?: string | Uint8Array;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Cap on stdout/stderr each; more is a ProcessError (never an out-of-memory). */
  maxOutputBytes?: number;
  /** Called with each chunk of output as it arrives (install progress). */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class ProcessError extends CoreError {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly cancelled: boolean,
    readonly timedOut: boolean,
  ) {
    super(cancelled ? 'CANCELLED' : timedOut ? 'TIMEOUT' : 'PROCESS_FAILED', message);
    this.name = 'ProcessError';
  }
}

export type ProcessRunner = (file: string, args: readonly string[], opts?: RunOptions) => Promise<RunResult>;

/** Runs a command; a non-zero exit is a result, not an error (callers decide what it means). */
export const runProcess: ProcessRunner = async (file, args, opts = {}) => {
  const max = opts.maxOutputBytes ?? 8 * 1024 * 1024;
  const child = execa(file, [...args], {
    input: opts.input,
    env: opts.env,
    extendEnv: opts.env === undefined,
    cwd: opts.cwd,
    timeout: opts.timeoutMs,
    cancelSignal: opts.signal,
    reject: false,
    stripFinalNewline: false,
    encoding: 'utf8',
    maxBuffer: max,
    stdin: opts.input === undefined ? 'ignore' : 'pipe',
  });
  if (opts.onOutput) {
    // One decoder per stream, so a multi-byte character split across two chunks stays whole.
    for (const name of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8');
      child[name]?.on('data', (b: Buffer) => {
        const text = decoder.write(b);
        if (text) opts.onOutput!(name, text);
      });
      child[name]?.on('end', () => {
        const rest = decoder.end();
        if (rest) opts.onOutput!(name, rest);
      });
    }
  }
  const r = await child;
  const stdout = String(r.stdout ?? '');
  const stderr = String(r.stderr ?? '');
  if (r.isCanceled) throw new ProcessError(`${file} was cancelled`, null, stderr, true, false);
  if (r.timedOut) throw new ProcessError(`${file} did not finish within ${opts.timeoutMs} ms`, null, stderr, false, true);
  if (r.isMaxBuffer) throw new ProcessError(`${file} printed more than ${max} bytes`, null, stderr, false, false);
  if (r.exitCode === undefined) {
    const why = r.code === 'ENOENT' ? `${file} is not installed or not on PATH` : r.shortMessage || `${file} could not run`;
    throw new ProcessError(why, null, stderr, false, false);
  }
  return { exitCode: r.exitCode, stdout, stderr };
};
