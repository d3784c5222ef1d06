import type { App, Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  MAIN_WINDOW_WEB_PREFERENCES,
  PRINT_WINDOW_WEB_PREFERENCES,
  applySessionSecurity,
  contentSecurityPolicy,
  guardAllWebContents,
  withCspHeader,
} from './security';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

describe('window settings', () => {
  it.each([
    ['the app window', MAIN_WINDOW_WEB_PREFERENCES],
    ['the print window', PRINT_WINDOW_WEB_PREFERENCES],
  ])('keep %s isolated, sandboxed and without Node', (_which, prefs) => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs).not.toHaveProperty('preload');
    expect(Object.isFrozen(prefs)).toBe(true);
  });

  it('enables the PDF plugin only in the print window, in its own session', () => {
    expect(MAIN_WINDOW_WEB_PREFERENCES.plugins).toBe(false);
    expect(PRINT_WINDOW_WEB_PREFERENCES.plugins).toBe(true);
    expect(PRINT_WINDOW_WEB_PREFERENCES.partition).not.toMatch(/^persist:/);
  });
});

describe('content security policy', () => {
  const csp = directives(CONTENT_SECURITY_POLICY);

  it('runs only the app’s own scripts, plus WebAssembly for Argon2id', () => {
    expect(csp.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-eval'/);
  });

  it('blocks everything not listed, plugins, frames, base and form targets', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('allows inline styles (Mantine) but no remote images or fonts to carry data out', () => {
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    for (const name of ['img-src', 'font-src', 'style-src']) {
      for (const source of csp.get(name)!)
        expect(source).toMatch(/^('self'|'unsafe-inline'|data:|blob:)$/);
    }
  });

  it('connects to https sync servers, and to plain http only on this computer', () => {
    for (const source of csp.get('connect-src')!) {
      expect(source).toMatch(/^('self'|https:|http:\/\/(127\.0\.0\.1|localhost):\*)$/);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/(^|\s)\*(\s|;|$)/);
  });

  it('in development adds a nonce for the dev server, never unsafe-inline for scripts', () => {
    const dev = directives(
      contentSecurityPolicy({ devServerOrigin: 'http://localhost:5173', devNonce: 'abc123' }),
    );
    expect(dev.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", "'nonce-abc123'"]);
    expect(dev.get('connect-src')).toContain('ws://localhost:5173');
  });

  it('replaces a CSP header the response already had', () => {
    const headers = withCspHeader(
      { 'content-security-policy': ['script-src *'], 'Content-Type': ['text/html'] },
      CONTENT_SECURITY_POLICY,
    );
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });
});

function fakeSession() {
  const calls: Record<string, ((...args: never[]) => unknown) | undefined> = {};
  const session = {
    setPermissionRequestHandler: (h: never) => void (calls.request = h),
    setPermissionCheckHandler: (h: never) => void (calls.check = h),
    setDevicePermissionHandler: (h: never) => void (calls.device = h),
    on: (name: string, h: never) => void (calls[name] = h),
    webRequest: { onHeadersReceived: (h: never) => void (calls.headers = h) },
  };
  return { session: session as unknown as Session, calls };
}

describe('session security', () => {
  it('denies every permission request and check', () => {
    const { session, calls } = fakeSession();
    applySessionSecurity(session, { appOrigin: 'kat://app', csp: CONTENT_SECURITY_POLICY });
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      const callback = vi.fn();
      (calls.request as (...a: unknown[]) => void)({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect((calls.check as (...a: unknown[]) => boolean)(null, permission, 'kat://app', {})).toBe(
        false,
      );
    }
    expect((calls.device as (...a: unknown[]) => boolean)({})).toBe(false);
    const download = { preventDefault: vi.fn() };
    (calls['will-download'] as (...a: unknown[]) => void)(download);
    expect(download.preventDefault).toHaveBeenCalled();
  });

  it('puts the CSP on the app’s responses only', () => {
    const { session, calls } = fakeSession();
    applySessionSecurity(session, { appOrigin: 'http://localhost:5173', csp: 'default-src x' });
    const headers = calls.headers as (d: unknown, cb: (r: unknown) => void) => void;
    const app = vi.fn();
    headers({ url: 'http://localhost:5173/main.tsx', responseHeaders: {} }, app);
    expect(app).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Security-Policy': ['default-src x'] },
    });
    const other = vi.fn();
    headers({ url: 'https://sync.clinic.example/bundles', responseHeaders: {} }, other);
    expect(other).toHaveBeenCalledWith({});
  });
});

function guardedContents() {
  const handlers: Record<string, (...args: unknown[]) => void> = {};
  let openHandler: (details: { url: string }) => { action: string } = () => ({ action: 'allow' });
  const contents = {
    on: (name: string, h: (...args: unknown[]) => void) => void (handlers[name] = h),
    setWindowOpenHandler: (h: typeof openHandler) => void (openHandler = h),
  };
  let created: (event: unknown, contents: unknown) => void = () => undefined;
  const app = { on: (_name: string, h: typeof created) => void (created = h) };
  const openExternal = vi.fn();
  guardAllWebContents(app as unknown as App, { appOrigin: 'kat://app', openExternal });
  created({}, contents as unknown as WebContents);
  const navigate = (url: string) => {
    const event = { url, preventDefault: vi.fn() };
    handlers['will-navigate']!(event);
    return event.preventDefault.mock.calls.length > 0;
  };
  return { handlers, open: (url: string) => openHandler({ url }), navigate, openExternal };
}

describe('every web contents', () => {
  it('opens no new windows; web links go to the person’s browser', () => {
    const guard = guardedContents();
    expect(guard.open('https://www.fda.gov/label.pdf')).toEqual({ action: 'deny' });
    expect(guard.openExternal).toHaveBeenCalledWith('https://www.fda.gov/label.pdf');
    expect(guard.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(guard.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(guard.openExternal).toHaveBeenCalledTimes(1);
  });

  it('never navigates away from the app', () => {
    const guard = guardedContents();
    expect(guard.navigate('https://evil.example/')).toBe(true);
    expect(guard.navigate('file:///home/ann/notes.html')).toBe(true);
    expect(guard.navigate('kat://app.evil/index.html')).toBe(true);
    expect(guard.navigate('kat://app/index.html')).toBe(false);
    expect(guard.openExternal).toHaveBeenCalledWith('https://evil.example/');
    expect(guard.openExternal).toHaveBeenCalledTimes(1);
  });

  it('refuses to attach a webview', () => {
    const guard = guardedContents();
    const event = { preventDefault: vi.fn() };
    guard.handlers['will-attach-webview']!(event);
    expect(event.preventDefault).toHaveBeenCalled();
  });
});
