// LINT FIXTURE (deliberately wrong): the renderer reaching the main-side part of the IPC layer
// (router, handlers, services) instead of only the renderer-safe contract.
import { IpcRouter } from '../ipc/main/router';

export const makeRouter = (): IpcRouter => new IpcRouter();
