import type { Keypoint, Photo } from '../../types.js';
import { rgbToLab } from './color.js';
import { ellipseRadius, MIN_SCORE, type Ellipse } from './geometry.js';

/**
 * Which way a person faces, and the person's own left/right. A pose network decides "front or back" from
 * the whole body and can read a person facing the camera as seen from behind, which swaps every left/right
 * label. When two networks (the pose given and BlazePose) disagree, the face settles it: a face showing
 * skin is seen from the front.
 */

/** BODY_25 left/right pairs (shoulder..wrist, hip..ankle, eyes, ears, feet). */
const BODY25_PAIRS: ReadonlyArray<readonly [number, number]> = [
  [2, 5],
  [3, 6],
  [4, 7],
  [9, 12],
  [10, 13],
  [11, 14],
  [15, 16],
  [17, 18],
  [19, 22],
  [20, 23],
  [21, 24],
];

/** BlazePose-33 left/right pairs: face points 1-10, then odd/even from the shoulders to the toes. */
const BLAZE_PAIRS: ReadonlyArray<readonly [number, number]> = [
  [1, 4],
  [2, 5],
  [3, 6],
  [7, 8],
  [9, 10],
  ...Array.from({ length: 11 }, (_, i): [number, number] => [11 + 2 * i, 12 + 2 * i]),
];

function swapped(kps: readonly Keypoint[], pairs: ReadonlyArray<readonly [number, number]>): Keypoint[] {
  const out = kps.map((k) => ({ ...k }));
  for (const [a, b] of pairs) {
    if (a >= out.length || b >= out.length) continue;
    out[a] = { ...kps[b] };
    out[b] = { ...kps[a] };
  }
  return out;
}

/** BODY_25 keypoints with every left/right pair exchanged. */
export const swapBody25Sides = (kps: readonly Keypoint[]): Keypoint[] => swapped(kps, BODY25_PAIRS);
/** BlazePose-33 landmarks with every left/right pair exchanged. */
export const swapBlazeSides = (kps: readonly Keypoint[]): Keypoint[] => swapped(kps, BLAZE_PAIRS);

/**
 * > 0 when the torso faces the camera, < 0 when seen from behind, 0 when unknown: the sign of the cross
 * product of the torso's up direction (hips to shoulders) and the right-to-left shoulder (or hip) vector.
 * For an upright person seen from the front, the left shoulder is on the image right.
 */
export function torsoFacing(
  rShoulder: Keypoint,
  lShoulder: Keypoint,
  rHip: Keypoint,
  lHip: Keypoint,
  minScore = MIN_SCORE,
): number {
  const ok = (k: Keypoint): boolean => k.score >= minScore;
  if (!ok(rShoulder) || !ok(lShoulder)) return 0;
  const sx = (rShoulder.x + lShoulder.x) / 2;
  const sy = (rShoulder.y + lShoulder.y) / 2;
  let ux = 0;
  let uy = -1;
  let side = { x: lShoulder.x - rShoulder.x, y: lShoulder.y - rShoulder.y };
  if (ok(rHip) && ok(lHip)) {
    const hx = (rHip.x + lHip.x) / 2;
    const hy = (rHip.y + lHip.y) / 2;
    const d = Math.hypot(sx - hx, sy - hy);
    if (d > 0) {
      ux = (sx - hx) / d;
      uy = (sy - hy) / d;
    }
    // shoulders and hips together: a twisted torso still has one dominant direction
    side = { x: side.x + lHip.x - rHip.x, y: side.y + lHip.y - rHip.y };
  }
  const cross = ux * side.y - uy * side.x;
  const len = Math.hypot(side.x, side.y);
  if (!(len > 0)) return 0;
  return cross / len;
}

export const body25Facing = (k: readonly Keypoint[]): number => torsoFacing(k[2], k[5], k[9], k[12]);
export const blazeFacing = (k: readonly Keypoint[]): number => torsoFacing(k[12], k[11], k[24], k[23], 0.3);

/**
 * Fraction of the face ellipse's inner part (normalised radius < 0.8) whose colour could be skin
 * (warm hue, some chroma, not dark): high for a face seen from the front even behind a mask or glasses,
 * low for the back of a head.
 */
export function faceSkinFraction(photo: Photo, face: Ellipse): number {
  const R = Math.max(face.rx, face.ry);
  const x0 = Math.max(0, Math.floor(face.cx - R));
  const x1 = Math.min(photo.width, Math.ceil(face.cx + R));
  const y0 = Math.max(0, Math.floor(face.cy - R));
  const y1 = Math.min(photo.height, Math.ceil(face.cy + R));
  // at most ~2000 samples: a big face needs no more
  const stride = Math.max(1, Math.floor(Math.sqrt(((x1 - x0) * (y1 - y0)) / 2000)));
  let n = 0;
  let skin = 0;
  for (let y = y0; y < y1; y += stride) {
    for (let x = x0; x < x1; x += stride) {
      if (ellipseRadius(x + 0.5, y + 0.5, face) > 0.8) continue;
      const p = (y * photo.width + x) * 3;
      const [L, a, b] = rgbToLab(photo.rgb[p], photo.rgb[p + 1], photo.rgb[p + 2]);
      n++;
      if (L < 30 || a < 2 || b < 3) continue;
      const hue = (Math.atan2(b, a) * 180) / Math.PI;
      if (hue > 15 && hue < 85 && Math.hypot(a, b) > 6) skin++;
    }
  }
  return n ? skin / n : 0;
}

/** Face skin fraction above which the person is taken to face the camera. */
export const FRONT_FACE_SKIN = 0.3;

/**
 * Whether the pose's left/right labels should be exchanged: only when BlazePose reads the torso the other
 * way round and the face agrees with BlazePose (skin showing: front; none: back).
 */
export function shouldSwapSides(poseFacing: number, blazeFacing: number, faceSkin: number): boolean {
  if (poseFacing === 0 || blazeFacing === 0 || Math.sign(poseFacing) === Math.sign(blazeFacing)) return false;
  const front = faceSkin >= FRONT_FACE_SKIN;
  return front ? poseFacing < 0 : poseFacing > 0;
}
