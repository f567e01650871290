import type { Keypoint } from '../../types.js';

/**
 * Rules for people cut by the photo's frame (pure). Try-on photos end at the thigh or the mouth; the
 * landmark model still guesses the parts beyond, sometimes folded back inside the photo with a low score.
 * Those guesses are removed; every other point keeps its own confidence (zeroing low-confidence points
 * that the photo does show costs accuracy).
 */

const MISSING: Keypoint = { x: 0, y: 0, score: 0 };

/**
 * A keypoint outside the photo by at most `margin` pixels is moved onto the edge; one farther out is
 * missing (0,0,0). Callers give a margin only to face points: a head cut by the frame (Dress Code photos
 * end at the mouth) still shows where its nose and eyes are, and OpenPose puts them on the edge too,
 * whereas a knee below a frame that ends at the thigh must stay missing.
 */
export function keepInFrame(k: Keypoint, width: number, height: number, margin = 0): Keypoint {
  if (!(k.score > 0) || !Number.isFinite(k.x) || !Number.isFinite(k.y)) return { ...MISSING };
  if (k.x < -margin || k.y < -margin || k.x >= width + margin || k.y >= height + margin)
    return { ...MISSING };
  return {
    x: Math.min(Math.max(k.x, 0), width - 1),
    y: Math.min(Math.max(k.y, 0), height - 1),
    score: k.score,
  };
}

/** COCO-17 limb chains from the trunk outwards: shoulder, elbow, wrist and hip, knee, ankle. */
export const COCO17_LIMB_CHAINS: ReadonlyArray<readonly number[]> = [
  [5, 7, 9],
  [6, 8, 10],
  [11, 13, 15],
  [12, 14, 16],
];

export interface FrameRuleOptions {
  /** Width of the band along the photo's edges, as a fraction of its longer side. */
  band: number;
  /** A point in the band scoring below this is where a limb leaves the photo, not a seen joint. */
  minBandScore: number;
  /** Beyond a joint where the limb leaves the photo, points scoring below this are guesses. */
  minBeyondScore: number;
}

export const DEFAULT_FRAME_RULES: FrameRuleOptions = { band: 0.03, minBandScore: 0.15, minBeyondScore: 0.3 };

/**
 * Removes guessed limb points of a person cut by the frame, in place on COCO-17 keypoints already passed
 * through `keepInFrame`. Along each limb chain, once a joint is missing or lies in the edge band (the limb
 * leaves the photo there), the joints after it are kept only when confident; a low-scoring joint in the
 * band is itself removed.
 */
export function dropOutOfFrameGuesses(
  coco17: Keypoint[],
  width: number,
  height: number,
  options: FrameRuleOptions = DEFAULT_FRAME_RULES,
): void {
  const band = options.band * Math.max(width, height);
  const inBand = (k: Keypoint): boolean =>
    k.x < band || k.y < band || k.x >= width - band || k.y >= height - band;
  for (const chain of COCO17_LIMB_CHAINS) {
    let leaves = false;
    for (const i of chain) {
      const k = coco17[i];
      if (k.score > 0 && leaves && k.score < options.minBeyondScore) coco17[i] = { ...MISSING };
      else if (k.score > 0 && inBand(k) && k.score < options.minBandScore) coco17[i] = { ...MISSING };
      const kept = coco17[i];
      if (!(kept.score > 0) || inBand(kept)) leaves = true;
    }
  }
}
