// LINT FIXTURE (deliberately wrong): the renderer importing core (verdicts are made in main).
import { resolveDataDir } from '../../electron/core/data-dir';

export const where = (): string => resolveDataDir({});
