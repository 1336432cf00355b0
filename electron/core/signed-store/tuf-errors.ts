import { LengthOrHashMismatchError, UnsignedMetadataError } from '@tufjs/models/dist/error';
import { BadVersionError, DownloadError, DownloadLengthMismatchError, ExpiredMetadataError, RuntimeError } from 'tuf-js/dist/error';
import { errorMessage, type StoreUpdateCode } from '../errors';
import { UNREACHABLE_MARK } from './tuf-fetcher';

/**
 * Maps what tuf-js throws to the store codes of DESIGN 2.7. By class first; tuf-js wraps a
 * failure while loading snapshot or targets into `RuntimeError("Unable to load … error Error:
 * …")` without a cause (its classes set no `name`), so for those the inner message decides
 * (TESTBED "tuf-js error traps"). Anything not recognised is METADATA_INVALID: failing closed.
 */
export type StoreCode = StoreUpdateCode;
export const STORE_CODES: readonly StoreCode[] = ['STORE_UNREACHABLE', 'STORE_ROLLBACK', 'STORE_EXPIRED', 'STORE_METADATA_INVALID', 'STORE_TARGET_MISMATCH'];

/** Where the failure happened: the metadata walk, or fetching index.json against its signed length/hashes. */
export type UpdatePhase = 'metadata' | 'target';

const ROLLBACK_WORDS = /is less than current version|does not match snapshot version|doesn't match timestamp|Expected version \d+, got/;

export function classifyTufError(e: unknown, phase: UpdatePhase): StoreCode {
  const msg = errorMessage(e);
  if (phase === 'target' && (e instanceof LengthOrHashMismatchError || e instanceof DownloadLengthMismatchError)) return 'STORE_TARGET_MISMATCH';
  if (e instanceof DownloadLengthMismatchError) return 'STORE_METADATA_INVALID';
  if (e instanceof DownloadError || msg.startsWith(UNREACHABLE_MARK)) return 'STORE_UNREACHABLE';
  if (e instanceof BadVersionError) return 'STORE_ROLLBACK';
  if (e instanceof ExpiredMetadataError) return 'STORE_EXPIRED';
  if (e instanceof UnsignedMetadataError || e instanceof LengthOrHashMismatchError) return 'STORE_METADATA_INVALID';
  if (e instanceof RuntimeError && /^Unable to load /.test(msg)) {
    const inner = msg.replace(/^Unable to load .*? error (\w*Error: )?/, '');
    if (inner.startsWith(UNREACHABLE_MARK)) return 'STORE_UNREACHABLE';
    if (ROLLBACK_WORDS.test(inner)) return 'STORE_ROLLBACK';
    if (/ is expired$/.test(inner)) return 'STORE_EXPIRED';
  }
  return 'STORE_METADATA_INVALID';
}

/** A message for people: tuf-js's own words, without the wrapper noise. */
export function tufErrorDetail(e: unknown): string {
  return errorMessage(e).replace(/^Unable to load (.*?) error (\w*Error: )?/, '$1: ').slice(0, 500);
}
