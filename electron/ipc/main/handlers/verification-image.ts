import { z } from 'zod';
import { explainReport } from '../../../core/catalogue/reason-catalogue';
import { trustRootForStore } from '../../../core/verification/store-trust';
import { verifyImage } from '../../../core/verification/verify-image';
import { readPlainHttpRegistries } from '../../../core/store/stores-config';
import { storeSources } from '../../../core/verification/verify-store';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';

/**
 * `verification:verify-image`: one image reference verified fresh (no badge cache) against the
 * app's trust root — bundled + local keys, never a demo key, since no store listing is involved.
 * The Cells view asks it for the current badge of what a cell runs (its receipt's image@digest).
 */
export function registerVerifyImageHandler(router: IpcRouter, services: AppServices): void {
  router.handle('verification:verify-image', {
    args: z.object({ image: z.string().min(1).max(4096), serviceId: z.string().min(1).max(80).optional() }).strict(),
    run: async ({ image, serviceId }) => {
      const trustRoot = await trustRootForStore({ isDemo: false, appConfigDir: services.appConfigDir, dataDir: services.dataDir });
      const sources = storeSources({ ociLayoutDir: null }, { timeoutMs: 15_000, insecureHosts: await readPlainHttpRegistries(services.dataDir).catch(() => []) });
      try {
        const report = await verifyImage({ image, ...(serviceId ? { serviceId } : {}), trustRoot, sources: sources.provider });
        return { serviceId: serviceId ?? '', index: null, report, explanation: explainReport(report) };
      } finally {
        sources.close();
      }
    },
  });
}
