import { useTrustSlice } from '../state/trust-slice';

/** Shown on every view while no store key is installed: nothing from a store can verify. */
export function TrustBanner() {
  const trust = useTrustSlice((s) => s.trust);
  if (!trust || trust.storeKeyInstalled) return null;
  return (
    <div className="banner banner--danger" role="status">
      <strong>No store key installed.</strong>{' '}
      {trust.state === 'local-only'
        ? 'Only locally added keys are trusted; images signed by the store will not verify.'
        : 'Nothing from a store can be verified until the store’s publish key is placed in the app’s config/cosign/ directory.'}
    </div>
  );
}
