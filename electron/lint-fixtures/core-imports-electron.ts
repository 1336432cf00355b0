// LINT FIXTURE (deliberately wrong): core importing electron. Never imported by the app;
// excluded from `npm run lint` and linted on purpose by boundaries.test.ts.
import { app } from 'electron';

export const appName = (): string => app.getName();
