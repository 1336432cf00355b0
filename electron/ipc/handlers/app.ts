import { z } from 'zod';
import { parseExternalUrl } from '../../core/external-url';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services';

/** Handlers of the `app` domain. */
export function registerAppHandlers(router: IpcRouter, services: AppServices): void {
  router.handle('app:info', {
    args: z.undefined(),
    run: () => ({
      name: services.app.name,
      version: services.app.version,
      dataDir: services.dataDir,
      appConfigDir: services.appConfigDir,
      transport: services.app.transport,
      platform: services.app.platform,
    }),
  });

  router.handle('app:open-external', {
    args: z.object({ url: z.string().min(1).max(2048) }).strict(),
    run: async ({ url }) => {
      const parsed = parseExternalUrl(url);
      return { opened: await services.openExternal(parsed), url: parsed.href };
    },
  });
}
