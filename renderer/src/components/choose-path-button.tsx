/*
 * "Choose…" beside a path field (PathField): asks main for a native file dialog (DESIGN 3 —
 * files are opened by path in main, never read here). Shown only where the shell has dialogs
 * (Electron); in the browser shell it renders nothing and the typed field is the way in. Should
 * main answer that it cannot show one after all, the typed field gets the focus instead.
 */
import { useState, type RefObject } from 'react';
import type { PathPurpose } from '../../../electron/ipc/contract/channels';
import { useAppSlice } from '../state/app-slice';

export function ChoosePathButton({ purpose, suggestedName, label, field, onChosen }: {
  purpose: PathPurpose;
  suggestedName?: string;
  /** Accessible name, e.g. "Choose an index file". */
  label: string;
  field: RefObject<HTMLInputElement | null>;
  onChosen: (path: string) => void;
}) {
  const supported = useAppSlice((s) => s.info?.canChoosePaths === true);
  const choosePath = useAppSlice((s) => s.choosePath);
  const [busy, setBusy] = useState(false);
  if (!supported) return null;
  const choose = async () => {
    setBusy(true);
    const r = await choosePath(suggestedName ? { purpose, suggestedName } : { purpose });
    setBusy(false);
    if (r.ok && r.data.supported) {
      if (r.data.path) onChosen(r.data.path);
      return;
    }
    field.current?.focus();
  };
  return (
    <button type="button" className="button button--inline" aria-label={label} data-testid={`choose-${purpose}`} disabled={busy} onClick={() => void choose()}>
      Choose…
    </button>
  );
}
