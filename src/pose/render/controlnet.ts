import type { Keypoint } from '../../types.js';
import {
  COCO_18,
  CONTROLNET_COCO18_COLORS,
  CONTROLNET_HAND_EDGE_COLORS,
  CONTROLNET_HAND_JOINT_COLOR,
  HAND_21,
  type Rgb,
} from '../skeletons.js';
import type { RgbCanvas } from './raster.js';

/**
 * controlnet_aux (open_pose/util.py) draw_bodypose / draw_handpose, opaque like OpenCV on a uint8 canvas:
 * coordinates truncated to ints, body limbs as cv2.ellipse2Poly(centre, (length/2, 4), angle, 0, 360, 1)
 * filled in int(0.6 x colour), joints cv2.circle r=4 filled; hand edges cv2.line thickness 2, hand joints
 * r=4 blue.
 */

const STICK_HALF_WIDTH = 4;
const JOINT_RADIUS = 4;

const usable = (k: Keypoint | undefined, threshold: number): k is Keypoint =>
  !!k && k.score > threshold && Number.isFinite(k.x) && Number.isFinite(k.y);

/** cvRound: nearest integer, ties to even. */
function cvRound(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** cv::ellipse2Poly with integer centre, axes and angle (degrees), vertices rounded, repeats dropped. */
export function ellipse2Poly(
  cx: number,
  cy: number,
  axisA: number,
  axisB: number,
  angleDeg: number,
  delta = 1,
): Array<[number, number]> {
  let angle = angleDeg;
  while (angle < 0) angle += 360;
  while (angle > 360) angle -= 360;
  const alpha = Math.cos((angle * Math.PI) / 180);
  const beta = Math.sin((angle * Math.PI) / 180);
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < 360 + delta; i += delta) {
    const t = (Math.min(i, 360) * Math.PI) / 180;
    const x = axisA * Math.cos(t);
    const y = axisB * Math.sin(t);
    const p: [number, number] = [cvRound(cx + x * alpha - y * beta), cvRound(cy + x * beta + y * alpha)];
    const prev = pts[pts.length - 1];
    if (!prev || prev[0] !== p[0] || prev[1] !== p[1]) pts.push(p);
  }
  return pts.length === 1
    ? [
        [cx, cy],
        [cx, cy],
      ]
    : pts;
}

const scaled = (c: Rgb, f: number): Rgb => [
  Math.floor(c[0] * f + 1e-9),
  Math.floor(c[1] * f + 1e-9),
  Math.floor(c[2] * f + 1e-9),
];

/** COCO-18 keypoints (source pixels), drawn as controlnet_aux draws one body. */
export function drawControlNetBody(canvas: RgbCanvas, kps: readonly Keypoint[], threshold: number): void {
  COCO_18.limbs.forEach(([a, b], i) => {
    const ka = kps[a];
    const kb = kps[b];
    if (!usable(ka, threshold) || !usable(kb, threshold)) return;
    const length = Math.hypot(ka.x - kb.x, ka.y - kb.y);
    const angle = Math.trunc((Math.atan2(ka.y - kb.y, ka.x - kb.x) * 180) / Math.PI);
    const poly = ellipse2Poly(
      Math.trunc((ka.x + kb.x) / 2),
      Math.trunc((ka.y + kb.y) / 2),
      Math.trunc(length / 2),
      STICK_HALF_WIDTH,
      angle,
    );
    canvas.fillConvexPolygon(poly, scaled(CONTROLNET_COCO18_COLORS[i], 0.6));
  });
  kps.forEach((k, i) => {
    if (i < CONTROLNET_COCO18_COLORS.length && usable(k, threshold)) {
      canvas.fillDisc(Math.trunc(k.x), Math.trunc(k.y), JOINT_RADIUS, CONTROLNET_COCO18_COLORS[i]);
    }
  });
}

/** One hand (21 points) as controlnet_aux draw_handpose draws it. */
export function drawControlNetHand(canvas: RgbCanvas, kps: readonly Keypoint[], threshold: number): void {
  const onImage = (k: Keypoint | undefined): k is Keypoint =>
    usable(k, threshold) && Math.trunc(k.x) > 0 && Math.trunc(k.y) > 0;
  HAND_21.limbs.forEach(([a, b], i) => {
    const ka = kps[a];
    const kb = kps[b];
    if (!onImage(ka) || !onImage(kb)) return;
    const color = CONTROLNET_HAND_EDGE_COLORS[i];
    canvas.fillCapsule(Math.trunc(ka.x), Math.trunc(ka.y), Math.trunc(kb.x), Math.trunc(kb.y), 1, color);
  });
  for (const k of kps) {
    if (onImage(k))
      canvas.fillDisc(Math.trunc(k.x), Math.trunc(k.y), JOINT_RADIUS, CONTROLNET_HAND_JOINT_COLOR);
  }
}
