/**
 * The desktop shell or the browser, behind one contract (shared/ipc KatApi). Chosen once, here:
 * screens call `platform.printPdf(…)` and never ask where they run.
 */
import type { KatApi } from '../../shared/ipc';
import { createBrowserPlatform } from './browser';

export type Platform = KatApi;

export const platform: Platform = globalThis.window?.kat ?? createBrowserPlatform();
