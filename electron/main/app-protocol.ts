/**
 * The built renderer is served from `kat://app/…` instead of file:// (Electron security checklist:
 * "use a custom protocol instead of file://"): a file:// page may read any local file the user can,
 * and file:// responses carry no headers, so no CSP header could be set on them. Here every
 * response carries our CSP, and only files inside the renderer build folder can be served.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'kat';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * standard: real origin for IndexedDB and relative URLs; secure: a secure context, which WebCrypto
 * needs; supportFetchAPI: the app may fetch its own resources (fonts for PDFs).
 */
export const APP_SCHEME_PRIVILEGES = Object.freeze({
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
});

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The file under `rendererRoot` that a `kat://app/…` URL names, or null when the URL is not ours or
 * would leave the folder. Paths without an extension are the app's own routes: index.html.
 */
export function resolveAppFile(rendererRoot: string, requestUrl: string): string | null {
  const url = URL.parse(requestUrl);
  if (!url || url.protocol !== `${APP_SCHEME}:` || url.host !== 'app') return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  if (!extname(pathname)) pathname = '/index.html';
  const root = resolve(rendererRoot);
  const file = resolve(root, `.${pathname}`);
  return file.startsWith(root + sep) ? file : null;
}

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type AppProtocolOptions = {
  rendererRoot: string;
  csp: string;
  read?: (file: string) => Promise<Uint8Array>;
};

/** The handler for `protocol.handle(APP_SCHEME, …)`. */
export function createAppProtocolHandler({
  rendererRoot,
  csp,
  read = readFile,
}: AppProtocolOptions) {
  return async (request: Request): Promise<Response> => {
    const file = resolveAppFile(rendererRoot, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    let body: Uint8Array;
    try {
      body = await read(file);
    } catch {
      return new Response('Not found', { status: 404 });
    }
    return new Response(body as Uint8Array<ArrayBuffer>, {
      headers: {
        'Content-Type': contentTypeOf(file),
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      },
    });
  };
}
