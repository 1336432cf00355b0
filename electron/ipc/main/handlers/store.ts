/** Handlers of the `store` domain: stores.json, index loading and refresh (main only), remote icons. */
import { z } from 'zod';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';
import { storeId } from './schemas';

export function registerStoreHandlers(router: IpcRouter, { stores, icons }: AppServices): void {
  router.handle('store:list', { args: z.undefined(), run: () => stores.list() });
  const rootPath = z.string().max(4096).optional();
  router.handle('store:check', {
    args: z.object({ location: z.string().min(1).max(4096), rootPath }).strict(),
    run: (a) => stores.check(a),
  });
  router.handle('store:add', {
    args: z.object({ location: z.string().min(1).max(4096), name: z.string().max(120).optional(), rootPath }).strict(),
    run: (a) => stores.add(a),
  });
  router.handle('store:remove', { args: z.object({ url: z.string().min(1).max(4096) }).strict(), run: ({ url }) => stores.remove(url) });
  router.handle('store:load', { args: z.object({ storeId }).strict(), run: (a) => stores.load(a.storeId) });
  router.handle('store:refresh', { args: z.object({ storeId }).strict(), run: (a) => stores.refresh(a.storeId) });
  router.handle('store:icon', { args: z.object({ url: z.string().min(1).max(2048) }).strict(), run: ({ url }) => icons.dataUrl(url) });
  router.handle('store:screenshot', { args: z.object({ url: z.string().min(1).max(2048) }).strict(), run: ({ url }) => icons.dataUrl(url, 'screenshot') });
}
