/*
 * The app's one subscription to what main pushes (verification progress, install output, changed
 * cells, receipts, previews, keys). Made once, at start-up, before the first view renders — not
 * in view effects — so events that arrive while a view is not shown still reach its slice.
 */
import type { Unsubscribe } from '../../../electron/ipc/contract/domain';
import { useActivitySlice } from './activity-slice';
import { useCellsSlice } from './cells-slice';
import { useFleetSlice } from './fleet-slice';
import { useInstallsSlice } from './installs-slice';
import { useStoreSlice } from './store-slice';
import { usePreviewSlice } from './preview-slice';
import { useTrustSlice } from './trust-slice';
import { useUpdatesSlice } from './updates-slice';
import { useVerificationSlice } from './verification-slice';

export function subscribeToEvents(): Unsubscribe {
  const offs = [useTrustSlice, useVerificationSlice, useInstallsSlice, useCellsSlice, useActivitySlice, usePreviewSlice, useStoreSlice, useFleetSlice, useUpdatesSlice].map((slice) => slice.getState().subscribe());
  return () => offs.forEach((off) => off());
}
