// A recording stand-in for the `electron` module, for unit tests of the Electron glue (the
// binary cannot run here, DESIGN 3.2). Tests `vi.mock('electron', () => import(this file))`.
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, l: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), l]);
    return this;
  }
  once(event: string, l: Listener): this {
    return this.on(event, l);
  }
  emit(event: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(event) ?? []).map((l) => l(...args));
  }
}

export class FakeWebContents extends FakeEmitter {
  private static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  mainFrame = { url: '' };
  url = '';
  sent: [string, unknown][] = [];
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h;
  }
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return false;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  closeDevTools = vi.fn();
}

export const app = Object.assign(new FakeEmitter(), {
  requestSingleInstanceLock: vi.fn(() => true),
  quit: vi.fn(),
  /** Becomes true when whenReady's promise resolves, as Electron's ready does. */
  ready: false,
  whenReady: vi.fn(() =>
    Promise.resolve().then(() => {
      app.ready = true;
    }),
  ),
  isPackaged: false,
});

export const shell = { openExternal: vi.fn(async () => undefined) };

export const session = {
  defaultSession: {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
  },
};

export const ipcMain = {
  handlers: new Map<string, Listener>(),
  handle: vi.fn((channel: string, h: Listener) => void ipcMain.handlers.set(channel, h)),
  removeHandler: vi.fn((channel: string) => void ipcMain.handlers.delete(channel)),
};

export const allWebContents: FakeWebContents[] = [];
export const webContents = { getAllWebContents: () => allWebContents };

export class BrowserWindow extends FakeEmitter {
  static created: BrowserWindow[] = [];
  static getAllWindows = (): BrowserWindow[] => BrowserWindow.created;
  readonly loaded: string[] = [];
  readonly webContents = new FakeWebContents();
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
  }
  loadFile(path: string): Promise<void> {
    this.loaded.push(`loadFile:${path}`);
    return Promise.resolve();
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  show = vi.fn();
  focus = vi.fn();
  restore = vi.fn();
  isMinimized = (): boolean => false;
  isDestroyed = (): boolean => false;
}

/** Custom protocols: privileged schemes (only before ready) and their handlers. */
export const protocol = {
  privileged: [] as { scheme: string; privileges: Record<string, boolean> }[],
  handlers: new Map<string, (request: Request) => Promise<Response>>(),
  registerSchemesAsPrivileged: vi.fn((schemes: { scheme: string; privileges: Record<string, boolean> }[]) => {
    if (app.ready) throw new Error('registerSchemesAsPrivileged must be called before the app is ready');
    protocol.privileged.push(...schemes);
  }),
  handle: vi.fn((scheme: string, handler: (request: Request) => Promise<Response>) => {
    if (!app.ready) throw new Error('protocol.handle must be called after the app is ready');
    protocol.handlers.set(scheme, handler);
  }),
};

export const Menu = {
  template: null as unknown,
  buildFromTemplate: vi.fn((t: unknown) => ({ template: t })),
  setApplicationMenu: vi.fn((m: { template: unknown }) => {
    Menu.template = m.template;
  }),
};

/** File dialogs: cancelled unless a test says otherwise. */
export const dialog = {
  showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
  showSaveDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePath: '' })),
};

/** The preload's dropped-file lookup: a fake File carrying `fakePath` has one. */
export const webUtils = {
  getPathForFile: vi.fn((file: { fakePath?: string }) => {
    if (typeof file !== 'object' || file === null) throw new TypeError('not a File');
    return file.fakePath ?? '';
  }),
};

export const contextBridge = { exposeInMainWorld: vi.fn() };
export const ipcRenderer = new (class extends FakeEmitter {
  invoke = vi.fn(async (_channel: string, _arg: unknown) => ({ ok: true, data: null }));
  removeListener = vi.fn((event: string, l: Listener) => {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((x) => x !== l));
  });
})();

/** The same recorder under a name tests may use (lint reserves `ipcMain` for the transport). */
export const ipcMainFake = ipcMain;

/** Records every notification shown (`Notification.shown`), as the system would display them. */
export class Notification {
  static shown: { title: string; body: string }[] = [];
  static isSupported = vi.fn(() => true);
  constructor(private readonly opts: { title: string; body: string }) {}
  show(): void {
    Notification.shown.push(this.opts);
  }
}
