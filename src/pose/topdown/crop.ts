import type { Box, Keypoint } from '../../types.js';
import { pointBounds } from '../../util/bounds.js';

/**
 * Square crop geometry for the top-down pipeline (pure; no tensors). A crop is a square region of the
 * source photo in continuous pixel coordinates (pixel i covers [i, i+1)); parts of it outside the photo
 * are black. Models see the region resized to `outSize` x `outSize` and return coordinates normalised
 * to it, which `fromCrop` maps back to photo pixels.
 */
export interface SquareRegion {
  /** Centre, photo pixels. */
  cx: number;
  cy: number;
  /** Side length, photo pixels. */
  size: number;
}

/** COCO-17 indices MoveNet's cropping uses. */
const L_SHOULDER = 5;
const R_SHOULDER = 6;
const L_HIP = 11;
const R_HIP = 12;
const TORSO = [L_SHOULDER, R_SHOULDER, L_HIP, R_HIP];

/** MoveNet's own threshold for keypoints that shape the next crop. */
export const MIN_CROP_KEYPOINT_SCORE = 0.2;

/** The whole photo padded to a centred square (letterbox): what the whole-image detector sees. */
export function letterboxRegion(width: number, height: number): SquareRegion {
  return { cx: width / 2, cy: height / 2, size: Math.max(width, height) };
}

/**
 * The box `tf.image.cropAndResize` needs ([y1, x1, y2, x2], normalised by (H-1) and (W-1)) so that output
 * pixel j samples the centre of the j-th of `outSize` equal cells of the region.
 */
export function cropAndResizeBox(
  region: SquareRegion,
  imageWidth: number,
  imageHeight: number,
  outSize: number,
  /** Scale of the image being sampled relative to the photo (0.5 for a half-resolution level). */
  levelScale = 1,
): [number, number, number, number] {
  const size = region.size * levelScale;
  const x0 = (region.cx - region.size / 2) * levelScale;
  const y0 = (region.cy - region.size / 2) * levelScale;
  const cell = size / outSize;
  const first = (v0: number): number => v0 + cell / 2 - 0.5;
  const span = cell * (outSize - 1);
  const wm1 = Math.max(1, imageWidth - 1);
  const hm1 = Math.max(1, imageHeight - 1);
  const fx = first(x0);
  const fy = first(y0);
  return [fy / hm1, fx / wm1, (fy + span) / hm1, (fx + span) / wm1];
}

/** Maps a model coordinate normalised to the crop (0..1, x right, y down) back to photo pixels. */
export function fromCrop(region: SquareRegion, u: number, v: number): { x: number; y: number } {
  return { x: region.cx + (u - 0.5) * region.size, y: region.cy + (v - 0.5) * region.size };
}

/** A square region centred on a box, its side `scale` times the box's longer side. */
export function boxRegion(box: Box, scale = 1.25): SquareRegion {
  return {
    cx: box.x + box.width / 2,
    cy: box.y + box.height / 2,
    size: Math.max(1, Math.max(box.width, box.height) * scale),
  };
}

/**
 * MoveNet's cropping (the `determine_crop_region` of its reference code): a square centred on the hips,
 * its half side the largest of 1.9 x the torso's extent and 1.2 x the body's extent around that centre,
 * capped at the distance to the farthest photo edge. Unlike the single-person original it never falls back
 * to the whole photo (that would hand the crop to someone else); it returns undefined when the torso is
 * not visible, and the caller uses the person's box instead.
 */
export function moveNetCropRegion(
  coco17: readonly Keypoint[],
  imageWidth: number,
  imageHeight: number,
  minScore = MIN_CROP_KEYPOINT_SCORE,
): SquareRegion | undefined {
  const ok = (i: number): boolean => (coco17[i]?.score ?? 0) > minScore;
  const torsoVisible = (ok(L_HIP) || ok(R_HIP)) && (ok(L_SHOULDER) || ok(R_SHOULDER));
  if (!torsoVisible) return undefined;
  // MoveNet centres on the mid-hip whatever the hips' scores once the torso counts as visible.
  const cx = (coco17[L_HIP].x + coco17[R_HIP].x) / 2;
  const cy = (coco17[L_HIP].y + coco17[R_HIP].y) / 2;
  let torsoX = 0;
  let torsoY = 0;
  for (const i of TORSO) {
    torsoX = Math.max(torsoX, Math.abs(cx - coco17[i].x));
    torsoY = Math.max(torsoY, Math.abs(cy - coco17[i].y));
  }
  let bodyX = 0;
  let bodyY = 0;
  coco17.forEach((k, i) => {
    if (!ok(i)) return;
    bodyX = Math.max(bodyX, Math.abs(cx - k.x));
    bodyY = Math.max(bodyY, Math.abs(cy - k.y));
  });
  let half = Math.max(torsoX * 1.9, torsoY * 1.9, bodyX * 1.2, bodyY * 1.2);
  half = Math.min(half, Math.max(cx, imageWidth - cx, cy, imageHeight - cy));
  if (!(half > 0) || !Number.isFinite(half)) return undefined;
  return { cx, cy, size: 2 * half };
}

/** Smallest box holding the keypoints with score > minScore (undefined when none). */
export function keypointBox(kps: readonly Keypoint[], minScore = 0): Box | undefined {
  const b = pointBounds(kps.filter((k) => k.score > minScore));
  return b && { x: b.x0, y: b.y0, width: b.x1 - b.x0, height: b.y1 - b.y0 };
}

/**
 * Which level of a 2x average-pooled pyramid to sample a crop from, so that the resize never shrinks by
 * more than 2x (bilinear sampling without a prefilter aliases beyond that).
 */
export function pyramidLevel(region: SquareRegion, outSize: number, maxLevel: number): number {
  const shrink = region.size / outSize;
  let level = 0;
  while (level < maxLevel && shrink / 2 ** (level + 1) >= 1) level++;
  return level;
}
