// LINT FIXTURE (deliberately wrong): the renderer importing a Node built-in.
import { readFileSync } from 'node:fs';

export const load = (p: string): string => readFileSync(p, 'utf8');
