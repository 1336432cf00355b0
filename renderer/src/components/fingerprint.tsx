/*
 * A value people paste into tickets and terminals — a key fingerprint, a digest, an image
 * reference — shown whole (selectable at once) with its copy button.
 */
import { CopyButton } from './copy-button';

export function Fingerprint({ value, label, testId, as: Tag = 'span', className = 'copyable' }: {
  value: string;
  /** The copy button's accessible name, e.g. "Copy cell key fingerprint". */
  label: string;
  testId?: string;
  /** The wrapping element, so the pair can be a definition (`dd`) or a row of its own (`div`). */
  as?: 'span' | 'div' | 'dd';
  /** The wrapper's layout class where it differs from the default. */
  className?: string;
}) {
  return (
    <Tag className={className}>
      <code className="fingerprint" data-testid={testId}>
        {value}
      </code>
      <CopyButton value={value} label={label} />
    </Tag>
  );
}
