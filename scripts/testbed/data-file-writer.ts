/**
 * A separate process writing the data directory, for the tests that race several real processes
 * against one stores.json / cells.json (DESIGN 2.6: two writers never lose each other's change).
 * Bundled by the test with esbuild and started several times:
 *
 *   node writer.cjs DATA_DIR GO_FILE stores|cells NAME...
 *
 * It prints "ready", waits (bounded) for GO_FILE so every process starts writing at once, adds
 * one store or cell per NAME, and prints one JSON line: { ok: [names], refused: { name: code } }.
 */
import { existsSync } from 'node:fs';
import { addCellProfile } from '../../electron/core/cell/profiles';
import { addStore } from '../../electron/core/store/stores-config';

async function main(): Promise<void> {
  const [dataDir, goFile, kind, ...names] = process.argv.slice(2);
  if (!dataDir || !goFile || (kind !== 'stores' && kind !== 'cells')) throw new Error('usage: DATA_DIR GO_FILE stores|cells NAME...');
  process.stdout.write('ready\n');
  for (let i = 0; i < 2000 && !existsSync(goFile); i++) await new Promise((r) => setTimeout(r, 5));
  const ok: string[] = [];
  const refused: Record<string, string> = {};
  await Promise.all(
    names.map(async (name) => {
      try {
        if (kind === 'stores') await addStore(dataDir, { location: `https://${name}.example/index.json`, name });
        else await addCellProfile(dataDir, { name, destination: `admin@${name}` });
        ok.push(name);
      } catch (e) {
        refused[name] = (e as { code?: string }).code ?? String(e);
      }
    }),
  );
  process.stdout.write(`${JSON.stringify({ ok, refused })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(3);
});
