// LINT FIXTURE (deliberately wrong): core importing the outer layer 'shell'. Never imported by the
// app; excluded from `npm run lint` and linted on purpose by boundaries.test.ts.
import { startShellServer } from '../shell/shell-server';

export const s = (): unknown => startShellServer;
