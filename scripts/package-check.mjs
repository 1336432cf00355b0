#!/usr/bin/env node
// `npm run package:check [-- --key repo|generated|none] [--out DIR] [--json]`: packages the app
// with a stub Electron dist and checks the layout (see scripts/package/layout-check.mjs).
// --key repo (default) uses config/cosign as it is, so it refuses exactly as a release would when
// no store key is installed; --key generated stages a throwaway public key instead.
import { parseArgs } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPackagedLayout } from './package/layout-check.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { key: { type: 'string', default: 'repo' }, out: { type: 'string' }, json: { type: 'boolean' } },
});
if (!['repo', 'generated', 'none'].includes(values.key)) {
  console.error('package-check: --key must be repo, generated or none');
  process.exit(2);
}
const t0 = performance.now();
const report = await checkPackagedLayout(repo, { keyMode: values.key, outDir: values.out ? resolve(values.out) : undefined });
report.seconds = Number(((performance.now() - t0) / 1000).toFixed(2));
if (values.json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else if (report.ok) {
  console.log(`package layout OK in ${report.seconds}s: app.asar (${report.asarEntries.length} entries), config keys ${report.keys.join(', ')}, fuses ${JSON.stringify(report.fuses)}`);
} else {
  console.error(`package layout check FAILED:\n  ${report.problems.join('\n  ')}`);
  if (!report.refused && report.output) console.error(report.output);
}
process.exitCode = report.ok ? 0 : 1;
