import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import sharp from 'sharp';
import { ParseposeError } from '../errors.js';
import { decodePng } from '../image/png.js';
import { LABEL_SETS } from '../parsing/labelsets.js';
import type { LabelSetId } from '../types.js';

/**
 * Finding and pairing evaluation files. Files pair by stem: the name without extension and without the
 * OpenPose suffixes `_keypoints` / `_rendered`. When a stem has no exact partner, Dress Code's naming is
 * tried: its image, keypoints and label map of one photo are `052012_0.jpg`, `052012_2.json`,
 * `052012_4.png`, so stems equal up to a final `_<digit>` pair when that is unambiguous on both sides.
 */
export function evalStem(path: string): string {
  const name = basename(path);
  const ext = extname(name);
  return (ext ? name.slice(0, -ext.length) : name).replace(/_(keypoints|rendered)$/, '');
}

const dressCodeKey = (stem: string): string | undefined => /^(.*)_\d$/.exec(stem)?.[1];

export interface Pairing {
  pairs: Array<{ stem: string; pred: string; gt: string }>;
  /** Files of each side with no partner. */
  predOnly: string[];
  gtOnly: string[];
}

export function pairByStem(predFiles: readonly string[], gtFiles: readonly string[]): Pairing {
  const gtByStem = new Map<string, string>();
  for (const f of gtFiles) gtByStem.set(evalStem(f), f);
  const pairs: Pairing['pairs'] = [];
  const usedGt = new Set<string>();
  const leftPred: string[] = [];
  for (const p of predFiles) {
    const g = gtByStem.get(evalStem(p));
    if (g && !usedGt.has(g)) {
      pairs.push({ stem: evalStem(p), pred: p, gt: g });
      usedGt.add(g);
    } else leftPred.push(p);
  }
  // Dress Code fallback, only where the shortened key is unique on both sides.
  const group = (files: readonly string[]): Map<string, string[]> => {
    const m = new Map<string, string[]>();
    for (const f of files) {
      const k = dressCodeKey(evalStem(f));
      if (k !== undefined) m.set(k, [...(m.get(k) ?? []), f]);
    }
    return m;
  };
  const leftGt = gtFiles.filter((g) => !usedGt.has(g));
  const gtGroups = group(leftGt);
  const predGroups = group(leftPred);
  const predOnly: string[] = [];
  for (const p of leftPred) {
    const k = dressCodeKey(evalStem(p));
    const gs = k === undefined ? undefined : gtGroups.get(k);
    if (k !== undefined && gs?.length === 1 && predGroups.get(k)?.length === 1) {
      pairs.push({ stem: evalStem(p), pred: p, gt: gs[0] });
      usedGt.add(gs[0]);
    } else predOnly.push(p);
  }
  pairs.sort((a, b) => (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : 0));
  return { pairs, predOnly, gtOnly: gtFiles.filter((g) => !usedGt.has(g)) };
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** `dir` itself, or its first existing subfolder among `candidates` (e.g. a dataset root's image-parse-v3/). */
export async function resolveSubdir(dir: string, candidates: readonly string[]): Promise<string> {
  for (const c of candidates) {
    if (await isDir(join(dir, c))) return join(dir, c);
  }
  return dir;
}

/** The first existing folder among `candidates` inside `dir`, or undefined. */
export async function findSubdir(dir: string, candidates: readonly string[]): Promise<string | undefined> {
  for (const c of candidates) {
    if (await isDir(join(dir, c))) return join(dir, c);
  }
  return undefined;
}

/** Files directly in `dir` with one of `exts` (lower-case, with dot), sorted. */
export async function listFiles(dir: string, exts: readonly string[]): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new ParseposeError('NOT_FOUND', 'folder does not exist or cannot be read', dir);
  }
  return names
    .filter((n) => exts.includes(extname(n).toLowerCase()))
    .sort()
    .map((n) => join(dir, n));
}

export const LABEL_EXTENSIONS = ['.png', '.bmp', '.jpg', '.jpeg', '.tif', '.tiff', '.webp'];
export const PHOTO_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.avif'];

export interface LabelFile {
  width: number;
  height: number;
  labels: Uint8Array;
}

/**
 * Reads a label map keeping class ids: palette PNG indices or gray values as they are (low bit-depth gray
 * is not rescaled). An RGB PNG is read through `set`'s palette (exact colours; another colour is an error).
 * Other formats (LIP's grayscale JPEGs) are read as gray through sharp.
 */
export async function readLabelFile(path: string, set?: LabelSetId): Promise<LabelFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new ParseposeError(
      'NOT_FOUND',
      `cannot read label map (${(err as NodeJS.ErrnoException).code ?? err})`,
      path,
    );
  }
  if (extname(path).toLowerCase() !== '.png') {
    try {
      const { data, info } = await sharp(bytes).greyscale().raw().toBuffer({ resolveWithObject: true });
      return {
        width: info.width,
        height: info.height,
        labels: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height),
      };
    } catch (err) {
      throw new ParseposeError(
        'UNREADABLE_IMAGE',
        `cannot decode label map (${err instanceof Error ? err.message : err})`,
        path,
      );
    }
  }
  let png: ReturnType<typeof decodePng>;
  try {
    png = decodePng(bytes);
  } catch (err) {
    throw new ParseposeError(
      'UNREADABLE_IMAGE',
      `cannot decode label PNG (${err instanceof Error ? err.message : err})`,
      path,
    );
  }
  const { width, height, data, colorType, bitDepth, channels } = png;
  const n = width * height;
  if (colorType === 3) return { width, height, labels: data };
  if (colorType === 0 || colorType === 4) {
    const labels = new Uint8Array(n);
    // decodePng stretches 1/2/4-bit gray to 0..255; label ids need the raw sample back.
    const max = bitDepth < 8 ? (1 << bitDepth) - 1 : 255;
    for (let i = 0; i < n; i++)
      labels[i] = max === 255 ? data[i * channels] : Math.round((data[i * channels] * max) / 255);
    return { width, height, labels };
  }
  // RGB(A): colourised label map.
  if (!set)
    throw new ParseposeError(
      'BAD_INPUT',
      'RGB label map: give its label set to read colours as classes',
      path,
    );
  const lookup = new Map<number, number>();
  LABEL_SETS[set].palette.forEach(([r, g, b], i) => {
    const key = (r << 16) | (g << 8) | b;
    if (!lookup.has(key)) lookup.set(key, i);
  });
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    const cls = lookup.get((data[o] << 16) | (data[o + 1] << 8) | data[o + 2]);
    if (cls === undefined) {
      throw new ParseposeError(
        'BAD_INPUT',
        `RGB label map has colour (${data[o]},${data[o + 1]},${data[o + 2]}) at pixel ${i % width},${Math.floor(i / width)}, not in the ${set} palette`,
        path,
      );
    }
    labels[i] = cls;
  }
  return { width, height, labels };
}

/** Width and height of an image file as shown upright (EXIF orientation 5-8 swaps them). */
export async function imageSize(path: string): Promise<{ width: number; height: number }> {
  const meta = await sharp(path).metadata();
  if (!meta.width || !meta.height) throw new ParseposeError('UNREADABLE_IMAGE', 'image size unknown', path);
  const swap = (meta.orientation ?? 1) >= 5;
  return swap ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
}

/**
 * Photo folders to look in for a stem: the given ones, then `image/` and `images/` beside `near` (e.g. the
 * GT label folder of a dataset root).
 */
export async function photoDirs(explicit: readonly string[], near: readonly string[]): Promise<string[]> {
  const out = [...explicit];
  for (const d of near) {
    for (const name of ['image', 'images', 'Images']) {
      for (const base of [d, dirname(d)]) {
        const p = join(base, name);
        if (!out.includes(p) && (await isDir(p))) out.push(p);
      }
    }
  }
  return out;
}

/** The photo for a stem in `dirs` (exact stem first, then Dress Code's `<key>_0`). */
export async function findPhoto(dirs: readonly string[], stem: string): Promise<string | undefined> {
  const key = dressCodeKey(stem);
  for (const dir of dirs) {
    let files: string[];
    try {
      files = await listFiles(dir, PHOTO_EXTENSIONS);
    } catch {
      continue;
    }
    const exact = files.find((f) => evalStem(f) === stem);
    if (exact) return exact;
    if (key !== undefined) {
      const dc = files.filter((f) => dressCodeKey(evalStem(f)) === key);
      if (dc.length === 1) return dc[0];
    }
  }
  return undefined;
}
