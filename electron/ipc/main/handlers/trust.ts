/** Handlers of the `trust` domain: read-only by design (no channel adds or weakens a key). */
import { z } from 'zod';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';

export function registerTrustHandlers(router: IpcRouter, { core }: AppServices): void {
  router.handle('trust:get', { args: z.undefined(), run: () => core.trustStatus() });
}
