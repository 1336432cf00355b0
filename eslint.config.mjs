// Lint enforces the architecture's boundaries (DESIGN 3.3): core never imports electron;
// the renderer never imports Node built-ins or core; only the typed IPC wrappers touch
// ipcMain / ipcRenderer. electron/lint-fixtures/boundaries.test.ts proves the rules bite.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'child_process', 'os', 'crypto', 'net', 'http', 'https', 'tls', 'url', 'util', 'stream', 'events', 'worker_threads', 'zlib'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.testbed-cache/**', '.tmp/**', 'config/demo-store/**'] },
  // Lint fixtures break the boundaries on purpose; electron/lint-fixtures/boundaries.test.ts lints
  // them with `ignore: false` to prove the rules below bite.
  { ignores: ['electron/lint-fixtures/*-*.ts', '!electron/lint-fixtures/*.test.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['electron/core/**', 'electron/lint-fixtures/core-*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'electron/core is pure Node: it never imports electron (DESIGN 3.3).' }],
        patterns: [{ group: ['**/ipc/**', '**/main/**', '**/preload/**', '**/shell/**', '**/cli/**', '**/renderer/**'], message: 'core does not depend on outer layers (ipc, main, preload, shell, cli, renderer).' }],
      }],
    },
  },
  {
    files: ['renderer/**', 'electron/lint-fixtures/renderer-*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer talks only to the preload API.' }],
        patterns: [
          { group: nodeBuiltins, message: 'The renderer never imports Node built-ins (DESIGN 3.3).' },
          { group: ['**/electron/core/**', '**/electron/main/**', '**/electron/shell/**', '**/electron/cli/**', '**/electron/preload/**'], message: 'The renderer never imports core or main; only the IPC contract (electron/ipc/contract).' },
          { group: ['**/ipc/**', '!**/ipc/contract', '!**/ipc/contract/**'], message: 'The renderer may import only the renderer-safe IPC contract (electron/ipc/contract), never the main-side router, handlers or services.' },
        ],
      }],
    },
  },
  {
    // Only the typed IPC wrappers may touch ipcMain / ipcRenderer.
    files: ['electron/**'],
    ignores: ['electron/preload/**', 'electron/main/ipc-main-transport.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "ImportSpecifier[imported.name='ipcMain']", message: 'Only electron/main/ipc-main-transport.ts touches ipcMain.' },
        { selector: "ImportSpecifier[imported.name='ipcRenderer']", message: 'Only the preload touches ipcRenderer.' },
        { selector: "MemberExpression[property.name='ipcMain']", message: 'Only electron/main/ipc-main-transport.ts touches ipcMain.' },
        { selector: "MemberExpression[property.name='ipcRenderer']", message: 'Only the preload touches ipcRenderer.' },
        { selector: "ObjectPattern > Property[key.name='ipcMain']", message: 'Only electron/main/ipc-main-transport.ts touches ipcMain.' },
        { selector: "ObjectPattern > Property[key.name='ipcRenderer']", message: 'Only the preload touches ipcRenderer.' },
      ],
    },
  },
);
