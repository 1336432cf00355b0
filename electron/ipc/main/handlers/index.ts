/**
 * Registers every domain's handlers, once; both transports dispatch into the same router.
 * To add a domain: one `register<Domain>Handlers(router, services)` line here.
 */
import type { IpcRouter } from '../router';
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

export function registerHandlers(router: IpcRouter, services: AppServices): IpcRouter {
  registerAppHandlers(router, services);
  registerTrustHandlers(router, services);
  registerStoreHandlers(router, services);
  registerVerificationHandlers(router, services);
  registerCellsHandlers(router, services);
  registerActivityHandlers(router, services);
  registerPreviewHandlers(router, services);
  registerInstallsHandlers(router, services);
  registerFleetHandlers(router, services);
  return router;
}
