// LINT FIXTURE (deliberately wrong): core importing the outer layer 'main'. Never imported by the
// app; excluded from `npm run lint` and linted on purpose by boundaries.test.ts.
import { startElectronApp } from '../main/lifecycle';

export const m = (): unknown => startElectronApp;
