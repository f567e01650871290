import type { SkeletonId } from '../../types.js';

/**
 * Channel layouts of OpenPose-style networks, as data. A network's output is planar-concatenated
 * heatmaps (one per part, then background) followed by PAFs; limb k joins parts `a`-`b` and its field
 * is at PAF-block channels `pafX`, `pafY` (CMU's POSE_BODY_PART_PAIRS / POSE_MAP_INDEX).
 */
export interface PafLimb {
  readonly a: number;
  readonly b: number;
  /** Channel of the x component, counted from the first PAF channel. */
  readonly pafX: number;
  readonly pafY: number;
  /**
   * OpenPose's ear-shoulder limbs: they only fill a missing end of a person that already holds the
   * other end, and never create or merge people (they exist to rescue half-visible heads).
   */
  readonly redundant?: boolean;
}

export interface PafLayout {
  readonly id: 'coco18' | 'body25';
  /** Skeleton the part indices belong to (converted with toBody25). */
  readonly skeleton: SkeletonId;
  /** Number of keypoint heatmaps (background excluded). */
  readonly parts: number;
  /** Heatmap channels including background: the PAF block starts at this channel. */
  readonly heatmapChannels: number;
  readonly pafChannels: number;
  /** Limbs in OpenPose's connection order (trees grow from the neck). */
  readonly limbs: readonly PafLimb[];
}

function limbs(
  pairs: readonly number[],
  mapIndex: readonly number[],
  redundant: readonly number[],
): PafLimb[] {
  const out: PafLimb[] = [];
  for (let k = 0; k < pairs.length / 2; k++) {
    out.push({
      a: pairs[2 * k],
      b: pairs[2 * k + 1],
      pafX: mapIndex[2 * k],
      pafY: mapIndex[2 * k + 1],
      ...(redundant.includes(k) ? { redundant: true } : {}),
    });
  }
  return out;
}

// prettier-ignore
const COCO_PAIRS = [
  1,2, 1,5, 2,3, 3,4, 5,6, 6,7, 1,8, 8,9, 9,10, 1,11, 11,12, 12,13, 1,0, 0,14, 14,16, 0,15, 15,17, 2,16, 5,17,
];
// prettier-ignore
const COCO_MAP_INDEX = [
  12,13, 20,21, 14,15, 16,17, 22,23, 24,25, 0,1, 2,3, 4,5, 6,7, 8,9, 10,11, 28,29, 30,31, 34,35, 32,33, 36,37,
  18,19, 26,27,
];

/** CMU's COCO model and tf-pose-estimation nets: 18 parts + background, 19 limbs (57 channels). */
export const COCO18_LAYOUT: PafLayout = {
  id: 'coco18',
  skeleton: 'coco18',
  parts: 18,
  heatmapChannels: 19,
  pafChannels: 38,
  limbs: limbs(COCO_PAIRS, COCO_MAP_INDEX, [17, 18]),
};

// prettier-ignore
const BODY25_PAIRS = [
  1,8, 1,2, 1,5, 2,3, 3,4, 5,6, 6,7, 8,9, 9,10, 10,11, 8,12, 12,13, 13,14, 1,0, 0,15, 15,17, 0,16, 16,18,
  2,17, 5,18, 14,19, 19,20, 14,21, 11,22, 22,23, 11,24,
];
// prettier-ignore
const BODY25_MAP_INDEX = [
  0,1, 14,15, 22,23, 16,17, 18,19, 24,25, 26,27, 6,7, 2,3, 4,5, 8,9, 10,11, 12,13, 30,31, 32,33, 36,37, 34,35,
  38,39, 20,21, 28,29, 40,41, 42,43, 44,45, 46,47, 48,49, 50,51,
];

/** CMU's BODY_25 model: 25 parts + background, 26 limbs (78 channels). */
export const BODY25_LAYOUT: PafLayout = {
  id: 'body25',
  skeleton: 'body25',
  parts: 25,
  heatmapChannels: 26,
  pafChannels: 52,
  limbs: limbs(BODY25_PAIRS, BODY25_MAP_INDEX, [18, 19]),
};

export const PAF_LAYOUTS: readonly PafLayout[] = [COCO18_LAYOUT, BODY25_LAYOUT];

/** The layout whose heatmaps + PAFs add up to `channels` (57 COCO, 78 BODY_25), or undefined. */
export function layoutForChannels(channels: number): PafLayout | undefined {
  return PAF_LAYOUTS.find((l) => l.heatmapChannels + l.pafChannels === channels);
}
