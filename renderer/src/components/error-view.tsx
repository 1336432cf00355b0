import type { IpcError } from '../../../electron/ipc/contract/domain';

/** The one error presenter: what failed (the stable code) and why, with an optional retry. */
export function ErrorView({ error, title, onRetry }: { error: IpcError; title?: string; onRetry?: () => void }) {
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
