/*
 * The `preview` domain (service developers): the listing file open for preview, re-read when it
 * is saved, and the verdict for its selected service. The file is read and judged in main only.
 */
import { create } from 'zustand';
import type { ListingPreviewView, PreviewVerdict } from '../../../electron/ipc/contract/channels';
import type { Unsubscribe } from '../../../electron/ipc/contract/domain';
import { api } from '../api/api';
import { IDLE_OP, LOADING_OP, settled, type AsyncOp, type SliceStatus } from './load-status';

interface VerifyState extends AsyncOp<PreviewVerdict> {
  /** The image the result is for: a re-read listing with another image re-verifies. */
  image: string | null;
}

interface PreviewSlice extends SliceStatus {
  path: string | null;
  listing: ListingPreviewView | null;
  selected: number;
  devKeyPath: string;
  ociLayoutDir: string;
  verify: VerifyState;
  open(path: string): Promise<void>;
  select(index: number): void;
  setDevKeyPath(p: string): void;
  setOciLayoutDir(p: string): void;
  runVerify(): Promise<void>;
  /** Follows `preview:changed` (the file was saved); subscribed once at app level. */
  subscribe(): Unsubscribe;
}

const idleVerify: VerifyState = { ...IDLE_OP, image: null };

export const usePreviewSlice = create<PreviewSlice>()((set, get) => {
  /** What a verdict is for: the image, or an invalid listing (whose verdict says so). */
  const selectedImage = () => {
    const { listing, selected } = get();
    const s = listing?.services.find((x) => x.index === selected);
    return s?.manifest?.image ?? (s && s.errors.length > 0 ? `#${s.index} (invalid listing)` : null);
  };
  const afterListing = (listing: ListingPreviewView) => {
    const keep = listing.services.some((s) => s.index === get().selected);
    set({ listing, status: 'ready', error: null, selected: keep ? get().selected : (listing.services[0]?.index ?? 0) });
    const image = selectedImage();
    if (!image) set({ verify: idleVerify });
    else if (image !== get().verify.image || get().verify.status !== 'ready') void get().runVerify();
  };
  return {
    status: 'idle',
    error: null,
    path: null,
    listing: null,
    selected: 0,
    devKeyPath: '',
    ociLayoutDir: '',
    verify: idleVerify,
    async open(path) {
      set({ status: 'loading', error: null, path, verify: idleVerify });
      const r = await api().preview.open({ path });
      if (r.ok) afterListing(r.data);
      else set({ status: 'error', error: r.error, listing: null });
    },
    select(index) {
      set({ selected: index, verify: idleVerify });
      if (selectedImage()) void get().runVerify();
    },
    setDevKeyPath: (devKeyPath) => set({ devKeyPath }),
    setOciLayoutDir: (ociLayoutDir) => set({ ociLayoutDir }),
    async runVerify() {
      const { path, selected, devKeyPath, ociLayoutDir } = get();
      const image = selectedImage();
      if (!path || !image) return;
      set({ verify: { ...LOADING_OP, image } });
      const r = await api().preview.verify({
        path,
        serviceIndex: selected,
        ...(devKeyPath.trim() ? { devKeyPath: devKeyPath.trim() } : {}),
        ...(ociLayoutDir.trim() ? { ociLayoutDir: ociLayoutDir.trim() } : {}),
      });
      // A newer request (another file, another service) may have replaced this one.
      if (get().verify.image !== image || get().path !== path) return;
      set({ verify: { ...settled(r), image } });
    },
    subscribe() {
      return api().preview.on('changed', (listing) => {
        if (listing.path === get().path) afterListing(listing);
      });
    },
  };
});
