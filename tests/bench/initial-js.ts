/**
 * What the browser build loads before its first screen (issue 20): the entry script and the
 * module preloads index.html names (Vite lists every static import of the entry there), raw and
 * gzipped. Chunks behind `import()` load when first used and are not counted.
 * Alone: `npx tsx tests/bench/initial-js.ts [build dir]` (default out/web).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export type JsSize = { files: string[]; raw: number; gzip: number };

const sizeOf = (dir: string, files: string[]): JsSize => {
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = readFileSync(join(dir, f));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files, raw, gzip };
};

/** The JS the sign-in page loads, and every JS file of the build (workers included). */
export function initialJs(dir: string): { initial: JsSize; all: JsSize } {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const refs = [
    ...html.matchAll(/<script[^>]*\bsrc="\.\/([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\.\/([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  const all = readdirSync(join(dir, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `assets/${f}`);
  return { initial: sizeOf(dir, [...new Set(refs)]), all: sizeOf(dir, all) };
}

if (process.argv[1]?.endsWith('initial-js.ts')) {
  const dir = process.argv[2] ?? 'out/web';
  const { initial, all } = initialJs(dir);
  const kb = (n: number) => `${(n / 1024).toFixed(0)} kB`;
  console.info(
    `${dir}: before the first screen ${kb(initial.raw)} (${kb(initial.gzip)} gzipped) in ${initial.files.length} files: ${initial.files.join(', ')}`,
  );
  console.info(
    `${dir}: all JS ${kb(all.raw)} (${kb(all.gzip)} gzipped) in ${all.files.length} files`,
  );
}
