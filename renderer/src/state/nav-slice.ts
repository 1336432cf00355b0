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

/** Which view the shell shows. About / Trust opens first (the frame's e2e relies on it); the Store is one click away. */
export const useNavSlice = create<NavSlice>()((set) => ({
  view: 'about',
  go: (view) => set({ view }),
}));
