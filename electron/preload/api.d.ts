/**
 * What the preload puts on `window`, for the renderer's type checker (tsconfig.web.json includes
 * this file). Absent in browser mode: renderer/platform picks the implementation once, so no
 * screen ever reads `window.kat` itself.
 */
import type { KatApi } from '../../shared/ipc';

declare global {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- must merge with the DOM's Window
  interface Window {
    readonly kat?: KatApi;
  }
}

export {};
