// electron-builder `beforePack` hook: release packaging refuses to build without the store's
// publish key in config/cosign/ (DESIGN 2.3: an app without it verifies nothing from a store),
// and refuses to ship anything under config/ that looks like a private key.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder loads hooks as CommonJS */
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { createPublicKey } = require('node:crypto');
const { join, relative } = require('node:path');

const PRIVATE_KEY_MARK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** Usable public keys in config/cosign/*.pub; throws with a clear message when there are none. */
function checkStoreKey(projectDir) {
  const configDir = join(projectDir, 'config');
  const cosignDir = join(configDir, 'cosign');
  const refusePrivate = findPrivateKeys(configDir, projectDir);
  if (refusePrivate.length > 0) {
    throw new Error(`Refusing to package: ${refusePrivate.join(', ')} looks like a private key. Cells and the app hold public keys only; remove it.`);
  }
  let names = [];
  try {
    names = readdirSync(cosignDir).filter((n) => n.endsWith('.pub')).sort();
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  const usable = [];
  const problems = [];
  for (const name of names) {
    const file = join(cosignDir, name);
    try {
      createPublicKey({ key: readFileSync(file, 'utf8'), format: 'pem' });
      usable.push(file);
    } catch (e) {
      problems.push(`${name}: ${e.message}`);
    }
  }
  if (usable.length === 0) {
    throw new Error(
      'Refusing to package: config/cosign/ holds no store publish key (*.pub). ' +
        'Place the PIC store\'s cosign public key there (see config/cosign/README.md); ' +
        'a release without it would verify nothing from the store.' +
        (problems.length ? ` Unusable key files: ${problems.join('; ')}` : ''),
    );
  }
  return usable;
}

function findPrivateKeys(dir, projectDir, found = [], depth = 0) {
  if (depth > 8) return found;
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if (e.code === 'ENOENT') return found;
    throw e;
  }
  for (const ent of entries) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) findPrivateKeys(p, projectDir, found, depth + 1);
    else if (ent.isFile() && statSync(p).size <= 1024 * 1024) {
      if (PRIVATE_KEY_MARK.test(readFileSync(p, 'utf8'))) found.push(relative(projectDir, p));
    }
  }
  return found;
}

module.exports = async function requireStoreKey(context) {
  const keys = checkStoreKey(context.packager.info.projectDir);
  console.log(`  • store publish key(s): ${keys.map((k) => relative(context.packager.info.projectDir, k)).join(', ')}`);
};
module.exports.default = module.exports;
module.exports.checkStoreKey = checkStoreKey;
