import { createReceipt, type Receipt, type ReceiptFields } from '../../electron/core/receipts/receipt';

/**
 * A realistic receipt for tests and demos: a rejected install of an unsigned image under an
 * enforce cell. Overrides replace whole top-level fields.
 */
export function sampleReceipt(overrides: Partial<ReceiptFields> = {}, clock?: { now?: () => Date; newId?: () => string }): Receipt {
  const digest = `sha256:${'ab'.repeat(32)}`;
  const fields: ReceiptFields = {
    action: 'install',
    store: { name: 'PIC Store', url: 'file:/srv/store/index.json' },
    service: { id: 'notes', name: 'Notes', version: '1.2.0' },
    cell: { name: 'home', destination: 'pic@cell.example', root: '/opt/pic' },
    image: `images.example/pic/notes@${digest}`,
    digest,
    verification: {
      verified: false,
      reason: 'SIGNATURE_NOT_FOUND',
      checks: [
        { id: 'reference', status: 'pass', detail: 'images.example/pic/notes is a valid reference' },
        { id: 'digest-pinned', status: 'pass', detail: `pinned to ${digest}` },
        { id: 'trust-root', status: 'pass', detail: '1 trusted key' },
        { id: 'registry', status: 'pass', detail: 'registry answered' },
        { id: 'manifest', status: 'pass', detail: `content hashes to ${digest}` },
        { id: 'signature-found', status: 'fail', detail: 'no signature attached to that digest' },
        { id: 'signature-valid', status: 'skip', detail: 'no signature to check' },
        { id: 'digest-binding', status: 'skip', detail: 'no signature to check' },
        { id: 'identity', status: 'skip', detail: 'no signature to check' },
        { id: 'transparency-log', status: 'skip', detail: 'not checked (offline verification)' },
      ],
      signatures: [],
      trustedKeys: [{ fingerprint: 'cd'.repeat(32), origin: 'bundled', type: 'ecdsa-p256' }],
    },
    cellVerification: { ran: true, verified: false, cosignVersion: 'v2.5.0', output: 'Error: no signatures found' },
    mode: { value: 'enforce', source: 'config', detail: 'image_verification.mode is "enforce" in config/api/cell_config.json' },
    decision: 'block',
    outcome: 'rejected',
    error: null,
    ...overrides,
  };
  return createReceipt(fields, clock);
}
