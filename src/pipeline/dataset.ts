import { appendFile, copyFile, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { decodePhoto, photoId } from '../image/decode.js';
import { IMAGE_EXTENSIONS } from '../image/inputs.js';
import { ParseposeError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { readInputFile } from '../io/read.js';
import { writeOpenPoseJson } from '../pose/openpose-json.js';
import { renderPose } from '../pose/render.js';
import { encodeRgbPng } from '../image/decode.js';
import { sMapPng } from '../parsing/output.js';
import { agnosticImage, parseAgnostic, type AgnosticVariant } from '../tryon/agnostic.js';
import { clothMask } from '../tryon/cloth-mask.js';
import { encodeCihpPng, encodeMaskJpeg, encodeRgbJpeg } from '../tryon/files.js';
import type { Photo } from '../types.js';
import { LAYOUT } from './layout.js';
import type { PhotoProcessor, PhotoResult } from './process.js';

/**
 * The try-on dataset builder (VITON-HD / HR-VITON layout, SPEC §6). Per person photo: the photo brought
 * to the dataset size, its S-map (CIHP-20 with neck), P-map (BODY_25 JSON + render on black), the
 * parse-agnostic map and the agnostic person image; per cloth photo: its mask. Every file is written
 * atomically; a manifest of finished photos lets a killed run resume where it stopped.
 */
export type DatasetLayout = 'viton-hd' | 'hr-viton';

export interface DatasetSettings {
  layout: DatasetLayout;
  width: number;
  height: number;
}

export const MANIFEST = 'parsepose-manifest.jsonl';

/** A fingerprint of what determines a dataset's files: a resumed run with other settings redoes them. */
export function settingsKey(s: DatasetSettings, models: string): string {
  return createHash('sha256')
    .update(JSON.stringify([s.layout, s.width, s.height, models]))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Brings a photo to the dataset size: scaled to fit (aspect kept, Lanczos), centred, padded with white
 * (try-on photos are shot on light backdrops). Photos already of that size are untouched.
 */
export async function fitPhoto(photo: Photo, width: number, height: number): Promise<Photo> {
  if (photo.width === width && photo.height === height) return photo;
  const { data } = await sharp(photo.rgb, { raw: { width: photo.width, height: photo.height, channels: 3 } })
    .resize(width, height, { fit: 'contain', background: { r: 255, g: 255, b: 255 }, kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { ...photo, width, height, rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Processes one person photo into every dataset folder (runs inside a pool worker). */
export async function buildDatasetPhoto(
  processor: PhotoProcessor,
  path: string,
  outDir: string,
  s: DatasetSettings,
): Promise<PhotoResult> {
  const stem = photoId(path);
  const bytes = await readInputFile(path, 'UNREADABLE_IMAGE');
  const original = await decodePhoto(bytes, path, stem, { maxPixels: processor.options.maxPixels });
  const photo = await fitPhoto(original, s.width, s.height);
  const resized = photo !== original;
  const a = await processor.analyse(photo);
  const { people, map: parse } = a;
  if (!parse) throw new Error('dataset processor must parse');
  // VITON-HD / HR-VITON read people[0]: put the largest person first.
  const ordered = [...people].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
  const main = ordered[0]?.keypoints ?? Array.from({ length: 25 }, () => ({ x: 0, y: 0, score: 0 }));
  const imageOut = join(outDir, 'image', `${stem}.jpg`);
  const writes: Array<Promise<void>> = [];
  const isJpegInPlace = !resized && /\.jpe?g$/i.test(path) && resolve(path) === resolve(imageOut);
  if (resized) {
    // Originals are kept: copied once into image-original/ before image/ gets the resized photo.
    const keep = join(outDir, 'image-original', basename(path));
    if (!existsSync(keep)) {
      await mkdir(join(outDir, 'image-original'), { recursive: true });
      await copyFile(path, keep);
    }
  }
  if (!isJpegInPlace) {
    const jpeg =
      resized || !/\.jpe?g$/i.test(path) ? await encodeRgbJpeg(photo.rgb, photo.width, photo.height) : bytes;
    writes.push(writeFileAtomic(imageOut, jpeg));
  }
  writes.push(writeFileAtomic(LAYOUT.parse(outDir, stem), sMapPng(parse)));
  writes.push(
    writeFileAtomic(LAYOUT.poseJson(outDir, stem), writeOpenPoseJson(ordered, { format: 'body25' })),
  );
  writes.push(
    writeFileAtomic(
      LAYOUT.poseImg(outDir, stem),
      await encodeRgbPng(
        renderPose(ordered, photo.width, photo.height, {
          style: 'openpose',
          threshold: processor.options.renderThreshold,
        }),
        photo.width,
        photo.height,
      ),
    ),
  );
  writes.push(writeFileAtomic(LAYOUT.parseAgnostic(outDir, stem), encodeCihpPng(parseAgnostic(parse, main))));
  const variant: AgnosticVariant = s.layout === 'hr-viton' ? 'hr-viton' : 'viton-hd';
  const agn = agnosticImage(photo.rgb, photo.width, photo.height, parse, main, variant);
  writes.push(
    writeFileAtomic(LAYOUT.agnostic(outDir, stem), await encodeRgbJpeg(agn, photo.width, photo.height)),
  );
  await Promise.all(writes);
  return {
    id: stem,
    source: path,
    width: photo.width,
    height: photo.height,
    people: ordered,
    timings: { decode: 0, pose: a.poseMs, parse: a.parseMs, write: 0, inference: a.inferenceMs },
  };
}

/** Writes cloth-mask/{stem}.jpg for one cloth photo (brought to the dataset size like person photos). */
export async function buildClothMask(
  path: string,
  outDir: string,
  s: DatasetSettings,
  maxPixels: number,
): Promise<void> {
  const stem = photoId(path);
  const photo = await fitPhoto(
    await decodePhoto(await readInputFile(path, 'UNREADABLE_IMAGE'), path, stem, { maxPixels }),
    s.width,
    s.height,
  );
  const mask = clothMask(photo.rgb, photo.width, photo.height);
  await writeFileAtomic(
    LAYOUT.clothMask(outDir, stem),
    await encodeMaskJpeg(mask, photo.width, photo.height),
  );
}

const OUTPUT_FOLDERS = [
  'image',
  'image-original',
  'image-parse-v3',
  'openpose_json',
  'openpose_img',
  'image-parse-agnostic-v3.2',
  'agnostic-v3.2',
  'cloth-mask',
];

/** A run killed mid-write leaves `.tmp-` files (never a partial real file): a resumed run removes them. */
async function removeStaleTemps(outDir: string): Promise<void> {
  for (const sub of ['', ...OUTPUT_FOLDERS]) {
    const dir = join(outDir, sub);
    if (!existsSync(dir)) continue;
    for (const name of await readdir(dir)) {
      if (name.includes('.tmp-')) await rm(join(dir, name), { force: true });
    }
  }
}

/** Image files of a dataset folder, sorted. */
export async function listImages(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const names = (await readdir(dir))
    .filter((n) => IMAGE_EXTENSIONS.includes(extname(n).toLowerCase()))
    .sort();
  const out: string[] = [];
  for (const n of names) if ((await stat(join(dir, n))).isFile()) out.push(join(dir, n));
  return out;
}

/** `person.jpg cloth.jpg` lines: a person with the cloth of the same stem, else the cloths in turn. */
export function pairsText(images: readonly string[], cloths: readonly string[]): string {
  const clothByStem = new Map(cloths.map((c) => [photoId(c), `${photoId(c)}.jpg`]));
  const clothNames = cloths.map((c) => `${photoId(c)}.jpg`);
  return images
    .map((img, i) => {
      const stem = photoId(img);
      const cloth = clothByStem.get(stem) ?? clothNames[i % Math.max(1, clothNames.length)] ?? `${stem}.jpg`;
      return `${stem}.jpg ${cloth}\n`;
    })
    .join('');
}

export interface ManifestEntry {
  kind: 'image' | 'cloth';
  stem: string;
  key: string;
}

/** Reads the finished entries; a line cut short by a kill is ignored (that photo is simply redone). */
export async function readManifest(outDir: string): Promise<Map<string, ManifestEntry>> {
  const done = new Map<string, ManifestEntry>();
  let text = '';
  try {
    text = await readFile(join(outDir, MANIFEST), 'utf8');
  } catch {
    return done;
  }
  for (const line of text.split('\n')) {
    try {
      const e = JSON.parse(line) as ManifestEntry;
      if (e.stem && e.kind && e.key) done.set(`${e.kind}:${e.stem}`, e);
    } catch {
      /* partial line */
    }
  }
  return done;
}

export async function appendManifest(outDir: string, e: ManifestEntry): Promise<void> {
  await appendFile(join(outDir, MANIFEST), JSON.stringify(e) + '\n');
}

export interface DatasetRunOptions {
  root: string;
  outDir: string;
  settings: DatasetSettings;
  workers: number;
  pipeline: import('./options.js').PipelineOptions;
  overwrite?: boolean;
  onProgress?: (done: number, total: number, last: string) => void;
}

export interface DatasetSummary {
  root: string;
  outDir: string;
  layout: DatasetLayout;
  size: string;
  images: number;
  cloths: number;
  processed: number;
  /** Finished in an earlier run with the same settings (resume). */
  skipped: number;
  failed: Array<{ file: string; code: string; message: string }>;
  people: number;
  seconds: number;
  photosPerSecond: number;
  maxRssMB: number;
  pairsWritten: boolean;
}

/**
 * Builds the dataset folders for every photo under `<root>/image` (and masks for `<root>/cloth`), in a
 * bounded window of tasks so that memory stays flat however many photos there are.
 */
export async function runDataset(o: DatasetRunOptions): Promise<DatasetSummary> {
  const { WorkerPool } = await import('./pool.js');
  const t0 = performance.now();
  const images = await listImages(join(o.root, 'image'));
  const cloths = await listImages(join(o.root, 'cloth'));
  if (!images.length && !cloths.length) {
    throw new ParseposeError(
      'NOT_FOUND',
      'no photos found: expected image files in <root>/image (and <root>/cloth)',
      o.root,
    );
  }
  await mkdir(o.outDir, { recursive: true });
  await removeStaleTemps(o.outDir);
  const key = settingsKey(
    o.settings,
    `${o.pipeline.poseModel}|${o.pipeline.parseModel}|${o.pipeline.quality}`,
  );
  const done = o.overwrite ? new Map<string, ManifestEntry>() : await readManifest(o.outDir);
  const jobs: Array<{ kind: 'image' | 'cloth'; path: string }> = [];
  let skipped = 0;
  for (const [kind, list] of [
    ['image', images],
    ['cloth', cloths],
  ] as const) {
    for (const path of list) {
      if (done.get(`${kind}:${photoId(path)}`)?.key === key) skipped++;
      else jobs.push({ kind, path });
    }
  }
  const failed: DatasetSummary['failed'] = [];
  let processed = 0;
  let people = 0;
  let finished = skipped;
  const total = images.length + cloths.length;
  o.onProgress?.(finished, total, '');
  if (jobs.length) {
    const pool = new WorkerPool(Math.max(1, Math.min(o.workers, jobs.length)), o.pipeline);
    try {
      await pool.ready();
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < jobs.length) {
          const job = jobs[next++];
          const outcome = await pool.run(
            job.kind === 'image'
              ? { kind: 'dataset', path: job.path, outDir: o.outDir, settings: o.settings }
              : { kind: 'cloth', path: job.path, outDir: o.outDir, settings: o.settings },
          );
          finished++;
          if (outcome.ok) {
            processed++;
            people += outcome.result.people.length;
            await appendManifest(o.outDir, { kind: job.kind, stem: photoId(job.path), key });
          } else {
            const m = outcome.error.message;
            failed.push({
              file: job.path,
              code: outcome.error.code,
              message: m.startsWith(job.path) ? m : `${job.path}: ${m}`,
            });
          }
          o.onProgress?.(finished, total, job.path);
        }
      };
      await Promise.all(Array.from({ length: pool.size * 2 }, lane));
    } finally {
      await pool.close();
    }
  }
  let pairsWritten = false;
  const pairsFile = join(o.outDir, 'test_pairs.txt');
  if (!existsSync(pairsFile) && !existsSync(join(o.root, 'test_pairs.txt')) && images.length) {
    await writeFileAtomic(pairsFile, pairsText(images, cloths));
    pairsWritten = true;
  }
  const seconds = (performance.now() - t0) / 1000;
  failed.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const summary: DatasetSummary = {
    root: resolve(o.root),
    outDir: resolve(o.outDir),
    layout: o.settings.layout,
    size: `${o.settings.width}x${o.settings.height}`,
    images: images.length,
    cloths: cloths.length,
    processed,
    skipped,
    failed,
    people,
    seconds,
    photosPerSecond: processed / Math.max(seconds, 1e-6),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    pairsWritten,
  };
  await writeFileAtomic(
    join(o.outDir, 'parsepose-dataset-report.json'),
    JSON.stringify(summary, null, 2) + '\n',
  );
  return summary;
}
