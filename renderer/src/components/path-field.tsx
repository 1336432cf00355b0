/*
 * A path field: the typed input, its "Choose…" button (a native dialog in main, where the shell
 * has one) and dropped files. Only a path is ever taken here; main reads the file (DESIGN 3).
 * In Electron a dropped file's path comes from the preload (`webUtils` underneath); the browser
 * shell cannot see File paths, so there it is a `file:` URL or an absolute path dropped as text
 * (a file manager's text/uri-list).
 */
import { useRef, useState, type DragEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import type { PathPurpose } from '../../../electron/ipc/contract/channels';
import { useAppSlice } from '../state/app-slice';
import { ChoosePathButton } from './choose-path-button';

function droppedText(data: DataTransfer): string {
  return data.getData('text/uri-list') || data.getData('text/plain');
}

/** The local path of something dropped, or null. */
function pathFromDrop(data: DataTransfer): string | null {
  const file = data.files[0];
  if (file) {
    const p = useAppSlice.getState().pathForFile(file);
    if (p) return p;
  }
  const raw = droppedText(data).split('\n').find((l) => l.trim() && !l.startsWith('#'))?.trim() ?? '';
  if (raw.startsWith('file://')) {
    try {
      return decodeURIComponent(new URL(raw).pathname);
    } catch {
      return null;
    }
  }
  return raw.startsWith('/') ? raw : null;
}

/**
 * Drop handlers for a field or a whole form. `acceptText`: besides a path, take the first line
 * of dropped text as it is (a store's URL). `over` is true while something is dragged over it.
 */
export function usePathDrop(onPath: (path: string) => void, { acceptText = false } = {}) {
  const [over, setOver] = useState(false);
  return {
    over,
    onDragOver(e: DragEvent) {
      e.preventDefault();
      setOver(true);
    },
    onDragLeave() {
      setOver(false);
    },
    onDrop(e: DragEvent) {
      e.preventDefault();
      setOver(false);
      const p = pathFromDrop(e.dataTransfer) ?? (acceptText ? droppedText(e.dataTransfer).split('\n')[0]?.trim() : null);
      if (p) onPath(p);
    },
  };
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'onDrop' | 'onDragOver' | 'ref'>;

/**
 * The input and its Choose… button (a fragment, so it sits in whatever row holds it), with
 * `children` — usually the form's submit button — between the two.
 */
export function PathField({ value, onChange, purpose, chooseLabel, suggestedName, onChosen, droppable = false, children, ...input }: InputProps & {
  value: string;
  onChange: (value: string) => void;
  purpose: PathPurpose;
  /** The Choose… button's accessible name, e.g. "Choose an index file". */
  chooseLabel: string;
  suggestedName?: string;
  /** What a chosen path does; by default it fills the field. */
  onChosen?: (path: string) => void;
  /** Take a file dropped on the field itself (where the form around it is no drop zone). */
  droppable?: boolean;
  children?: ReactNode;
}) {
  const field = useRef<HTMLInputElement>(null);
  const drop = usePathDrop(onChange);
  return (
    <>
      <input
        ref={field}
        {...input}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onDragOver={droppable ? (e) => e.preventDefault() : undefined}
        onDrop={droppable ? drop.onDrop : undefined}
      />
      {children}
      <ChoosePathButton purpose={purpose} suggestedName={suggestedName} label={chooseLabel} field={field} onChosen={onChosen ?? onChange} />
    </>
  );
}
