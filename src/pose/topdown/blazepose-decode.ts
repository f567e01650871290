import type { Keypoint } from '../../types.js';
import { fromCrop, type SquareRegion } from './crop.js';

/**
 * Decoding of the BlazePose GHUM landmark models (lite/full/heavy, pure). `ld_3d` holds 39 landmarks x
 * (x, y, z, visibility, presence) with x, y in pixels of the 256 x 256 input and the last two as logits;
 * the first 33 are BlazePose-33, the rest are auxiliary (body centre, top, palms).
 */
export const BLAZEPOSE_INPUT = 256;
export const BLAZEPOSE_LANDMARKS = 33;
const VALUES_PER_LANDMARK = 5;

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

export interface BlazePoseLandmark extends Keypoint {
  /** sigmoid(visibility logit): how likely the point is visible (not occluded). */
  visibility: number;
  /** sigmoid(presence logit): how likely the point is inside the crop at all. */
  presence: number;
}

/**
 * Decodes the 33 BlazePose landmarks in photo pixels. A landmark's score is visibility x presence x the
 * pose flag (the model's confidence that a person is in the crop).
 */
export function decodeBlazePose(
  ld3d: ArrayLike<number>,
  poseFlag: number,
  region: SquareRegion,
): BlazePoseLandmark[] {
  if (ld3d.length < BLAZEPOSE_LANDMARKS * VALUES_PER_LANDMARK) {
    throw new Error(`blazepose ld_3d has ${ld3d.length} values, expected >= 165`);
  }
  const out: BlazePoseLandmark[] = [];
  for (let i = 0; i < BLAZEPOSE_LANDMARKS; i++) {
    const o = i * VALUES_PER_LANDMARK;
    const { x, y } = fromCrop(region, ld3d[o] / BLAZEPOSE_INPUT, ld3d[o + 1] / BLAZEPOSE_INPUT);
    const visibility = sigmoid(ld3d[o + 3]);
    const presence = sigmoid(ld3d[o + 4]);
    out.push({ x, y, score: visibility * presence * poseFlag, visibility, presence });
  }
  return out;
}

/** BlazePose-33 indices of the feet, and the BODY_25 slots they fill. */
const FEET = [
  // side, BlazePose ankle, heel, toe (foot_index = big toe), BODY_25 ankle, heel, big toe
  { blazeAnkle: 27, blazeHeel: 29, blazeToe: 31, ankle: 14, heel: 21, bigToe: 19 }, // left
  { blazeAnkle: 28, blazeHeel: 30, blazeToe: 32, ankle: 11, heel: 24, bigToe: 22 }, // right
] as const;
const BODY25_KNEE_OF_ANKLE: Record<number, number> = { 14: 13, 11: 10 };

export interface FeetOptions {
  /**
   * BlazePose heels/toes whose presence (is the point in the crop at all) is below this are not used.
   * Visibility is not gated: a front view hides the heels behind the feet, yet OpenPose still places
   * them, and BlazePose's position for them is good; the low visibility shows in their score.
   */
  minFootPresence: number;
  /** ...nor those whose score (visibility x presence x pose flag) is below this. */
  minFootScore: number;
  /** Thunder ankles below this score carry no foot. */
  minAnkleScore: number;
  /** BlazePose's ankle must lie within this fraction of the shin length of ours. */
  maxAnkleOffset: number;
}

export const DEFAULT_FEET_OPTIONS: FeetOptions = {
  minFootPresence: 0.5,
  minFootScore: 0.1,
  minAnkleScore: 0.2,
  maxAnkleOffset: 0.35,
};

const dist = (a: { x: number; y: number }, b: { x: number; y: number }): number =>
  Math.hypot(a.x - b.x, a.y - b.y);

/**
 * Fills BODY_25 heels (21, 24) and big toes (19, 22) from BlazePose, in place. A foot is used only where
 * BlazePose is sure the point is there and its ankle agrees with ours (so a foot belongs to this leg); its heel and toe
 * keep their offsets from BlazePose's ankle but hang from our ankle, so the foot joins our skeleton.
 * BlazePose has no small toe: BODY_25 20 and 23 stay 0,0,0. Returns how many foot points were set.
 */
export function mergeFeet(
  body25: Keypoint[],
  blaze: readonly BlazePoseLandmark[],
  options: FeetOptions = DEFAULT_FEET_OPTIONS,
): number {
  const [left, right] = FEET;
  const ourL = body25[left.ankle];
  const ourR = body25[right.ankle];
  const bl = blaze[left.blazeAnkle];
  const br = blaze[right.blazeAnkle];
  // BlazePose with its legs' sides crossed relative to ours has taken the person for a back view (a face
  // cut by the frame does that), and then its feet point the wrong way: none are used.
  const crossed =
    ourL.score > 0 && ourR.score > 0 && dist(ourL, br) + dist(ourR, bl) < dist(ourL, bl) + dist(ourR, br);
  if (crossed) return 0;
  let set = 0;
  for (const side of FEET) {
    const ankle = body25[side.ankle];
    const knee = body25[BODY25_KNEE_OF_ANKLE[side.ankle]];
    if (!(ankle.score >= options.minAnkleScore)) continue;
    const shin = knee.score > 0 ? dist(knee, ankle) : 0;
    if (!(shin > 0)) continue;
    const blazeAnkle = blaze[side.blazeAnkle];
    if (dist(blazeAnkle, ankle) > options.maxAnkleOffset * shin) continue;
    const dx = ankle.x - blazeAnkle.x;
    const dy = ankle.y - blazeAnkle.y;
    for (const [from, to] of [
      [side.blazeHeel, side.heel],
      [side.blazeToe, side.bigToe],
    ] as const) {
      const p = blaze[from];
      if (!(p.presence >= options.minFootPresence && p.score >= options.minFootScore)) continue;
      body25[to] = { x: p.x + dx, y: p.y + dy, score: Math.min(p.score, ankle.score) };
      set++;
    }
  }
  return set;
}
