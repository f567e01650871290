import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from anywhere). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `../shared` beside the checkout: evaluation photos and models, read in place, never copied. */
export const SHARED = resolve(REPO_ROOT, '..', 'shared');

export function sharedPath(...parts: string[]): string {
  return resolve(SHARED, ...parts);
}

/** A skip reason when a ../shared path is absent (tests then skip with this message), else false. */
export function needShared(...parts: string[]): string | false {
  const p = sharedPath(...parts);
  return existsSync(p)
    ? false
    : `../shared/${parts.join('/')} is absent: this test needs the shared eval data`;
}

/** Example photos that an npm dev dependency ships under the MIT licence (group photos). */
export function examplePhoto(n: number): string {
  return resolve(REPO_ROOT, 'node_modules', '@vladmandic', 'face-api', 'demo', `sample${n}.jpg`);
}
