import { z } from 'zod';
import { fetchIconAsDataUrl } from '../../../core/store/icon-fetch';
import { addStore, removeStore } from '../../../core/store/stores-config';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';
import { storeRuntimeFor } from '../services/store-runtime';

/** Handlers of the `store` domain: stores.json, index loading (main only), remote icons. */
export function registerStoreHandlers(router: IpcRouter, services: AppServices): void {
  const runtime = storeRuntimeFor(services, { dataDir: services.dataDir, appConfigDir: services.appConfigDir });
  const icons = new Map<string, Promise<string>>();

  router.handle('store:list', { args: z.undefined(), run: () => runtime.list() });

  router.handle('store:add', {
    args: z.object({ location: z.string().min(1).max(4096), name: z.string().max(120).optional() }).strict(),
    run: async (a) => {
      await addStore(services.dataDir, a);
      return runtime.list();
    },
  });

  router.handle('store:remove', {
    args: z.object({ url: z.string().min(1).max(4096) }).strict(),
    run: async ({ url }) => {
      await removeStore(services.dataDir, url);
      return runtime.list();
    },
  });

  router.handle('store:load', {
    args: z.object({ storeId: z.string().min(1).max(4096) }).strict(),
    run: ({ storeId }) => runtime.load(storeId),
  });

  router.handle('store:icon', {
    args: z.object({ url: z.string().min(1).max(2048) }).strict(),
    run: async ({ url }) => {
      // One fetch per icon URL per process; a failed fetch is retried on the next request.
      let p = icons.get(url);
      if (!p) {
        p = fetchIconAsDataUrl(url);
        icons.set(url, p);
        p.catch(() => icons.delete(url));
      }
      return { dataUrl: await p };
    },
  });
}
