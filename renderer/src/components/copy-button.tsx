import { useEffect, useRef, useState } from 'react';

const STATUS_TEXT = { idle: '', copied: 'Copied to the clipboard.', failed: 'Could not copy: select the text and copy it.' } as const;

/**
 * Copies a value (a fingerprint, a digest) to the clipboard and says whether it worked: on the
 * button, and in a polite live region so screen readers hear it too (the button's accessible
 * name stays `label`, which would otherwise hide the visible "Copied").
 */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setState('idle'), 2000);
  };
  return (
    <span className="copy-button">
      <button type="button" className="button button--small" aria-label={label} onClick={() => void copy()}>
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy' : 'Copy'}
      </button>
      <span className="visually-hidden" role="status" data-testid="copy-status">
        {STATUS_TEXT[state]}
      </span>
    </span>
  );
}
