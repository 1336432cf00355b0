/**
 * One error type for everything core reports to a person: a stable `code` the UI and the CLI can
 * branch on, and a message that names what was wrong. IPC envelopes and the CLI's
 * `{ error: { code, message } }` are built from it.
 */
export class CoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}

export function isCoreError(e: unknown): e is CoreError {
  return e instanceof CoreError;
}

/** Message of any thrown value, for places that must turn an unknown error into text. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
