/** Handlers of the `app` domain: who we are, the one audited way out (https links), file dialogs, page readiness. */
import { z } from 'zod';
import { parseExternalUrl } from '../../../core/external-url';
import { PATH_PURPOSES } from '../../contract/channels/app';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';

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
      canChoosePaths: services.chooser !== undefined,
    }),
  });

  router.handle('app:open-external', {
    args: z.object({ url: z.string().min(1).max(2048) }).strict(),
    run: async ({ url }) => {
      const parsed = parseExternalUrl(url);
      return { opened: await services.openExternal(parsed), url: parsed.href };
    },
  });

  // Hands back a path only: the file is read later by the handler it is typed into, under that
  // handler's rules (size bounds, regular files only), exactly as if the path had been typed.
  router.handle('app:choose-path', {
    args: z
      .object({
        purpose: z.enum(PATH_PURPOSES),
        suggestedName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'a plain file name').optional(),
      })
      .strict(),
    run: async (req) => {
      if (!services.chooser) return { supported: false as const };
      return { supported: true as const, path: await services.chooser(req) };
    },
  });

  // The transports open the calling page's held events when this succeeds (event-hub.ts).
  router.handle('app:ready', { args: z.undefined(), run: () => ({ ready: true as const }) });
}
