/** Key origins in words and short fingerprints, shared with the CLI; re-exported here because the renderer may import only the contract. */
export { originWords, shortFingerprint } from '../../core/catalogue/key-words';
