/** The desktop shell's entry: wiring only. Everything with logic lives in its own file. */
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, protocol, session, shell } from 'electron';
import { MENU_COMMAND_CHANNEL } from '../../shared/ipc';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
} from './app-protocol';
import { createDesktopDeps } from './desktop-deps';
import { createIpcHandlers } from './ipc/handlers';
import { registerIpcHandlers } from './ipc/register';
import { isTrustedSender, senderFacts } from './ipc/sender';
import { buildMenuTemplate } from './menu';
import { applySessionSecurity, contentSecurityPolicy, guardAllWebContents } from './security';
import { createMainWindow } from './window';

const APP_NAME = 'KAT Chart';
// electron-vite sets the dev server URL; a packaged app never trusts it.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : APP_ORIGIN;
const csp = contentSecurityPolicy(
  devServerUrl
    ? { devServerOrigin: appOrigin, devNonce: process.env.KAT_DEV_CSP_NONCE }
    : undefined,
);

app.setName(APP_NAME);
// Clinic data lives in the user's own app-data folder (IndexedDB, keychain entries, settings).
app.setPath('userData', join(app.getPath('appData'), APP_NAME));
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  // Two windows on one database would race each other's writes: hand over to the first one.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  guardAllWebContents(app, { appOrigin, openExternal: (url) => void shell.openExternal(url) });
  app.on('window-all-closed', () => app.quit());
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  const deps = createDesktopDeps({ userData: app.getPath('userData') }, () => mainWindow);
  await deps.printFolder.sweep();
  app.on('will-quit', () => void deps.printFolder.sweep());

  applySessionSecurity(session.defaultSession, { appOrigin, csp });
  const rendererRoot = join(import.meta.dirname, '../renderer');
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererRoot, csp }));

  registerIpcHandlers({
    ipcMain,
    handlers: createIpcHandlers(deps),
    isTrusted: (event) =>
      isTrustedSender(senderFacts(event), {
        appOrigin,
        trustedWebContentsIds: () => (mainWindow ? [mainWindow.webContents.id] : []),
      }),
    log: (message, error) => console.error(`[ipc] ${message}`, error ?? ''),
  });

  const menu = buildMenuTemplate({
    appName: APP_NAME,
    isMac: process.platform === 'darwin',
    isDev: Boolean(devServerUrl),
    send: (command) => mainWindow?.webContents.send(MENU_COMMAND_CHANNEL, command),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menu));
  app.setAboutPanelOptions({ applicationName: APP_NAME, applicationVersion: app.getVersion() });

  mainWindow = createMainWindow({
    title: APP_NAME,
    preload: join(import.meta.dirname, '../preload/index.cjs'),
    entryUrl: devServerUrl ?? APP_ENTRY_URL,
  });
  mainWindow.on('closed', () => (mainWindow = null));
}
