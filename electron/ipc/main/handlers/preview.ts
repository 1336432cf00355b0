/** Handlers of the `preview` domain: open (and watch) a listing, close it, verify one of its services. */
import { z } from 'zod';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';
import { absolutePath } from './schemas';

export function registerPreviewHandlers(router: IpcRouter, { preview }: AppServices): void {
  router.handle('preview:open', { args: z.object({ path: absolutePath }).strict(), run: (a) => preview.open(a.path) });
  router.handle('preview:close', { args: z.undefined(), run: () => preview.close() });
  router.handle('preview:verify', {
    args: z
      .object({ path: absolutePath, serviceIndex: z.number().int().min(0).max(10_000), devKeyPath: absolutePath.optional(), ociLayoutDir: absolutePath.optional() })
      .strict(),
    run: (a) => preview.verify(a),
  });
}
