import type { Keypoint, PoseFormat, SkeletonId } from '../types.js';

/**
 * Keypoint schemas as data (names, limbs in drawing order, colours), apart from any model code.
 * Converters between them are plain functions of two skeletons (SPEC §2, §4).
 */
export type Rgb = readonly [number, number, number];

export interface Skeleton {
  readonly id: SkeletonId | 'hand21';
  readonly names: readonly string[];
  /** Limbs as [from, to] keypoint indices, in OpenPose's drawing order where OpenPose defines one. */
  readonly limbs: ReadonlyArray<readonly [number, number]>;
  /** One RGB colour per keypoint (a limb takes its second keypoint's colour in OpenPose's renderer). */
  readonly colors: readonly Rgb[];
}

const BODY25_COLORS: Rgb[] = [
  [255, 0, 85],
  [255, 0, 0],
  [255, 85, 0],
  [255, 170, 0],
  [255, 255, 0],
  [170, 255, 0],
  [85, 255, 0],
  [0, 255, 0],
  [255, 0, 0],
  [0, 255, 85],
  [0, 255, 170],
  [0, 255, 255],
  [0, 170, 255],
  [0, 85, 255],
  [0, 0, 255],
  [255, 0, 170],
  [170, 0, 255],
  [255, 0, 255],
  [85, 0, 255],
  [0, 0, 255],
  [0, 0, 255],
  [0, 0, 255],
  [0, 255, 255],
  [0, 255, 255],
  [0, 255, 255],
];

export const BODY_25: Skeleton = {
  id: 'body25',
  names: [
    'Nose',
    'Neck',
    'RShoulder',
    'RElbow',
    'RWrist',
    'LShoulder',
    'LElbow',
    'LWrist',
    'MidHip',
    'RHip',
    'RKnee',
    'RAnkle',
    'LHip',
    'LKnee',
    'LAnkle',
    'REye',
    'LEye',
    'REar',
    'LEar',
    'LBigToe',
    'LSmallToe',
    'LHeel',
    'RBigToe',
    'RSmallToe',
    'RHeel',
  ],
  limbs: [
    [1, 8],
    [1, 2],
    [1, 5],
    [2, 3],
    [3, 4],
    [5, 6],
    [6, 7],
    [8, 9],
    [9, 10],
    [10, 11],
    [8, 12],
    [12, 13],
    [13, 14],
    [1, 0],
    [0, 15],
    [15, 17],
    [0, 16],
    [16, 18],
    [14, 19],
    [19, 20],
    [14, 21],
    [11, 22],
    [22, 23],
    [11, 24],
  ],
  colors: BODY25_COLORS,
};

export const COCO_18: Skeleton = {
  id: 'coco18',
  names: [
    'Nose',
    'Neck',
    'RShoulder',
    'RElbow',
    'RWrist',
    'LShoulder',
    'LElbow',
    'LWrist',
    'RHip',
    'RKnee',
    'RAnkle',
    'LHip',
    'LKnee',
    'LAnkle',
    'REye',
    'LEye',
    'REar',
    'LEar',
  ],
  limbs: [
    [1, 2],
    [1, 5],
    [2, 3],
    [3, 4],
    [5, 6],
    [6, 7],
    [1, 8],
    [8, 9],
    [9, 10],
    [1, 11],
    [11, 12],
    [12, 13],
    [1, 0],
    [0, 14],
    [14, 16],
    [0, 15],
    [15, 17],
  ],
  colors: [
    [255, 0, 85],
    [255, 0, 0],
    [255, 85, 0],
    [255, 170, 0],
    [255, 255, 0],
    [170, 255, 0],
    [85, 255, 0],
    [0, 255, 0],
    [0, 255, 85],
    [0, 255, 170],
    [0, 255, 255],
    [0, 170, 255],
    [0, 85, 255],
    [0, 0, 255],
    [255, 0, 170],
    [170, 0, 255],
    [255, 0, 255],
    [85, 0, 255],
  ],
};

export const COCO_17: Skeleton = {
  id: 'coco17',
  names: [
    'nose',
    'left_eye',
    'right_eye',
    'left_ear',
    'right_ear',
    'left_shoulder',
    'right_shoulder',
    'left_elbow',
    'right_elbow',
    'left_wrist',
    'right_wrist',
    'left_hip',
    'right_hip',
    'left_knee',
    'right_knee',
    'left_ankle',
    'right_ankle',
  ],
  limbs: [
    [15, 13],
    [13, 11],
    [16, 14],
    [14, 12],
    [11, 12],
    [5, 11],
    [6, 12],
    [5, 6],
    [5, 7],
    [6, 8],
    [7, 9],
    [8, 10],
    [1, 2],
    [0, 1],
    [0, 2],
    [1, 3],
    [2, 4],
    [3, 5],
    [4, 6],
  ],
  colors: [
    [255, 0, 85],
    [170, 0, 255],
    [255, 0, 170],
    [85, 0, 255],
    [255, 0, 255],
    [170, 255, 0],
    [255, 85, 0],
    [85, 255, 0],
    [255, 170, 0],
    [0, 255, 0],
    [255, 255, 0],
    [0, 170, 255],
    [0, 255, 85],
    [0, 85, 255],
    [0, 255, 170],
    [0, 0, 255],
    [0, 255, 255],
  ],
};

export const BLAZEPOSE_33: Skeleton = {
  id: 'blazepose33',
  names: [
    'nose',
    'left_eye_inner',
    'left_eye',
    'left_eye_outer',
    'right_eye_inner',
    'right_eye',
    'right_eye_outer',
    'left_ear',
    'right_ear',
    'mouth_left',
    'mouth_right',
    'left_shoulder',
    'right_shoulder',
    'left_elbow',
    'right_elbow',
    'left_wrist',
    'right_wrist',
    'left_pinky',
    'right_pinky',
    'left_index',
    'right_index',
    'left_thumb',
    'right_thumb',
    'left_hip',
    'right_hip',
    'left_knee',
    'right_knee',
    'left_ankle',
    'right_ankle',
    'left_heel',
    'right_heel',
    'left_foot_index',
    'right_foot_index',
  ],
  limbs: [
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 7],
    [0, 4],
    [4, 5],
    [5, 6],
    [6, 8],
    [9, 10],
    [11, 12],
    [11, 13],
    [13, 15],
    [15, 17],
    [15, 19],
    [15, 21],
    [17, 19],
    [12, 14],
    [14, 16],
    [16, 18],
    [16, 20],
    [16, 22],
    [18, 20],
    [11, 23],
    [12, 24],
    [23, 24],
    [23, 25],
    [24, 26],
    [25, 27],
    [26, 28],
    [27, 29],
    [28, 30],
    [29, 31],
    [30, 32],
    [27, 31],
    [28, 32],
  ],
  colors: Array.from({ length: 33 }, (_, i): Rgb => (i % 2 === 1 || i === 0 ? [255, 128, 0] : [0, 160, 255])),
};

/**
 * OpenPose's hand (SPEC §2: 0 wrist, then 4 points per finger, thumb to little finger), with the colours
 * both OpenPose renderers draw it in (handParameters.hpp HAND_COLORS_RENDER).
 */
export const HAND_21: Skeleton = {
  id: 'hand21',
  names: [
    'Wrist',
    'Thumb1',
    'Thumb2',
    'Thumb3',
    'Thumb4',
    'Index1',
    'Index2',
    'Index3',
    'Index4',
    'Middle1',
    'Middle2',
    'Middle3',
    'Middle4',
    'Ring1',
    'Ring2',
    'Ring3',
    'Ring4',
    'Little1',
    'Little2',
    'Little3',
    'Little4',
  ],
  limbs: [
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 4],
    [0, 5],
    [5, 6],
    [6, 7],
    [7, 8],
    [0, 9],
    [9, 10],
    [10, 11],
    [11, 12],
    [0, 13],
    [13, 14],
    [14, 15],
    [15, 16],
    [0, 17],
    [17, 18],
    [18, 19],
    [19, 20],
  ],
  colors: [
    [100, 100, 100],
    [100, 0, 0],
    [150, 0, 0],
    [200, 0, 0],
    [255, 0, 0],
    [100, 100, 0],
    [150, 150, 0],
    [200, 200, 0],
    [255, 255, 0],
    [0, 100, 50],
    [0, 150, 75],
    [0, 200, 100],
    [0, 255, 125],
    [0, 50, 100],
    [0, 75, 150],
    [0, 100, 200],
    [0, 125, 255],
    [100, 0, 100],
    [150, 0, 150],
    [200, 0, 200],
    [255, 0, 255],
  ],
};

/**
 * controlnet_aux draw_bodypose colours (RGB). Unlike OpenPose, limb i of COCO_18.limbs takes colour i (only
 * the 17 limbs are drawn) and joint k takes colour k.
 */
export const CONTROLNET_COCO18_COLORS: readonly Rgb[] = [
  [255, 0, 0],
  [255, 85, 0],
  [255, 170, 0],
  [255, 255, 0],
  [170, 255, 0],
  [85, 255, 0],
  [0, 255, 0],
  [0, 255, 85],
  [0, 255, 170],
  [0, 255, 255],
  [0, 170, 255],
  [0, 85, 255],
  [0, 0, 255],
  [85, 0, 255],
  [170, 0, 255],
  [255, 0, 255],
  [255, 0, 170],
  [255, 0, 85],
];

/** controlnet_aux draw_handpose: edge i of HAND_21.limbs is hsv(i / 20, 1, 1); joints are (0, 0, 255). */
export const CONTROLNET_HAND_EDGE_COLORS: readonly Rgb[] = HAND_21.limbs.map((_, i) =>
  hsvToRgb(i / HAND_21.limbs.length),
);
export const CONTROLNET_HAND_JOINT_COLOR: Rgb = [0, 0, 255];

/** Fully saturated, full-value HSV hue in [0, 1) to 8-bit RGB (matplotlib's hsv_to_rgb, then x255 rounded). */
function hsvToRgb(h: number): Rgb {
  const i = Math.floor(h * 6);
  const f = h * 6 - i;
  const q = 1 - f;
  const t = f;
  const [r, g, b] = [
    [1, t, 0],
    [q, 1, 0],
    [0, 1, t],
    [0, q, 1],
    [t, 0, 1],
    [1, 0, q],
  ][i % 6];
  return [Math.round(r * 255), Math.round(g * 255), Math.round(b * 255)];
}

export const SKELETONS: Readonly<Record<Exclude<SkeletonId, 'wholebody133'>, Skeleton>> = {
  body25: BODY_25,
  coco18: COCO_18,
  coco17: COCO_17,
  blazepose33: BLAZEPOSE_33,
};

export function skeletonFor(format: PoseFormat): Skeleton {
  return SKELETONS[format];
}

/** Index maps into BODY_25: `TO_BODY25[src][i]` is the BODY_25 index of source keypoint i (-1: none). */
const COCO17_TO_BODY25 = [0, 16, 15, 18, 17, 5, 2, 6, 3, 7, 4, 12, 9, 13, 10, 14, 11];
const COCO18_TO_BODY25 = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
// prettier-ignore
const BLAZEPOSE33_TO_BODY25 = [
  0, -1, 16, -1, -1, 15, -1, 18, 17, -1, -1, 5, 2, 6, 3, 7, 4, -1, -1, -1, -1, -1, -1, 12, 9, 13, 10, 14,
  11, 21, 24, 19, 22,
];
/** COCO-WholeBody 133: body 0-16 as COCO-17, then feet 17-22 = LBigToe, LSmallToe, LHeel, RBigToe, ... */
const WHOLEBODY_TO_BODY25 = [...COCO17_TO_BODY25, 19, 20, 21, 22, 23, 24];

const MISSING: Keypoint = { x: 0, y: 0, score: 0 };

function midpoint(a: Keypoint, b: Keypoint): Keypoint {
  if (a.score <= 0 || b.score <= 0) return { ...MISSING };
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, score: Math.min(a.score, b.score) };
}

/**
 * Converts keypoints of any skeleton to BODY_25. Neck and MidHip are the midpoints of the shoulders and
 * hips (OpenPose's definition) when the source has none; points the source lacks are missing (score 0).
 */
export function toBody25(from: SkeletonId, kps: readonly Keypoint[]): Keypoint[] {
  const out: Keypoint[] = Array.from({ length: 25 }, () => ({ ...MISSING }));
  if (from === 'body25') return kps.map((k) => ({ ...k }));
  const map =
    from === 'coco17'
      ? COCO17_TO_BODY25
      : from === 'coco18'
        ? COCO18_TO_BODY25
        : from === 'blazepose33'
          ? BLAZEPOSE33_TO_BODY25
          : WHOLEBODY_TO_BODY25;
  map.forEach((dst, i) => {
    if (dst >= 0 && kps[i]) out[dst] = { ...kps[i] };
  });
  if (from !== 'coco18') out[1] = midpoint(out[2], out[5]);
  out[8] = midpoint(out[9], out[12]);
  return out;
}

/** Converts BODY_25 keypoints to another output format. */
export function fromBody25(to: PoseFormat, kps: readonly Keypoint[]): Keypoint[] {
  if (to === 'body25') return kps.map((k) => ({ ...k }));
  const map = to === 'coco18' ? COCO18_TO_BODY25 : COCO17_TO_BODY25;
  return map.map((src) => ({ ...(kps[src] ?? MISSING) }));
}
