// electron-builder `beforeBuild` hook. Resolving to false tells electron-builder that
// node_modules are handled outside it: main, preload, shell and CLI are esbuild bundles and the
// renderer a Vite build, so the package ships no node_modules at all (and nothing is installed
// or rebuilt — packaging needs no network).
'use strict';
module.exports = async function bundledDependencies() {
  return false;
};
module.exports.default = module.exports;
