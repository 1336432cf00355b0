/**
 * The one terminal-safe printer (DESIGN 2.4): every value from a store, a cell, a registry or a
 * receipt goes through it before the CLI prints it. Much of what the CLI prints is not ours —
 * store names and taglines, service ids, cosign's version text, a cell's stderr, receipt fields —
 * and whoever wrote it must not be able to clear the screen, retitle the window, write the
 * clipboard (OSC 52), hide or reorder text, or forge a line ("OK VERIFIED") with a newline.
 * C0 controls (newline and tab included), DEL, C1 controls, the bidirectional marks, overrides
 * and isolates, line/paragraph separators and zero-width characters are shown as visible escapes
 * (`\x1b`, `\u202e`).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/** One value made safe to print: nothing in it can drive the terminal or start a new line. */
export function terminalSafe(value: string): string {
  return value.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Lines of human output, each made terminal-safe, each ended with a newline: the only line breaks
 * printed are the ones between the lines given here, never one inside a value.
 */
export function terminalLines(...lines: string[]): string {
  return lines.map((l) => `${terminalSafe(l)}\n`).join('');
}
