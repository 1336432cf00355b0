/* The preview's card and page: the store's own components, fed this preview's verdict, so a developer sees what users will. */
import type { PreviewServiceView, PreviewVerdict, StoreServiceView } from '../../../../electron/ipc/contract/channels';
import { ServiceCard } from '../../components/service-card';
import { ServicePage } from '../../components/service-page';

/**
 * What can be drawn of a previewed service: its manifest, or for an invalid listing the fields
 * that pass their own rules, with the listing's id standing in for a missing name. Display only:
 * its verdict stays MANIFEST_INVALID and nothing installs it.
 */
export function drawable(service: PreviewServiceView): StoreServiceView {
  if (service.manifest || !service.partial) return service;
  const p = service.partial;
  return { ...service, manifest: { ...p, id: p.id ?? service.id, name: p.name ?? service.id, version: p.version ?? '?', image: p.image ?? '' } };
}

/** The card exactly as the store grid shows it, with this preview's badge. */
export function PreviewCard({ service, verdict }: { service: StoreServiceView; verdict: PreviewVerdict | null }) {
  return (
    <div className="preview-card" data-testid="preview-card">
      <ServiceCard service={service} badge={verdict?.report.reason ?? 'pending'} layout="grid" index={0} onOpen={() => undefined} />
    </div>
  );
}

/** The store's own ServicePage, fed this preview's verdict: what users will see, before publishing. */
export function PreviewPage({ service, verdict, busy, onReverify, fieldErrors }: { service: StoreServiceView; verdict: PreviewVerdict | null; busy: boolean; onReverify: () => void; fieldErrors: PreviewServiceView['errors'] }) {
  const v = verdict ? { serviceId: verdict.report.serviceId ?? service.id, report: verdict.report, explanation: verdict.explanation } : undefined;
  return (
    <div className="preview-page" data-testid="preview-page">
      <ServicePage service={service} verdict={v} busy={busy} onReverify={onReverify} fieldErrors={fieldErrors} />
    </div>
  );
}
