/*
 * The first-run note, shown while no store key is installed: calm, not an error. It says what the
 * demo store is (judged only by its own demo key, so its badges are real), where a store's key
 * goes (the real paths main reports), and the next steps. It disappears once a store key is
 * installed, and never contradicts the badges: it claims nothing about what verifies beyond the
 * keys the trust root actually has.
 */
import { useNavSlice } from '../state/nav-slice';
import { useTrustSlice } from '../state/trust-slice';

export function TrustBanner() {
  const trust = useTrustSlice((s) => s.trust);
  const go = useNavSlice((s) => s.go);
  if (!trust || trust.storeKeyInstalled) return null;
  return (
    <section className="banner banner--info first-run" role="status" aria-label="Getting started" data-testid="first-run">
      <p className="first-run__lead">
        <strong>Getting started.</strong>{' '}
        {trust.state === 'local-only'
          ? 'Images are checked with your own keys only; an image signed with a store’s key verifies once that key is installed.'
          : 'The Demo store works now: its images are checked with the demo store’s own key. To verify a real store, install its publish key.'}
      </p>
      <p className="first-run__where">
        Store key: place the store’s <code>cosign.pub</code> in <code data-testid="first-run-key-dir">{trust.bundledKeyDir}</code>; your own keys go in <code>{trust.localKeyDir}</code>.
      </p>
      <p className="first-run__next">
        Next:{' '}
        <button type="button" className="link-button" onClick={() => go('store')}>
          add a store
        </button>
        ,{' '}
        <button type="button" className="link-button" onClick={() => go('cells')}>
          add and test a cell
        </button>
        , then open a service and choose Install.{' '}
        <button type="button" className="link-button" onClick={() => go('about')}>
          About keys
        </button>
      </p>
    </section>
  );
}
