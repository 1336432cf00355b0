import { useEffect, useState } from 'react';
import type { InstalledService } from '../../../../electron/ipc/contract/channels';
import { api } from '../../api/api';
import { Badge } from '../../components/badge';

type Current = { state: 'pending' } | { state: 'done'; reason: Parameters<typeof Badge>[0]['code']; sentence: string } | { state: 'error'; message: string };

/**
 * The CURRENT badge of what a cell runs: main verifies the installed image@digest afresh against
 * today's trust root (a key rotated or revoked since the install shows here), the store's Badge.
 */
export function InstalledBadge({ service, checkedAt }: { service: InstalledService; checkedAt: string }) {
  const [current, setCurrent] = useState<Current>({ state: 'pending' });
  const reference = service.reference;
  useEffect(() => {
    if (!reference) return;
    let live = true;
    setCurrent({ state: 'pending' });
    void api()
      .verification.verifyImage({ image: reference, serviceId: service.id })
      .then((r) => {
        if (!live) return;
        setCurrent(r.ok ? { state: 'done', reason: r.data.report.reason, sentence: r.data.explanation.sentence } : { state: 'error', message: r.error.message });
      });
    return () => {
      live = false;
    };
    // checkedAt: a refreshed status re-verifies too.
  }, [reference, service.id, checkedAt]);
  if (!reference) {
    return (
      <span className="muted" data-testid="installed-badge" data-verification="unknown">
        cannot check: the receipt records no pinned image
      </span>
    );
  }
  if (current.state === 'error') {
    return (
      <span className="muted" data-testid="installed-badge" data-verification="error" title={current.message}>
        could not verify: {current.message}
      </span>
    );
  }
  const code = current.state === 'done' ? current.reason : 'pending';
  return (
    <span data-testid="installed-badge" data-verification={code} title={current.state === 'done' ? current.sentence : 'Verifying what this cell runs'}>
      <Badge code={code} />
    </span>
  );
}
