import { z } from 'zod';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';

/** Handlers of the `trust` domain: read-only by design (no channel adds or weakens a key). */
export function registerTrustHandlers(router: IpcRouter, services: AppServices): void {
  router.handle('trust:get', {
    args: z.undefined(),
    run: () => services.trust.status(),
  });
}
