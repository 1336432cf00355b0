// LINT FIXTURE (clean): what core may do — Node built-ins and other core modules.
import { readFile } from 'node:fs/promises';
import { CoreError } from '../core/errors';

export async function readSomething(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new CoreError('READ_FAILED', String(e));
  }
}
