/**
 * A store's listing state in the catalogue's words (DESIGN 2.7), built in main for the store
 * view's banner, the Manage stores rows and the service page: the state table's values, the
 * "Listing signed by …" line, and for `stale`, `expired`, `refused` (and a signed store never
 * read) what happened and the next step per role.
 */
import { explainStoreError, isStoreCode, listingSentence, readableExpiry } from '../../../core/catalogue/store-catalogue';
import type { ListingStatus } from '../../../core/signed-store/signed-refresh';
import type { StoreListingView } from '../../contract/channels/store';

export function storeListingView(store: string, l: ListingStatus): StoreListingView {
  const error = l.error ? { code: l.error.code, message: l.error.message } : null;
  let banner: StoreListingView['banner'] = null;
  if (l.signed && l.state !== 'current' && l.error) {
    const code = isStoreCode(l.error.code) ? l.error.code : l.state === 'expired' ? 'STORE_EXPIRED' : 'STORE_METADATA_INVALID';
    const x = explainStoreError(code, { store, version: l.version, expires: l.expires, detail: l.error.message });
    banner = { code, title: x.title, sentence: x.sentence, next: x.next, detail: x.detail };
  }
  return { signed: l.signed, version: l.version, expires: l.expires, expiresText: l.expires ? readableExpiry(l.expires) : null, state: l.state, error, sentence: listingSentence(store, l), banner };
}
