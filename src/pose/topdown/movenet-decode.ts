import type { Box, Keypoint } from '../../types.js';
import { fromCrop, type SquareRegion } from './crop.js';

/**
 * Decoding of MoveNet outputs (pure). Both models give COCO-17 keypoints as (y, x, score), normalised to
 * the square input they saw.
 */

export const COCO17_COUNT = 17;
/** movenet-multipose: 6 people x 56 values (17 x (y, x, s), then ymin, xmin, ymax, xmax, score). */
export const MULTIPOSE_STRIDE = 56;

export interface MultiposeDetection {
  /** COCO-17 keypoints in photo pixels. */
  keypoints: Keypoint[];
  box: Box;
  score: number;
}

/** Decodes movenet-thunder/lightning's [1, 1, 17, 3] output seen through `region`. */
export function decodeSinglePose(output: ArrayLike<number>, region: SquareRegion): Keypoint[] {
  if (output.length < COCO17_COUNT * 3)
    throw new Error(`movenet output has ${output.length} values, expected 51`);
  const kps: Keypoint[] = [];
  for (let i = 0; i < COCO17_COUNT; i++) {
    const { x, y } = fromCrop(region, output[3 * i + 1], output[3 * i]);
    kps.push({ x, y, score: output[3 * i + 2] });
  }
  return kps;
}

/** Decodes movenet-multipose's [1, 6, 56] output seen through `region`; keeps people scoring >= minScore. */
export function decodeMultipose(
  output: ArrayLike<number>,
  region: SquareRegion,
  minScore: number,
): MultiposeDetection[] {
  if (output.length % MULTIPOSE_STRIDE !== 0) {
    throw new Error(`movenet-multipose output has ${output.length} values, not a multiple of 56`);
  }
  const people: MultiposeDetection[] = [];
  for (let p = 0; p < output.length / MULTIPOSE_STRIDE; p++) {
    const o = p * MULTIPOSE_STRIDE;
    const score = output[o + 55];
    if (!(score >= minScore)) continue;
    const kps: Keypoint[] = [];
    for (let i = 0; i < COCO17_COUNT; i++) {
      const { x, y } = fromCrop(region, output[o + 3 * i + 1], output[o + 3 * i]);
      kps.push({ x, y, score: output[o + 3 * i + 2] });
    }
    const a = fromCrop(region, output[o + 52], output[o + 51]);
    const b = fromCrop(region, output[o + 54], output[o + 53]);
    people.push({ keypoints: kps, box: { x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y }, score });
  }
  return people.sort((m, n) => n.score - m.score);
}

/** Score-weighted average of two estimates of the same keypoints; scores averaged. */
export function averageKeypoints(a: readonly Keypoint[], b: readonly Keypoint[]): Keypoint[] {
  return a.map((p, i) => {
    const q = b[i];
    const wp = Math.max(p.score, 1e-6);
    const wq = Math.max(q.score, 1e-6);
    return {
      x: (p.x * wp + q.x * wq) / (wp + wq),
      y: (p.y * wp + q.y * wq) / (wp + wq),
      score: (p.score + q.score) / 2,
    };
  });
}
