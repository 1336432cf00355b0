/**
 * Argument schemas shared by every domain's handlers, so one id has one rule everywhere: a cell
 * profile id, a listed service id (or `#N` for a listing without a valid id), a store id (its URL,
 * or `demo`), an absolute path typed or chosen by the person, an install session id.
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';

export const cellId = z.string().min(1).max(64);
export const serviceId = z.string().min(1).max(200);
export const storeId = z.string().min(1).max(4096);
export const sessionId = z.string().uuid();
export const absolutePath = z.string().min(1).max(4096).refine((p) => isAbsolute(p) && !p.includes('\0'), 'must be an absolute path');
/** An entry's position in a store's services: the per-entry key (DESIGN 2.1: each index entry is judged on its own, ids can repeat). */
export const entryIndex = z.number().int().min(0).max(1_000_000).optional();
