// Verification for the listing preview: always against the app's trust root (what badges and
// default cells will say), from a registry or a local OCI layout; and, only for the developer's
// information, against a public key they point at. That key is read for this one check and is
// never added to the trust root.
import { explainReport, type Explanation } from '../catalogue/reason-catalogue';
import { openImageSources } from '../core-services';
import { loadKeyFile, type TrustRoot } from '../trust/trust-root';
import { verifyImage } from '../verification/verify-image';
import type { VerificationReport } from '../verification/types';
import { modeTable, type ModeRow } from './mode-table';
import { manifestInvalidReport } from '../verification/verify-store';
import type { PreviewService } from './read-listing';

interface PreviewVerifyInput {
  image: string;
  serviceId?: string;
  trustRoot: TrustRoot;
  /** Read images from this OCI layout instead of a registry. */
  ociLayoutDir?: string | null;
  /** The developer's own public key file, tried separately. */
  devKeyPath?: string | null;
  timeoutMs?: number;
  /** Registries the admin lets be reached over plain http (stores.json); loopback always is. */
  plainHttpRegistries?: readonly string[];
}

export interface DevKeyVerdict {
  path: string;
  fingerprint: string | null;
  report: VerificationReport | null;
  explanation: Explanation | null;
  /** Why the key could not be used. */
  problem: string | null;
}

export interface PreviewVerdict {
  report: VerificationReport;
  explanation: Explanation;
  modes: ModeRow[];
  source: 'registry' | 'oci-layout';
  devKey: DevKeyVerdict | null;
}

export async function verifyForPreview(input: PreviewVerifyInput): Promise<PreviewVerdict> {
  const sources = openImageSources({ ociLayoutDir: input.ociLayoutDir, timeoutMs: input.timeoutMs, plainHttpRegistries: input.plainHttpRegistries ?? [] });
  try {
    const report = await verifyImage({ image: input.image, serviceId: input.serviceId, trustRoot: input.trustRoot, sources: sources.provider });
    let devKey: DevKeyVerdict | null = null;
    if (input.devKeyPath) {
      const loaded = await loadKeyFile(input.devKeyPath, 'command-line');
      if ('message' in loaded) {
        devKey = { path: input.devKeyPath, fingerprint: null, report: null, explanation: null, problem: loaded.message };
      } else {
        const r = await verifyImage({ image: input.image, serviceId: input.serviceId, trustRoot: { keys: [loaded], problems: [] }, sources: sources.provider });
        devKey = { path: input.devKeyPath, fingerprint: loaded.fingerprint, report: r, explanation: explainReport(r), problem: null };
      }
    }
    return { report, explanation: explainReport(report), modes: modeTable(report), source: input.ociLayoutDir ? 'oci-layout' : 'registry', devKey };
  } finally {
    sources.close();
  }
}

/**
 * The verdict of a listing that fails the schema: MANIFEST_INVALID, nothing about the image
 * checked, and every mode says it cannot be installed — the same report a store gives it.
 */
export function invalidListingVerdict(service: PreviewService, trustRoot: TrustRoot): PreviewVerdict {
  const report = manifestInvalidReport({ index: service.index, id: service.id, manifest: null, raw: service.partial, errors: service.errors }, trustRoot);
  return { report, explanation: explainReport(report), modes: modeTable(report), source: 'registry', devKey: null };
}
