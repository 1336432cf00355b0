import { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';
import { registerActivityHandlers } from './activity';
import { registerAppHandlers } from './app';
import { registerCellsHandlers } from './cells';
import { registerFleetHandlers } from './fleet';
import { registerInstallsHandlers } from './installs';
import { registerPreviewHandlers } from './preview';
import { registerStoreHandlers } from './store';
import { registerTrustHandlers } from './trust';
import { registerVerificationHandlers } from './verification';
import { registerVerifyImageHandler } from './verification-image';

/**
 * Registers every domain's handlers once; both transports dispatch into the returned router.
 * To add a domain: one `register<Domain>Handlers(router, services)` line here.
 */
export function createIpcRouter(services: AppServices): IpcRouter {
  const router = new IpcRouter();
  registerAppHandlers(router, services);
  registerTrustHandlers(router, services);
  registerStoreHandlers(router, services);
  registerVerificationHandlers(router, services);
  registerVerifyImageHandler(router, services);
  registerCellsHandlers(router, services);
  registerActivityHandlers(router, services);
  registerPreviewHandlers(router, services);
  registerInstallsHandlers(router, services);
  registerFleetHandlers(router, services);
  return router;
}
