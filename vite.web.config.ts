// Browser mode: the same renderer, served to plain Chromium (ARCHITECTURE.md, "Why browser mode").
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const port = Number(process.env.PORT ?? 5173);

export default defineConfig({
  root: 'renderer',
  base: './',
  publicDir: false,
  plugins: [react()],
  build: { outDir: '../out/web', emptyOutDir: true, chunkSizeWarningLimit: 2000, target: 'es2022' },
  server: { host: '127.0.0.1', port, strictPort: true },
  preview: { host: '127.0.0.1', port, strictPort: true },
});
