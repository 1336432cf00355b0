import { create } from 'zustand';

export type ViewId = 'store' | 'cells' | 'installed' | 'fleet' | 'activity' | 'preview' | 'about';

export const VIEWS: readonly { id: ViewId; label: string }[] = [
  { id: 'store', label: 'Store' },
  { id: 'cells', label: 'Cells' },
  { id: 'installed', label: 'Installed' },
  { id: 'fleet', label: 'Fleet' },
  { id: 'activity', label: 'Activity' },
  { id: 'preview', label: 'Preview' },
  { id: 'about', label: 'About / Trust' },
];

interface NavSlice {
  view: ViewId;
  go(view: ViewId): void;
}

/** Which view the shell shows: the store browser first — what an admin sees first (the demo store when none is configured). */
export const useNavSlice = create<NavSlice>()((set) => ({
  view: 'store',
  go: (view) => set({ view }),
}));
