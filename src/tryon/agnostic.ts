/**
 * Clothing-agnostic inputs of the try-on networks (SPEC §6): the parse-agnostic label map
 * (`image-parse-agnostic-v3.2`) and the agnostic person image (`agnostic-v3.2`), in the two variants of
 * the reference code (VITON-HD `datasets.py`, HR-VITON `cp_dataset.py`). Shapes are drawn with the
 * PIL-exact rasteriser of ./draw.ts, so on the reference's own inputs the outputs are the reference's.
 *
 * Where the reference would draw towards a missing keypoint (a JSON 0,0 point it does not check) we skip
 * that shape instead; the reference's own skips (arm segments with a missing end) are kept as they are,
 * including the parse-agnostic's habit of bridging a missing elbow (shoulder -> wrist).
 *
 * Sizes: the reference works on 768x1024 images with fixed units (10 px for the parse, 20 px for the
 * VITON-HD image). For other sizes the units are scaled by height / 1024, so a 1024-high input gets the
 * reference's exact numbers. HR-VITON's unit comes from the shoulder width and needs no scaling.
 */
import { ParseposeError } from '../errors.js';
import type { Keypoint, LabelMap } from '../types.js';
import {
  drawLine,
  fillEllipse,
  fillPolygon,
  fillRectangle,
  graySurface,
  rgbSurface,
  type Point,
  type Surface,
} from './draw.js';

export type AgnosticVariant = 'viton-hd' | 'hr-viton';
export const AGNOSTIC_VARIANTS: readonly AgnosticVariant[] = ['hr-viton', 'viton-hd'];

/** CIHP-20 ids the agnostic maps use (SPEC §1). */
export const CIHP = {
  sunglasses: 4,
  upperClothes: 5,
  dress: 6,
  coat: 7,
  pants: 9,
  /** "Torso-skin", which VITON-HD and HR-VITON treat as the neck. */
  neck: 10,
  skirt: 12,
  face: 13,
  leftArm: 14,
  rightArm: 15,
  leftLeg: 16,
  rightLeg: 17,
  leftShoe: 18,
  rightShoe: 19,
} as const;

/** Labels the parse-agnostic removes entirely: upper clothes, dress, coat, neck. */
export const PARSE_AGNOSTIC_REMOVED: readonly number[] = [
  CIHP.upperClothes,
  CIHP.dress,
  CIHP.coat,
  CIHP.neck,
];
/** Labels whose photo pixels the agnostic image keeps: the head... */
export const HEAD_LABELS: readonly number[] = [CIHP.sunglasses, CIHP.face];
/** ...and the lower body. */
export const LOWER_LABELS: readonly number[] = [
  CIHP.pants,
  CIHP.skirt,
  CIHP.leftLeg,
  CIHP.rightLeg,
  CIHP.leftShoe,
  CIHP.rightShoe,
];

/** BODY_25 indices used here. */
const K = {
  neck: 1,
  rShoulder: 2,
  rElbow: 3,
  rWrist: 4,
  lShoulder: 5,
  lElbow: 6,
  lWrist: 7,
  rHip: 9,
  lHip: 12,
} as const;

/** Arm label and the pose chain the parse-agnostic band follows, starting at the opposite shoulder. */
const PARSE_ARM_CHAINS: ReadonlyArray<readonly [number, readonly number[]]> = [
  [CIHP.leftArm, [K.rShoulder, K.lShoulder, K.lElbow, K.lWrist]],
  [CIHP.rightArm, [K.lShoulder, K.rShoulder, K.rElbow, K.rWrist]],
];
/** Arm label and its own shoulder -> elbow -> wrist chain (HR-VITON's arm restoration). */
const IMAGE_ARM_CHAINS: ReadonlyArray<readonly [number, readonly number[]]> = [
  [CIHP.leftArm, [K.lShoulder, K.lElbow, K.lWrist]],
  [CIHP.rightArm, [K.rShoulder, K.rElbow, K.rWrist]],
];

/** The reference's test for a missing keypoint is x == 0 && y == 0; ours also has score 0. */
export function isMissing(k: Keypoint | undefined): boolean {
  return !k || !(k.score > 0) || (k.x === 0 && k.y === 0) || !Number.isFinite(k.x) || !Number.isFinite(k.y);
}

export interface AgnosticOptions {
  /**
   * The drawing unit r: a number of pixels, or 'shoulder' for HR-VITON's int(shoulder width / 16) + 1.
   * Defaults: parse-agnostic 10 (SPEC §6, the public get_parse_agnostic code; HR-VITON's released
   * image-parse-agnostic-v3.2 files agree better with 'shoulder'), VITON-HD image 20, HR-VITON image
   * 'shoulder'. Fixed units are for 1024-high images and scale with the height.
   */
  unit?: number | 'shoulder';
}

function checkParse(parse: LabelMap): void {
  if (parse.set !== 'cihp' && parse.set !== 'lip') {
    throw new ParseposeError('BAD_INPUT', `agnostic maps need a CIHP/LIP-20 label map, got "${parse.set}"`);
  }
  if (parse.labels.length !== parse.width * parse.height) {
    throw new ParseposeError('BAD_INPUT', 'label map length does not match its width*height');
  }
}

const pt = (k: Keypoint): Point => [k.x, k.y];
const box = (x: number, y: number, rx: number, ry: number): [number, number, number, number] => [
  x - rx,
  y - ry,
  x + rx,
  y + ry,
];
/** PIL takes integer line widths; the reference's are whole multiples of an integer r. */
const lineWidth = (w: number): number => Math.max(1, Math.round(w));

/**
 * image-parse-agnostic-v3.2: removes upper clothes, dress, coat and neck, and the arm pixels inside a band
 * drawn along the pose (lines 10r wide, disks of radius 15r at the joints and 4r at the wrist). Every other
 * pixel keeps its label.
 */
export function parseAgnostic(
  parse: LabelMap,
  keypoints: Keypoint[],
  options: AgnosticOptions = {},
): LabelMap {
  checkParse(parse);
  const { width, height } = parse;
  const r = resolveUnit(options.unit, 10, keypoints, height);
  const labels = parse.labels.slice();
  const band = graySurface(new Uint8Array(width * height), width, height);
  for (const [armLabel, chain] of PARSE_ARM_CHAINS) {
    band.data.fill(0);
    let prev = chain[0];
    for (const i of chain.slice(1)) {
      // as the reference: a missing end skips the segment, and `prev` only advances past drawn points
      if (isMissing(keypoints[prev]) || isMissing(keypoints[i])) continue;
      const k = keypoints[i];
      drawLine(band, [pt(keypoints[prev]), pt(k)], 1, lineWidth(r * 10));
      const radius = i === chain[chain.length - 1] ? r * 4 : r * 15;
      fillEllipse(band, box(k.x, k.y, radius, radius), 1);
      prev = i;
    }
    for (let p = 0; p < labels.length; p++) if (band.data[p] && parse.labels[p] === armLabel) labels[p] = 0;
  }
  const removed = new Uint8Array(256);
  for (const l of PARSE_AGNOSTIC_REMOVED) removed[l] = 1;
  for (let p = 0; p < labels.length; p++) if (removed[parse.labels[p]]) labels[p] = 0;
  return { width, height, labels, set: parse.set };
}

/** HR-VITON's unit from the shoulder width; without shoulders, height / 64 (its typical value at 1024 px). */
function shoulderUnit(keypoints: Keypoint[], height: number): number {
  const [rs, ls] = [keypoints[K.rShoulder], keypoints[K.lShoulder]];
  if (isMissing(rs) || isMissing(ls)) return Math.max(1, Math.trunc(height / 64));
  return Math.trunc(Math.sqrt((ls.x - rs.x) ** 2 + (ls.y - rs.y) ** 2) / 16) + 1;
}

function resolveUnit(
  unit: AgnosticOptions['unit'],
  fixedAt1024: number,
  keypoints: Keypoint[],
  height: number,
): number {
  if (unit === 'shoulder') return shoulderUnit(keypoints, height);
  if (unit !== undefined) {
    if (!(unit > 0) || !Number.isFinite(unit))
      throw new ParseposeError('BAD_INPUT', `unit must be a positive number (${unit})`);
    return unit;
  }
  return (fixedAt1024 * height) / 1024;
}

/** Keypoints as the drawing code uses them, with the hips moved so that their width equals the shoulders'. */
function normalisedPose(keypoints: Keypoint[]): Keypoint[] {
  const pose = Array.from({ length: 25 }, (_, i) => {
    const k = keypoints[i];
    return k ? { ...k } : { x: 0, y: 0, score: 0 };
  });
  const [rs, ls, rh, lh] = [pose[K.rShoulder], pose[K.lShoulder], pose[K.rHip], pose[K.lHip]];
  const shoulderWidth =
    isMissing(rs) || isMissing(ls) ? undefined : Math.sqrt((ls.x - rs.x) ** 2 + (ls.y - rs.y) ** 2);
  if (shoulderWidth !== undefined && !isMissing(rh) && !isMissing(lh)) {
    const hipWidth = Math.sqrt((lh.x - rh.x) ** 2 + (lh.y - rh.y) ** 2);
    if (hipWidth > 0) {
      // same operation order as numpy's `point + (p - point) / length_b * length_a`
      const mx = (rh.x + lh.x) / 2;
      const my = (rh.y + lh.y) / 2;
      for (const h of [rh, lh]) {
        h.x = mx + ((h.x - mx) / hipWidth) * shoulderWidth;
        h.y = my + ((h.y - my) / hipWidth) * shoulderWidth;
      }
    }
  }
  return pose;
}

/** Draws the torso shapes both variants share: hip ellipses, shoulder-hip and hip-hip lines, the quad. */
function drawTorso(s: Surface, pose: Keypoint[], r: number, ink: number): void {
  const ok = (...ids: number[]): boolean => ids.every((i) => !isMissing(pose[i]));
  for (const i of [K.rHip, K.lHip]) if (ok(i)) fillEllipse(s, box(pose[i].x, pose[i].y, r * 3, r * 6), ink);
  if (ok(K.rShoulder, K.rHip)) drawLine(s, [pt(pose[K.rShoulder]), pt(pose[K.rHip])], ink, lineWidth(r * 6));
  if (ok(K.lShoulder, K.lHip)) drawLine(s, [pt(pose[K.lShoulder]), pt(pose[K.lHip])], ink, lineWidth(r * 6));
  if (ok(K.rHip, K.lHip)) drawLine(s, [pt(pose[K.rHip]), pt(pose[K.lHip])], ink, lineWidth(r * 12));
  const quad = [K.rShoulder, K.lShoulder, K.lHip, K.rHip].filter((i) => ok(i)).map((i) => pt(pose[i]));
  if (quad.length >= 3) fillPolygon(s, quad, ink);
}

/** Elbow and wrist segments with their disks (both variants): each needs its parent to exist. */
function drawArmSegments(s: Surface, pose: Keypoint[], r: number, ink: number): void {
  for (const i of [K.rElbow, K.rWrist, K.lElbow, K.lWrist]) {
    if (isMissing(pose[i - 1]) || isMissing(pose[i])) continue;
    drawLine(s, [pt(pose[i - 1]), pt(pose[i])], ink, lineWidth(r * 10));
    fillEllipse(s, box(pose[i].x, pose[i].y, r * 5, r * 5), ink);
  }
}

/**
 * agnostic-v3.2: the person photo with the upper body, arms and neck painted grey (128,128,128) from the
 * pose, then the head (labels 4, 13) and lower body (9, 12, 16-19) pasted back from the photo.
 * `hr-viton` (default; the variant whose files HR-VITON ships as agnostic-v3.2) also pastes back arm pixels
 * that lie outside a pose-drawn arm shape and paints the neck only above the neck point.
 */
export function agnosticImage(
  rgb: Uint8Array,
  width: number,
  height: number,
  parse: LabelMap,
  keypoints: Keypoint[],
  variant: AgnosticVariant = 'hr-viton',
  options: AgnosticOptions = {},
): Uint8Array {
  checkParse(parse);
  if (rgb.length !== width * height * 3)
    throw new ParseposeError('BAD_INPUT', 'RGB buffer does not match width*height*3');
  if (parse.width !== width || parse.height !== height) {
    throw new ParseposeError(
      'BAD_INPUT',
      `label map is ${parse.width}x${parse.height} but the photo is ${width}x${height}`,
    );
  }
  const out = rgb.slice();
  const s = rgbSurface(out, width, height);
  const GREY = 128;
  const pose = normalisedPose(keypoints);
  const ok = (...ids: number[]): boolean => ids.every((i) => !isMissing(pose[i]));
  const [rs, ls, neck] = [pose[K.rShoulder], pose[K.lShoulder], pose[K.neck]];

  if (variant === 'viton-hd') {
    const r = resolveUnit(options.unit, 20, keypoints, height);
    if (ok(K.rShoulder, K.lShoulder)) drawLine(s, [pt(rs), pt(ls)], GREY, lineWidth(r * 10));
    for (const i of [K.rShoulder, K.lShoulder])
      if (ok(i)) fillEllipse(s, box(pose[i].x, pose[i].y, r * 5, r * 5), GREY);
    drawArmSegments(s, pose, r, GREY);
    drawTorso(s, pose, r, GREY);
    if (ok(K.neck)) fillRectangle(s, box(neck.x, neck.y, r * 7, r * 7), GREY);
  } else {
    const r = resolveUnit(options.unit ?? 'shoulder', 0, keypoints, height);
    drawTorso(s, pose, r, GREY);
    if (ok(K.neck)) fillRectangle(s, [neck.x - r * 5, neck.y - r * 9, neck.x + r * 5, neck.y], GREY);
    if (ok(K.rShoulder, K.lShoulder)) drawLine(s, [pt(rs), pt(ls)], GREY, lineWidth(r * 12));
    for (const i of [K.rShoulder, K.lShoulder])
      if (ok(i)) fillEllipse(s, box(pose[i].x, pose[i].y, r * 5, r * 6), GREY);
    drawArmSegments(s, pose, r, GREY);
    // arm pixels outside the arm's own pose shape get the photo back
    const shape = graySurface(new Uint8Array(width * height), width, height);
    for (const [armLabel, chain] of IMAGE_ARM_CHAINS) {
      shape.data.fill(0);
      const first = pose[chain[0]];
      if (ok(chain[0])) fillEllipse(shape, box(first.x, first.y, r * 5, r * 6), 1);
      let last: Keypoint | undefined = ok(chain[0]) ? first : undefined;
      for (const i of chain.slice(1)) {
        if (isMissing(pose[i - 1]) || isMissing(pose[i])) continue;
        drawLine(shape, [pt(pose[i - 1]), pt(pose[i])], 1, lineWidth(r * 10));
        last = pose[i];
        if (i !== chain[chain.length - 1]) fillEllipse(shape, box(last.x, last.y, r * 5, r * 5), 1);
      }
      // the reference ends with a 4r disk on the last point it reached (the wrist when present)
      if (last) fillEllipse(shape, box(last.x, last.y, r * 4, r * 4), 1);
      for (let p = 0; p < width * height; p++) {
        if (!shape.data[p] && parse.labels[p] === armLabel) {
          out[p * 3] = rgb[p * 3];
          out[p * 3 + 1] = rgb[p * 3 + 1];
          out[p * 3 + 2] = rgb[p * 3 + 2];
        }
      }
    }
  }

  const keep = new Uint8Array(256);
  for (const l of [...HEAD_LABELS, ...LOWER_LABELS]) keep[l] = 1;
  for (let p = 0; p < width * height; p++) {
    if (keep[parse.labels[p]]) {
      out[p * 3] = rgb[p * 3];
      out[p * 3 + 1] = rgb[p * 3 + 1];
      out[p * 3 + 2] = rgb[p * 3 + 2];
    }
  }
  return out;
}
