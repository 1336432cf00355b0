/* The preview's card and page: the store's own components, fed this preview's verdict, so a developer sees what users will. */
import type { PreviewVerdict, StoreServiceView } from '../../../../electron/ipc/contract/channels';
import { ServiceCard } from '../../components/service-card';
import { ServicePage } from '../../components/service-page';

/** The card exactly as the store grid shows it, with this preview's badge. */
export function PreviewCard({ service, verdict }: { service: StoreServiceView; verdict: PreviewVerdict | null }) {
  return (
    <div className="preview-card" data-testid="preview-card">
      <ServiceCard service={service} badge={verdict?.report.reason ?? 'pending'} layout="grid" index={0} onOpen={() => undefined} />
    </div>
  );
}

/** The store's own ServicePage, fed this preview's verdict: what users will see, before publishing. */
export function PreviewPage({ service, verdict, busy, onReverify }: { service: StoreServiceView; verdict: PreviewVerdict | null; busy: boolean; onReverify: () => void }) {
  const v = verdict ? { serviceId: verdict.report.serviceId ?? service.id, report: verdict.report, explanation: verdict.explanation } : undefined;
  return (
    <div className="preview-page" data-testid="preview-page">
      <ServicePage service={service} verdict={v} busy={busy} onReverify={onReverify} />
    </div>
  );
}
