/*
 * An upgrade's review in the pre-flight (DESIGN 2.9): the typed diff core built — version and
 * digest from → to, the signers from verification, each added, removed or changed port, volume
 * and variable, and whether the listing is signed. The person ticks consent to what is added or
 * changed and types the new signer's fingerprint when it changed; main and core decide whether
 * that covers the review (a confirmation that does not is refused with a receipt).
 */
import type { PreflightSummary } from '../../../../electron/ipc/contract/channels';
import { Fingerprint } from '../../components/fingerprint';

type Review = NonNullable<PreflightSummary['review']>;

const FIELD_WORDS = { ports: 'Port', volumes: 'Volume', environment: 'Variable' } as const;
const CHANGE_WORDS = { added: 'added', removed: 'removed', changed: 'changed' } as const;

/** Whether the review asks for consent to changes, and for a confirmed signer. */
export function reviewNeeds(r: Review): { changes: boolean; signer: boolean } {
  return { changes: r.changes.some((c) => c.change !== 'removed'), signer: r.signers.changed };
}

export function ReviewPanel({ review: r, consent, onConsent }: {
  review: Review;
  consent: { acceptChanges: boolean; acceptSigner: string };
  onConsent: (c: Partial<{ acceptChanges: boolean; acceptSigner: string }>) => void;
}) {
  const needs = reviewNeeds(r);
  const fps = (x: string[]) => (x.length ? x.join(', ') : 'no trusted signature');
  return (
    <section className="review" aria-labelledby="review-title" data-testid="review">
      <h4 id="review-title">What this update changes</h4>
      <dl className="facts">
        <dt>Version</dt>
        <dd data-testid="review-version">
          {r.version.from ?? 'unknown'} → {r.version.to}
        </dd>
        <dt>Digest</dt>
        <dd data-testid="review-digest">
          <code className="digest">{r.digest.from ?? 'unknown'}</code> → <code className="digest">{r.digest.to ?? 'unknown'}</code>
        </dd>
        <dt>Signed by</dt>
        <dd data-testid="review-signers" data-changed={r.signers.changed}>
          {r.signers.changed ? (
            <>
              <strong>Another key signs the new version.</strong> Before: <code className="fingerprint">{fps(r.signers.from)}</code>. Now:{' '}
              {r.signers.to.map((fp) => (
                <Fingerprint key={fp} value={fp} label="Copy the new signer's fingerprint" />
              ))}
            </>
          ) : (
            <>the same key as the installed version ({fps(r.signers.to)})</>
          )}
        </dd>
        <dt>Cell key</dt>
        <dd>{r.cellKeyVerifies === null ? 'not checked yet' : r.cellKeyVerifies ? 'verifies the new image' : 'does not verify the new image'}</dd>
        <dt>Listing</dt>
        <dd data-testid="review-listing">{r.listingSigned ? 'from a signed store listing' : 'from the store listing, not signed'}</dd>
      </dl>
      {r.changes.length === 0 ? (
        <p className="muted" data-testid="review-no-changes">
          No port, volume or environment changes.
        </p>
      ) : (
        <ul className="review__changes" data-testid="review-changes">
          {r.changes.map((c) => (
            <li key={`${c.field} ${c.name}`} data-change={c.change} data-field={c.field} className={`review__change review__change--${c.change}`}>
              <span className="tag">{CHANGE_WORDS[c.change]}</span> {FIELD_WORDS[c.field]} <code>{c.name}</code>
              {c.change === 'changed' && (
                <>
                  : <code>{JSON.stringify(c.from ?? '')}</code> → <code>{JSON.stringify(c.to ?? '')}</code>
                </>
              )}
              {c.change === 'added' && (
                <>
                  : <code>{JSON.stringify(c.to ?? '')}</code>
                </>
              )}
              {c.change === 'removed' && (
                <>
                  {' '}
                  (was <code>{JSON.stringify(c.from ?? '')}</code>)
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {needs.changes && (
        <label className="review__consent">
          <input type="checkbox" data-testid="review-accept-changes" checked={consent.acceptChanges} onChange={(e) => onConsent({ acceptChanges: e.target.checked })} /> I have read the added and
          changed ports, volumes and environment above and accept them
        </label>
      )}
      {needs.signer && (
        <label className="review__consent">
          Type or paste the new signer&apos;s fingerprint after checking it with the store:
          <input
            type="text"
            className="input"
            data-testid="review-accept-signer"
            spellCheck={false}
            autoComplete="off"
            value={consent.acceptSigner}
            onChange={(e) => onConsent({ acceptSigner: e.target.value })}
          />
        </label>
      )}
    </section>
  );
}
