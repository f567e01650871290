import { readdir, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';

/** Extensions picked up when a folder or a glob is expanded (explicitly named files are always taken). */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.avif'];

function isImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((e) => lower.endsWith(e));
}

function hasGlob(s: string): boolean {
  return /[*?[\]{}]/.test(s);
}

/** Translates a glob (`*`, `**`, `?`, `[..]`, `{a,b}`) to a RegExp over '/'-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += '[' + glob.slice(i + 1, end).replace(/^!/, '^') + ']';
        i = end;
      }
    } else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re +=
          '(?:' +
          glob
            .slice(i + 1, end)
            .split(',')
            .map(escapeRe)
            .join('|') +
          ')';
        i = end;
      }
    } else re += escapeRe(c);
  }
  return new RegExp('^' + re + '$');
}

function escapeRe(s: string): string {
  return s.replace(/[.+^$()|\\/]/g, (m) => (m === '/' ? '/' : '\\' + m));
}

async function walk(dir: string, recursive: boolean, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (recursive && !e.name.startsWith('.')) await walk(p, true, out);
    } else if (e.isFile() || e.isSymbolicLink()) out.push(p);
  }
}

const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface ExpandedInputs {
  /** Files in a stable order: each argument in turn, its matches sorted by path; no duplicates. */
  files: string[];
  /** Arguments that matched nothing (missing paths, empty globs); the caller reports them per file. */
  missing: string[];
}

/**
 * Expands files, folders (their image files, not recursive unless `recursive`) and globs into a
 * deterministic list. Explicit files are kept whatever their extension so that a bad one gets its own error.
 */
export async function expandInputs(
  inputs: readonly string[],
  options: { recursive?: boolean } = {},
): Promise<ExpandedInputs> {
  const files: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const add = (p: string): void => {
    const key = resolve(p);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(p);
    }
  };
  for (const input of inputs) {
    let st: Awaited<ReturnType<typeof stat>> | undefined;
    try {
      st = await stat(input);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) {
      const found: string[] = [];
      await walk(input, options.recursive ?? false, found);
      found
        .filter((p) => isImageName(p))
        .sort(byPath)
        .forEach(add);
    } else if (st) add(input);
    else if (hasGlob(input)) {
      const norm = input.split(sep).join('/');
      const parts = norm.split('/');
      const firstGlob = parts.findIndex(hasGlob);
      const base = parts.slice(0, firstGlob).join('/') || (norm.startsWith('/') ? '/' : '.');
      const re = globToRegExp(norm);
      const found: string[] = [];
      try {
        await walk(base, parts.slice(firstGlob).length > 1 || norm.includes('**'), found);
      } catch {
        /* base folder missing: no matches */
      }
      const matches = found
        .filter((p) =>
          re.test(
            p
              .split(sep)
              .join('/')
              .replace(/^\.\//, norm.startsWith('./') ? './' : ''),
          ),
        )
        .filter(isImageName)
        .sort(byPath);
      if (matches.length === 0) missing.push(input);
      matches.forEach(add);
    } else missing.push(input);
  }
  return { files, missing };
}
