// LINT FIXTURE (deliberately wrong): core importing the outer layer 'ipc'. Never imported by the
// app; excluded from `npm run lint` and linted on purpose by boundaries.test.ts.
import { IpcRouter } from '../ipc/main/router';

export const r = (): unknown => IpcRouter;
