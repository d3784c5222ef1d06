// Browser mode: the same renderer, served to plain Chromium (ARCHITECTURE.md, "Why browser mode").
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const port = Number(process.env.PORT ?? 5173);
// WEB_OUT_DIR lets two builds (say, two e2e runs on one machine) not overwrite each other.

export default defineConfig({
  root: 'renderer',
  base: './',
  publicDir: false,
  plugins: [react()],
  build: { outDir: process.env.WEB_OUT_DIR ?? '../out/web', emptyOutDir: true, chunkSizeWarningLimit: 2000, target: 'es2022' },
  server: { host: '127.0.0.1', port, strictPort: true },
  preview: { host: '127.0.0.1', port, strictPort: true },
});
