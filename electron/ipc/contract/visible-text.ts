/**
 * Store-provided text made safe to show in the UI (issue 12 item 7): the same pure escaping as
 * the CLI's terminal-safe printer, so bidi overrides, isolates and zero-width characters in a
 * name, tagline or id appear as visible escapes (`\u202e`) instead of reordering or hiding text
 * ("evil" shown as "live"). Re-exported here because the renderer may import only the contract.
 */
export { terminalSafe as visibleText, withoutUnsafe as withoutInvisible } from '../../core/terminal-text';
