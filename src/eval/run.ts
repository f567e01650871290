import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ParseposeError, errorMessage } from '../errors.js';
import { readOpenPoseJson } from '../pose/openpose-json.js';
import type { LabelSetId, Person } from '../types.js';
import {
  evaluateKeypoints,
  personToCocoDet,
  type CocoKeypointStats,
  type CocoKeypointsDet,
  type CocoKeypointsGt,
} from './coco.js';
import {
  LABEL_EXTENSIONS,
  evalStem,
  findPhoto,
  imageSize,
  listFiles,
  pairByStem,
  photoDirs,
  readLabelFile,
  resolveSubdir,
} from './files.js';
import {
  addToConfusion,
  comparisonTables,
  createConfusion,
  mapLabels,
  mergeConfusion,
  scoreConfusion,
  type ComparisonTables,
  type ParsingScores,
} from './parsing.js';
import {
  createPckCounts,
  derivedBody25Points,
  mergePck,
  pckImage,
  summarizePck,
  type PckReference,
  type PckScores,
} from './pck.js';

/**
 * Folder-level evaluation used by `parsepose eval` (and its report): pairs files, reads them, scores them.
 * Per-file problems (unreadable file, size mismatch) are collected, never thrown past a run.
 */
export interface FileFailure {
  file: string;
  error: string;
}

/** Where label maps live inside a folder given as `--pred` / `--gt` (the folder itself if none exists). */
export const PRED_PARSE_DIRS = ['image-parse-v3'];
export const GT_PARSE_DIRS = [
  'image-parse-v3',
  'label_maps',
  'labels',
  'Category_ids',
  'image-parse-new',
  'annotations',
];
export const PRED_POSE_DIRS = ['openpose_json'];
export const GT_POSE_DIRS = ['openpose_json', 'keypoints', 'pose'];

export interface ParseEvalOptions {
  pred: string;
  gt: string;
  predSet: LabelSetId;
  gtSet: LabelSetId;
}

export interface ParseImageResult {
  stem: string;
  pred: string;
  gt: string;
  scores?: ParsingScores;
  error?: string;
}

export interface ParseEvalResult {
  comparison: ComparisonTables;
  scores: ParsingScores;
  images: ParseImageResult[];
  predOnly: string[];
  gtOnly: string[];
  failed: FileFailure[];
}

export async function evaluateParseFolders(o: ParseEvalOptions): Promise<ParseEvalResult> {
  const comparison = comparisonTables(o.predSet, o.gtSet);
  const predDir = await resolveSubdir(o.pred, PRED_PARSE_DIRS);
  const gtDir = await resolveSubdir(o.gt, GT_PARSE_DIRS);
  const pairing = pairByStem(
    await listFiles(predDir, LABEL_EXTENSIONS),
    await listFiles(gtDir, LABEL_EXTENSIONS),
  );
  const total = createConfusion(comparison.names.length);
  const images: ParseImageResult[] = [];
  const failed: FileFailure[] = [];
  for (const { stem, pred, gt } of pairing.pairs) {
    try {
      const [p, g] = await Promise.all([readLabelFile(pred, o.predSet), readLabelFile(gt, o.gtSet)]);
      if (p.width !== g.width || p.height !== g.height) {
        throw new ParseposeError(
          'BAD_INPUT',
          `size mismatch: prediction ${p.width}x${p.height}, ground truth ${g.width}x${g.height} (${gt}); not resized`,
          pred,
        );
      }
      const cm = createConfusion(comparison.names.length);
      addToConfusion(cm, mapLabels(g.labels, comparison.gt), mapLabels(p.labels, comparison.pred));
      mergeConfusion(total, cm);
      images.push({ stem, pred, gt, scores: scoreConfusion(cm, comparison.names) });
    } catch (err) {
      const message = errorMessage(err);
      failed.push({ file: pred, error: message });
      images.push({ stem, pred, gt, error: message });
    }
  }
  return {
    comparison,
    scores: scoreConfusion(total, comparison.names),
    images,
    predOnly: pairing.predOnly,
    gtOnly: pairing.gtOnly,
    failed,
  };
}

export interface PoseEvalOptions {
  pred: string;
  gt: string;
  /** Multiplies reference coordinates (Dress Code keypoints: 2). */
  gtScale?: number;
  /** Extra folders to find photos in (for the image height of PCK). */
  images?: string[];
  alphas?: number[];
  refThreshold?: number;
}

export interface CocoEvalResult {
  kind: 'coco';
  stats: CocoKeypointStats;
  images: number;
  detections: number;
  /** GT images without a prediction file (their people all count as missed). */
  missing: string[];
  predOnly: string[];
  failed: FileFailure[];
}

export interface PckImageResult {
  stem: string;
  pred: string;
  gt: string;
  scores?: PckScores;
  error?: string;
}

export interface PckEvalResult {
  kind: 'pck';
  /** 'openpose' for a folder of OpenPose JSON references, 'mpii' for an MPII list JSON. */
  reference: 'openpose' | 'mpii';
  scores: PckScores;
  images: PckImageResult[];
  predOnly: string[];
  gtOnly: string[];
  failed: FileFailure[];
}

export type PoseEvalResult = CocoEvalResult | PckEvalResult;

async function readPeople(
  path: string,
  scale = 1,
): Promise<{
  people: Person[];
  format: 'body25' | 'coco18' | 'coco17';
  canvasHeight?: number;
  raw: Record<string, unknown>;
}> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ParseposeError(
      'NOT_FOUND',
      `cannot read (${(err as NodeJS.ErrnoException).code ?? err})`,
      path,
    );
  }
  try {
    const { people, format } = readOpenPoseJson(text, { scale });
    const raw = JSON.parse(text) as Record<string, unknown>;
    const ch = Number(raw.canvas_height);
    return { people, format, canvasHeight: ch > 0 ? ch * scale : undefined, raw };
  } catch (err) {
    throw new ParseposeError('BAD_INPUT', `not OpenPose JSON (${errorMessage(err)})`, path);
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** `--gt` as a COCO keypoints file, an MPII list file (mmpose format), or a folder of OpenPose JSON. */
export async function evaluatePoseFolders(o: PoseEvalOptions): Promise<PoseEvalResult> {
  const predDir = await resolveSubdir(o.pred, PRED_POSE_DIRS);
  const predFiles = await listFiles(predDir, ['.json']);
  if (await isFile(o.gt)) {
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(o.gt, 'utf8'));
    } catch (err) {
      throw new ParseposeError('BAD_INPUT', `cannot read ground truth JSON (${errorMessage(err)})`, o.gt);
    }
    if (Array.isArray(doc)) return evaluateMpii(doc as MpiiEntry[], o, predFiles);
    const gt = doc as CocoKeypointsGt;
    if (!Array.isArray(gt.images) || !Array.isArray(gt.annotations)) {
      throw new ParseposeError(
        'BAD_INPUT',
        'neither COCO keypoints (images + annotations) nor an MPII list',
        o.gt,
      );
    }
    return evaluateCoco(gt, predFiles);
  }
  return evaluateOpenPoseRefs(o, predFiles);
}

async function evaluateCoco(gt: CocoKeypointsGt, predFiles: string[]): Promise<CocoEvalResult> {
  const idByStem = new Map<string, number>();
  for (const im of gt.images) idByStem.set(evalStem(im.file_name), im.id);
  const dets: CocoKeypointsDet[] = [];
  const failed: FileFailure[] = [];
  const predOnly: string[] = [];
  const seen = new Set<number>();
  for (const file of predFiles) {
    const id = idByStem.get(evalStem(file));
    if (id === undefined) {
      predOnly.push(file);
      continue;
    }
    try {
      const { people } = await readPeople(file);
      seen.add(id);
      for (const p of people) dets.push(personToCocoDet(id, p));
    } catch (err) {
      failed.push({ file, error: errorMessage(err) });
    }
  }
  const missing = gt.images.filter((im) => !seen.has(im.id)).map((im) => im.file_name);
  return {
    kind: 'coco',
    stats: evaluateKeypoints(gt, dets),
    images: gt.images.length,
    detections: dets.length,
    missing,
    predOnly,
    failed,
  };
}

async function heightFor(
  stem: string,
  dirs: string[],
  ...fallbacks: Array<number | undefined>
): Promise<number> {
  const photo = await findPhoto(dirs, stem);
  if (photo) return (await imageSize(photo)).height;
  const h = fallbacks.find((v) => v !== undefined && v > 0);
  if (h === undefined) {
    throw new ParseposeError(
      'NOT_FOUND',
      `no photo for "${stem}" (looked in ${dirs.join(', ') || 'no folder'}) and no canvas_height: PCK needs the image height; give --images <dir>`,
    );
  }
  return h;
}

async function evaluateOpenPoseRefs(o: PoseEvalOptions, predFiles: string[]): Promise<PckEvalResult> {
  const gtDir = await resolveSubdir(o.gt, GT_POSE_DIRS);
  const pairing = pairByStem(predFiles, await listFiles(gtDir, ['.json']));
  const dirs = await photoDirs(o.images ?? [], [gtDir]);
  const total = createPckCounts(o.alphas);
  const images: PckImageResult[] = [];
  const failed: FileFailure[] = [];
  for (const { stem, pred, gt } of pairing.pairs) {
    try {
      const ref = await readPeople(gt, o.gtScale ?? 1);
      const mine = await readPeople(pred);
      const height = await heightFor(stem, dirs, ref.canvasHeight, mine.canvasHeight);
      const refs: PckReference[] = ref.people.map((p, i) => {
        const box = headBoxOf(
          (ref.raw.people as Array<Record<string, unknown>> | undefined)?.[i]?.head_box,
          o.gtScale ?? 1,
        );
        return box ? { keypoints: p.keypoints, headBox: box } : { keypoints: p.keypoints };
      });
      const counts = pckImage(mine.people, refs, height, {
        alphas: o.alphas,
        refThreshold: o.refThreshold,
        skip: derivedBody25Points(ref.format),
      });
      mergePck(total, counts);
      images.push({ stem, pred, gt, scores: summarizePck(counts) });
    } catch (err) {
      const message = errorMessage(err);
      failed.push({ file: pred, error: message });
      images.push({ stem, pred, gt, error: message });
    }
  }
  return {
    kind: 'pck',
    reference: 'openpose',
    scores: summarizePck(total),
    images,
    predOnly: pairing.predOnly,
    gtOnly: pairing.gtOnly,
    failed,
  };
}

/** A head box as [x1,y1,x2,y2] or [[x1,y1],[x2,y2]]. */
function headBoxOf(v: unknown, scale: number): PckReference['headBox'] {
  if (!Array.isArray(v)) return undefined;
  const flat = (v as unknown[]).flat().map(Number);
  if (flat.length !== 4 || flat.some((n) => !Number.isFinite(n))) return undefined;
  const [x1, y1, x2, y2] = flat.map((n) => n * scale);
  return { x1, y1, x2, y2 };
}

/** mmpose's MPII list: one entry per person, 16 joints in MPII order. */
interface MpiiEntry {
  image: string;
  joints: number[][];
  joints_vis?: number[];
  headbox?: unknown;
  head_box?: unknown;
}

/**
 * MPII joint -> BODY_25 index (-1: none). Pelvis, thorax, upper neck and head top have no exact BODY_25
 * counterpart (OpenPose's MidHip/Neck are midpoints), so they are not scored.
 */
const MPII_TO_BODY25 = [11, 10, 9, 12, 13, 14, -1, -1, -1, -1, 4, 3, 2, 5, 6, 7];

async function evaluateMpii(
  entries: MpiiEntry[],
  o: PoseEvalOptions,
  predFiles: string[],
): Promise<PckEvalResult> {
  const byStem = new Map<string, MpiiEntry[]>();
  for (const e of entries) {
    if (typeof e?.image !== 'string' || !Array.isArray(e.joints)) {
      throw new ParseposeError('BAD_INPUT', 'MPII list entries need "image" and "joints"', o.gt);
    }
    const s = evalStem(e.image);
    byStem.set(s, [...(byStem.get(s) ?? []), e]);
  }
  const dirs = await photoDirs([...(o.images ?? []), dirname(o.gt)], []);
  const total = createPckCounts(o.alphas);
  const images: PckImageResult[] = [];
  const failed: FileFailure[] = [];
  const predOnly: string[] = [];
  const used = new Set<string>();
  for (const pred of predFiles) {
    const stem = evalStem(pred);
    const group = byStem.get(stem);
    if (!group) {
      predOnly.push(pred);
      continue;
    }
    used.add(stem);
    try {
      const mine = await readPeople(pred);
      const height = await heightFor(stem, dirs, mine.canvasHeight);
      const scale = o.gtScale ?? 1;
      const refs: PckReference[] = group.map((e) => {
        const keypoints = Array.from({ length: 25 }, () => ({ x: 0, y: 0, score: 0 }));
        e.joints.forEach((j, i) => {
          const t = MPII_TO_BODY25[i];
          const visible = e.joints_vis ? e.joints_vis[i] > 0 : true;
          if (t !== undefined && t >= 0 && visible)
            keypoints[t] = { x: j[0] * scale, y: j[1] * scale, score: 1 };
        });
        const box = headBoxOf(e.headbox ?? e.head_box, scale);
        return box ? { keypoints, headBox: box } : { keypoints };
      });
      const counts = pckImage(mine.people, refs, height, { alphas: o.alphas, refThreshold: o.refThreshold });
      mergePck(total, counts);
      images.push({ stem, pred, gt: o.gt, scores: summarizePck(counts) });
    } catch (err) {
      const message = errorMessage(err);
      failed.push({ file: pred, error: message });
      images.push({ stem, pred, gt: o.gt, error: message });
    }
  }
  const gtOnly = [...byStem.keys()].filter((s) => !used.has(s));
  return { kind: 'pck', reference: 'mpii', scores: summarizePck(total), images, predOnly, gtOnly, failed };
}
