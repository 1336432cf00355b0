/**
 * Makes a line safe to print on a terminal. Much of what the CLI prints comes from the cell —
 * cosign's version text, a file's unreadable-reason from the cell's stderr, receipt fields — and
 * a cell (or whoever wrote those files) must not be able to move the cursor, retitle the window,
 * hide text or forge lines with escape sequences. C0 controls (newline and tab included), DEL,
 * C1 controls and the bidirectional overrides are shown as visible escapes (`\x1b`, `\u202e`).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(line: string): string {
  return line.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** The same for a multi-line text of our own making: its line breaks stay, everything else is escaped. */
export function terminalSafeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}
