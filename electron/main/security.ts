/**
 * The shell's security defaults, applied before the first window and never relaxed for tests
 * (STYLE.md §4). The settings are exported as constants so a unit test can hold them to the
 * checklist; the functions take the Electron objects as parameters so this file never loads
 * Electron itself.
 */
import type { App, Session, WebContents, WebPreferences } from 'electron';
import { ExternalUrl } from '../../shared/ipc';
import { isAppUrl } from './ipc/sender';

/** The app window: the renderer is a web page with no Node, reaching the OS only via the preload. */
export const MAIN_WINDOW_WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  plugins: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  // A middle click would otherwise try to open a link in a new window (electronegativity AUXCLICK).
  disableBlinkFeatures: 'Auxclick',
} as const satisfies WebPreferences);

/**
 * The hidden window that prints one PDF. `plugins` turns on Chromium's PDF viewer, which is the
 * only way Electron renders a PDF; the window has no preload and loads nothing but our own file,
 * in a throwaway in-memory session.
 */
export const PRINT_WINDOW_WEB_PREFERENCES = Object.freeze({
  ...MAIN_WINDOW_WEB_PREFERENCES,
  plugins: true,
  partition: 'kat-print',
} as const satisfies WebPreferences);

export type CspOptions = {
  /** Dev only: the Vite dev server (for its HMR socket). */
  devServerOrigin?: string;
  /** Dev only: a per-run nonce Vite puts on the inline script React Fast Refresh needs. */
  devNonce?: string;
};

export function contentSecurityPolicy({ devServerOrigin, devNonce }: CspOptions = {}): string {
  const devSocket = devServerOrigin ? [devServerOrigin.replace(/^http/, 'ws')] : [];
  const directives: [string, string[]][] = [
    ['default-src', ["'none'"]],
    // hash-wasm compiles WebAssembly (Argon2id): 'wasm-unsafe-eval' permits exactly that, not
    // eval() and not inline script (TOOLCHAIN.md pitfall 1).
    ['script-src', ["'self'", "'wasm-unsafe-eval'", ...(devNonce ? [`'nonce-${devNonce}'`] : [])]],
    // Mantine writes <style> elements at run time (theme variables, responsive style props), so
    // styles need 'unsafe-inline'. A build-time nonce would be the same for every install and add
    // nothing. Injected CSS cannot phone home: images, fonts and connections are limited below.
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    // The clinic's sync server is set at run time, so any https origin; plain http only to this
    // computer (a local server, tests). Bundles are encrypted; TLS still guards the sign-in token.
    ['connect-src', ["'self'", 'https:', 'http://127.0.0.1:*', 'http://localhost:*', ...devSocket]],
    // blob: lets the page start a worker from code it already runs (Vite inline workers).
    ['worker-src', ["'self'", 'blob:']],
    ['manifest-src', ["'self'"]],
    ['object-src', ["'none'"]],
    // Printing goes through IPC, and the window has no PDF plugin: nothing to frame.
    ['frame-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** Replaces whatever CSP a response carried (the dev server sends none) with ours. */
export function withCspHeader(
  headers: Record<string, string[]> | undefined,
  csp: string,
): Record<string, string[]> {
  const kept = Object.entries(headers ?? {}).filter(
    ([name]) => name.toLowerCase() !== 'content-security-policy',
  );
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [csp] };
}

export type SessionSecurity = { appOrigin: string; csp: string };

/** Every permission is refused: charting needs no camera, location, notifications or devices. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // Files leave only through the Save dialogs of the IPC contract, never as a page download.
  session.on('will-download', (event) => event.preventDefault());
}

export function applySessionSecurity(session: Session, { appOrigin, csp }: SessionSecurity): void {
  denyAllPermissions(session);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, appOrigin)) return callback({});
    callback({ responseHeaders: withCspHeader(details.responseHeaders, csp) });
  });
}

/** A link the OS may open, or null. The same parse the IPC contract uses (ExternalUrl). */
export function externalLink(url: string): string | null {
  const parsed = ExternalUrl.safeParse(url);
  return parsed.success ? parsed.data : null;
}

export type ContentsGuard = { appOrigin: string; openExternal: (url: string) => void };

/**
 * No new windows, no webviews, no navigation away from the app. A web link the person clicked
 * goes to their browser instead, after the same URL check as 'shell:open-external'.
 */
export function guardWebContents(
  contents: WebContents,
  { appOrigin, openExternal }: ContentsGuard,
) {
  const sendOut = (url: string) => {
    const link = externalLink(url);
    if (link) openExternal(link);
  };
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    sendOut(url);
    return { action: 'deny' };
  });
  // Moving between the app's own pages is harmless (and what a reload after lock does).
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url, appOrigin)) return;
    event.preventDefault();
    sendOut(event.url);
  });
}

/** Guards every web contents Electron ever creates, including ones we did not ask for. */
export function guardAllWebContents(app: App, guard: ContentsGuard): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, guard));
}
