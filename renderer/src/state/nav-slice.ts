import { create } from 'zustand';

export type ViewId = 'store' | 'cells' | 'activity' | 'preview' | 'about';

export const VIEWS: readonly { id: ViewId; label: string }[] = [
  { id: 'store', label: 'Store' },
  { id: 'cells', label: 'Cells' },
  { id: 'activity', label: 'Activity' },
  { id: 'preview', label: 'Preview' },
  { id: 'about', label: 'About / Trust' },
];

interface NavSlice {
  view: ViewId;
  go(view: ViewId): void;
}

/** Which view the shell shows. About / Trust is the first real view, so it opens first for now. */
export const useNavSlice = create<NavSlice>()((set) => ({
  view: 'about',
  go: (view) => set({ view }),
}));
