import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The web page's files, read once at start from the package's web/ folder into memory. Requests name an
 * asset by its route only; no request path is ever joined to a folder or read from disk.
 */
export interface StaticAsset {
  body: Buffer;
  type: string;
}

const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/** web/ sits at the package root: two levels above src/server (tsx) and dist/server (built package). */
const WEB_FOLDER = new URL('../../web/', import.meta.url);

export function loadStaticAssets(): Map<string, StaticAsset> {
  const out = new Map<string, StaticAsset>();
  for (const [route, { file, type }] of Object.entries(ASSETS)) {
    out.set(route, { body: readFileSync(fileURLToPath(new URL(file, WEB_FOLDER))), type });
  }
  return out;
}
