// LINT FIXTURE (deliberately wrong): core importing the outer layer 'cli'. Never imported by the
// app; excluded from `npm run lint` and linted on purpose by boundaries.test.ts.
import { cliContextFromEnv } from '../cli/context';

export const c = (): unknown => cliContextFromEnv;
