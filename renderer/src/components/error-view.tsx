/*
 * The one error presenter: every error the renderer shows — an IPC error from a slice, or one a
 * receipt recorded — goes through here, so what failed (the stable code) and why read the same
 * everywhere. The variants only fit the error to where it stands:
 * - `block` (default): a titled panel with the message, the code and an optional retry;
 * - `line`: a one-line refusal under the form that was refused;
 * - `inline`: "title: message" as text, inside a cell of a table or a badge's place.
 */
import type { Receipt } from '../../../electron/ipc/contract/channels';
import type { IpcError } from '../../../electron/ipc/contract/domain';

/** An IPC error, or one a receipt recorded (written by any version, so its code is any string). */
type ShownError = IpcError | NonNullable<Receipt['error']>;

export function ErrorView({ error, title, onRetry, variant = 'block' }: {
  error: ShownError;
  title?: string;
  onRetry?: () => void;
  variant?: 'block' | 'line' | 'inline';
}) {
  if (variant === 'line') {
    return (
      <p className="callout callout--danger" role="alert">
        {error.message}
      </p>
    );
  }
  if (variant === 'inline') {
    return (
      <>
        {title ?? 'failed'}: {error.message}
      </>
    );
  }
  return (
    <div className="error-view" role="alert">
      <p className="error-view__title">{title ?? 'Something went wrong'}</p>
      <p className="error-view__message">{error.message}</p>
      <p className="error-view__code">
        Code: <code>{error.code}</code>
      </p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
