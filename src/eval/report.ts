import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { errorMessage } from '../errors.js';
import { loadPhoto } from '../image/decode.js';
import { sMapOverlayPng, sMapPng } from '../parsing/output.js';
import { readOpenPoseJson } from '../pose/openpose-json.js';
import { renderPose } from '../pose/render.js';
import type { LabelSetId, Photo } from '../types.js';
import { evalStem, findPhoto, findSubdir, photoDirs, readLabelFile } from './files.js';
import type { ParsingScores } from './parsing.js';
import type { PckScores } from './pck.js';
import {
  GT_PARSE_DIRS,
  GT_POSE_DIRS,
  PRED_PARSE_DIRS,
  PRED_POSE_DIRS,
  evaluateParseFolders,
  evaluatePoseFolders,
  type FileFailure,
  type ParseEvalResult,
  type PoseEvalResult,
} from './run.js';

/**
 * `parsepose eval report`: an HTML contact sheet, one row per photo — input, our S-map and P-map overlays,
 * the reference ones, and the photo's scores — with PNG thumbnails embedded as base64 (one portable file).
 *
 * Expected layout (what `parsepose run`/`dataset` write, SPEC §6), every folder optional:
 *   <pred>/image-parse-v3/{stem}.png         our S-map (class ids)
 *   <pred>/image-parse-vis/{stem}.png        our S-map overlay (drawn from the S-map and photo if absent)
 *   <pred>/openpose_json/{stem}_keypoints.json
 *   <pred>/openpose_vis/{stem}.png, else <pred>/openpose_img/{stem}_rendered.png   our P-map
 *   <gt>/image-parse-v3|label_maps|labels/…  reference S-map;  <gt>/openpose_json|keypoints/…  reference pose
 *   <gt>/openpose_img/{stem}_rendered.png    reference P-map (drawn from the reference JSON if absent)
 *   photos: --images dirs, then image/ or images/ in <gt> or <pred>
 */
export interface ReportOptions {
  pred: string;
  gt: string;
  predSet: LabelSetId;
  gtSet: LabelSetId;
  gtScale?: number;
  images?: string[];
  /** Thumbnail height in pixels (default 240). */
  thumbHeight?: number;
  /** PCK alpha shown per photo (default 0.1). */
  alpha?: number;
}

export interface ReportResult {
  html: string;
  rows: number;
  parse?: ParseEvalResult;
  pose?: PoseEvalResult;
  failed: FileFailure[];
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const pct = (v: number | null | undefined): string =>
  v === null || v === undefined || v < 0 ? '–' : (100 * v).toFixed(1);

async function thumb(
  input: Buffer | { rgb: Uint8Array; width: number; height: number },
  height: number,
): Promise<string> {
  const img = Buffer.isBuffer(input)
    ? sharp(input)
    : sharp(Buffer.from(input.rgb.buffer, input.rgb.byteOffset, input.rgb.byteLength), {
        raw: { width: input.width, height: input.height, channels: 3 },
      });
  const png = await img.resize({ height, withoutEnlargement: false }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

interface Cell {
  src?: string;
  note?: string;
}

export async function buildReport(o: ReportOptions): Promise<ReportResult> {
  const th = o.thumbHeight ?? 240;
  const alpha = o.alpha ?? 0.1;
  const failed: FileFailure[] = [];
  const predParseDir = await findSubdir(o.pred, PRED_PARSE_DIRS);
  const gtParseDir = await findSubdir(o.gt, GT_PARSE_DIRS);
  const predPoseDir = await findSubdir(o.pred, PRED_POSE_DIRS);
  const gtPoseDir = await findSubdir(o.gt, GT_POSE_DIRS);

  let parse: ParseEvalResult | undefined;
  if (predParseDir && gtParseDir) {
    parse = await evaluateParseFolders({
      pred: predParseDir,
      gt: gtParseDir,
      predSet: o.predSet,
      gtSet: o.gtSet,
    });
    failed.push(...parse.failed);
  }
  let pose: PoseEvalResult | undefined;
  if (predPoseDir && gtPoseDir) {
    pose = await evaluatePoseFolders({
      pred: predPoseDir,
      gt: gtPoseDir,
      gtScale: o.gtScale,
      images: o.images,
      alphas: [alpha],
    });
    failed.push(...pose.failed);
  }

  // Rows: every photo we have a prediction for, with whatever reference pairs with it.
  type Row = {
    stem: string;
    predParse?: string;
    gtParse?: string;
    parseScores?: ParsingScores;
    predPose?: string;
    gtPose?: string;
    poseScores?: PckScores;
    errors: string[];
  };
  const rows = new Map<string, Row>();
  const row = (stem: string): Row =>
    rows.get(stem) ?? (rows.set(stem, { stem, errors: [] }).get(stem) as Row);
  for (const im of parse?.images ?? []) {
    const r = row(im.stem);
    Object.assign(r, { predParse: im.pred, gtParse: im.gt, parseScores: im.scores });
    if (im.error) r.errors.push(im.error);
  }
  if (pose?.kind === 'pck') {
    for (const im of pose.images) {
      const r = row(im.stem);
      Object.assign(r, { predPose: im.pred, gtPose: im.gt, poseScores: im.scores });
      if (im.error) r.errors.push(im.error);
    }
  }
  for (const f of parse?.predOnly ?? []) row(evalStem(f)).predParse = f;
  if (pose?.kind === 'pck') for (const f of pose.predOnly) row(evalStem(f)).predPose = f;

  const photoFolders = await photoDirs(o.images ?? [], [o.gt, o.pred]);

  const htmlRows: string[] = [];
  for (const r of [...rows.values()].sort((a, b) => (a.stem < b.stem ? -1 : 1))) {
    const cells: Cell[] = [];
    let photo: Photo | undefined;
    const photoPath = await findPhoto(photoFolders, r.stem);
    try {
      if (photoPath) photo = await loadPhoto(photoPath);
    } catch (err) {
      r.errors.push(errorMessage(err));
    }
    const cell = async (make: () => Promise<Cell | undefined>): Promise<void> => {
      try {
        cells.push((await make()) ?? { note: '—' });
      } catch (err) {
        cells.push({ note: errorMessage(err) });
      }
    };
    await cell(async () => (photo ? { src: await thumb(photo, th) } : { note: 'no photo found' }));
    await cell(async () => {
      const vis = join(o.pred, 'image-parse-vis', `${r.stem}.png`);
      if (await exists(vis)) return { src: await thumb(await readFile(vis), th) };
      return r.predParse
        ? { src: await thumb(await labelPicture(r.predParse, o.predSet, photo), th) }
        : undefined;
    });
    await cell(async () => {
      for (const p of [
        join(o.pred, 'openpose_vis', `${r.stem}.png`),
        join(o.pred, 'openpose_img', `${r.stem}_rendered.png`),
      ]) {
        if (await exists(p)) return { src: await thumb(await readFile(p), th) };
      }
      return r.predPose && photo
        ? { src: await thumb(await posePicture(r.predPose, 1, photo), th) }
        : undefined;
    });
    await cell(async () =>
      r.gtParse ? { src: await thumb(await labelPicture(r.gtParse, o.gtSet, photo), th) } : undefined,
    );
    await cell(async () => {
      const img = join(o.gt, 'openpose_img', `${r.stem}_rendered.png`);
      if (await exists(img)) return { src: await thumb(await readFile(img), th) };
      return r.gtPose && photo
        ? { src: await thumb(await posePicture(r.gtPose, o.gtScale ?? 1, photo), th) }
        : undefined;
    });
    const scores: string[] = [];
    if (r.parseScores) {
      scores.push(`mIoU ${pct(r.parseScores.mIoU)}`, `pixel acc ${pct(r.parseScores.pixelAccuracy)}`);
    }
    if (r.poseScores)
      scores.push(`PCK@${alpha} ${pct(r.poseScores.PCK[String(alpha)])} (${r.poseScores.points} pts)`);
    scores.push(...r.errors.map((e) => `<span class="err">${escapeHtml(e)}</span>`));
    htmlRows.push(
      `<tr><th>${escapeHtml(r.stem)}</th>${cells
        .map(
          (c) =>
            `<td>${c.src ? `<img src="${c.src}" alt="">` : `<span class="na">${escapeHtml(c.note ?? '')}</span>`}</td>`,
        )
        .join('')}<td class="scores">${scores.join('<br>')}</td></tr>`,
    );
  }

  const summary: string[] = [];
  if (parse) {
    summary.push(
      `Parsing (${escapeHtml(parse.comparison.note)}), ${parse.images.length} photos: mIoU ${pct(parse.scores.mIoU)}, mIoU_all ${pct(parse.scores.mIoU_all)}, pixel accuracy ${pct(parse.scores.pixelAccuracy)}, mean accuracy ${pct(parse.scores.meanAccuracy)}`,
    );
  }
  if (pose?.kind === 'pck') {
    summary.push(
      `Pose vs ${pose.reference} references, ${pose.images.length} photos: PCK@${alpha} ${pct(pose.scores.PCK[String(alpha)])} over ${pose.scores.points} points`,
    );
  }
  if (!summary.length)
    summary.push('No prediction/reference pairs found (see the layout in parsepose eval report --help).');
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>parsepose eval report</title>
<style>
body{font:14px system-ui,sans-serif;margin:16px}table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:4px;vertical-align:top;text-align:center}
td img{display:block;height:${th}px}.scores{text-align:left;white-space:nowrap}.na{color:#888}.err{color:#b00}
</style></head><body>
<h1>parsepose eval report</h1>
<p>Prediction: ${escapeHtml(o.pred)}<br>Reference: ${escapeHtml(o.gt)}</p>
<ul>${summary.map((s) => `<li>${s}</li>`).join('')}</ul>
<table><thead><tr><th>photo</th><th>input</th><th>our S-map</th><th>our P-map</th><th>reference S-map</th><th>reference P-map</th><th>scores</th></tr></thead>
<tbody>
${htmlRows.join('\n')}
</tbody></table></body></html>
`;
  return { html, rows: htmlRows.length, parse, pose, failed };
}

/** A label map as an overlay on the photo when sizes agree, else as a palette picture. */
async function labelPicture(path: string, set: LabelSetId, photo: Photo | undefined): Promise<Buffer> {
  const l = await readLabelFile(path, set);
  const map = { width: l.width, height: l.height, labels: l.labels, set };
  if (photo && photo.width === l.width && photo.height === l.height) return sMapOverlayPng(photo, map);
  return sMapPng(map);
}

/** People of an OpenPose JSON drawn over the photo (OpenPose's look). */
async function posePicture(
  path: string,
  scale: number,
  photo: Photo,
): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const { people } = readOpenPoseJson(await readFile(path, 'utf8'), { scale });
  return {
    rgb: renderPose(people, photo.width, photo.height, { background: photo.rgb }),
    width: photo.width,
    height: photo.height,
  };
}
