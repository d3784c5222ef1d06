/**
 * Desktop build (electron-vite): main, preload and renderer into out/. Browser mode builds the same
 * renderer with vite.web.config.ts.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

export default defineConfig(({ command }) => {
  // Dev only: React Fast Refresh needs one inline script. Vite stamps this per-run nonce on it and
  // main adds the same nonce to the CSP (Electron inherits this process's environment), so the dev
  // CSP stays free of 'unsafe-inline' for scripts.
  const devNonce = command === 'serve' ? randomUUID() : undefined;
  if (devNonce) process.env.KAT_DEV_CSP_NONCE = devNonce;

  return {
    main: {
      build: {
        outDir: resolve(root, 'out/main'),
        rolldownOptions: { input: { index: resolve(root, 'electron/main/index.ts') } },
      },
    },
    preload: {
      build: {
        outDir: resolve(root, 'out/preload'),
        // A sandboxed preload is one CommonJS file that can require only 'electron' (TOOLCHAIN.md
        // pitfall 2): bundle everything, emit .cjs since package.json says "type": "module".
        externalizeDeps: false,
        rolldownOptions: {
          input: { index: resolve(root, 'electron/preload/index.ts') },
          output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
        },
      },
    },
    renderer: {
      root: resolve(root, 'renderer'),
      plugins: [react()],
      html: devNonce ? { cspNonce: devNonce } : undefined,
      build: {
        outDir: resolve(root, 'out/renderer'),
        rolldownOptions: { input: resolve(root, 'renderer/index.html') },
      },
    },
  };
});
