// The `pic-store` executable (dist/cli/pic-store.cjs). The CLI is started once per command by
// scripts and CI, and compiling its ~1 MB bundle is most of its start-up (≈ 30 ms of ≈ 80 ms).
// So the bundle is loaded with the V8 code cache that the build writes beside it; a cache made
// by another Node version is rejected by V8 and the bundle is simply compiled as usual.
import { existsSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';

const MAIN = join(__dirname, 'pic-store-main.cjs');

function loadMain(): { main(): void } {
  const cache = `${MAIN}.v8cache`;
  const script = new Script(Module.wrap(readFileSync(MAIN, 'utf8')), {
    filename: MAIN,
    cachedData: existsSync(cache) ? readFileSync(cache) : undefined,
  });
  const mod = { exports: {} as { main(): void } };
  const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  wrapper(mod.exports, Module.createRequire(MAIN), mod, MAIN, __dirname);
  return mod.exports;
}

loadMain().main();
