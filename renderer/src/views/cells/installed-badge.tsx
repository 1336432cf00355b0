/*
 * The CURRENT badge of what a cell runs: main verifies the installed image@digest afresh against
 * today's trust root (a key rotated or revoked since the install shows here), the store's Badge.
 */
import { useEffect } from 'react';
import type { InstalledService } from '../../../../electron/ipc/contract/channels';
import { Badge } from '../../components/badge';
import { ErrorView } from '../../components/error-view';
import { installedKey, useVerificationSlice } from '../../state/verification-slice';

export function InstalledBadge({ service, checkedAt }: { service: Pick<InstalledService, 'id' | 'reference'>; checkedAt: string }) {
  const reference = service.reference;
  const current = useVerificationSlice((s) => (reference ? s.installed[installedKey(reference, service.id)] : undefined));
  const verifyInstalled = useVerificationSlice((s) => s.verifyInstalled);
  useEffect(() => {
    if (reference) void verifyInstalled(reference, service.id);
    // checkedAt: a refreshed status re-verifies too.
  }, [reference, service.id, checkedAt, verifyInstalled]);
  if (!reference) {
    return (
      <span className="muted" data-testid="installed-badge" data-verification="unknown">
        cannot check: the receipt records no pinned image
      </span>
    );
  }
  if (current?.error) {
    return (
      <span className="muted" data-testid="installed-badge" data-verification="error" title={current.error.message}>
        <ErrorView error={current.error} title="could not verify" variant="inline" />
      </span>
    );
  }
  const verdict = current?.result;
  const code = verdict ? verdict.report.reason : 'pending';
  return (
    <span data-testid="installed-badge" data-verification={code} title={verdict ? verdict.explanation.sentence : 'Verifying what this cell runs'}>
      <Badge code={code} />
    </span>
  );
}
