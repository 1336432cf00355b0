import { app } from 'electron';
import { join } from 'node:path';
import { startElectronApp } from './lifecycle';

// Entry of dist/main/main.cjs. A packaged app ships config/ as extra resources.
startElectronApp({
  mainDir: __dirname,
  appConfigDir: app.isPackaged ? join(process.resourcesPath, 'config') : undefined,
});
