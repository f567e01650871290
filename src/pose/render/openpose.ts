import type { Keypoint } from '../../types.js';
import type { Skeleton } from '../skeletons.js';
import type { ClipBox, RgbCanvas } from './raster.js';

/**
 * OpenPose's two renderers (SPEC §4), one skeleton instance at a time. Callers draw people in order,
 * then every left hand, then every right hand, as OpenPose's pose and hand renderers do.
 */

const usable = (k: Keypoint | undefined, threshold: number): k is Keypoint =>
  !!k && k.score > threshold && Number.isFinite(k.x) && Number.isFinite(k.y);

function keypointBox(kps: readonly Keypoint[], threshold: number): ClipBox | null {
  let box: ClipBox | null = null;
  for (const k of kps) {
    if (!usable(k, threshold)) continue;
    if (!box) box = { x0: k.x, y0: k.y, x1: k.x, y1: k.y };
    else {
      box.x0 = Math.min(box.x0, k.x);
      box.y0 = Math.min(box.y0, k.y);
      box.x1 = Math.max(box.x1, k.x);
      box.y1 = Math.max(box.y1, k.y);
    }
  }
  return box;
}

/** OpenPose GPU renderer's blending weight (POSE_DEFAULT_ALPHA_KEYPOINT = 0.6; hands use the same). */
export const GPU_ALPHA = 0.6;

export interface GpuSizes {
  /** Joint radius and limb half-width at scale 1 are min(W, H) / radiusDivisor and / lineDivisor. */
  radiusDivisor: number;
  lineDivisor: number;
}
/** renderPose.cu: radius = min(W,H)/100, lineWidth = min(W,H)/120. */
export const GPU_BODY_SIZES: GpuSizes = { radiusDivisor: 100, lineDivisor: 120 };
/** renderHand.cu: radius = min(W,H)/100, lineWidth = min(W,H)/80. */
export const GPU_HAND_SIZES: GpuSizes = { radiusDivisor: 100, lineDivisor: 80 };

/**
 * The GPU look try-on datasets hold (render.hu renderKeypoints): per skeleton, scale = clamp((box width +
 * box height) / 400, 0.33, 1) of its keypoint box; each limb a filled ellipse from joint to joint with
 * semi-minor axis lineWidth * scale in the second keypoint's colour, then each joint a disc of radius
 * radius * scale; everything alpha-composited at 0.6; nothing outside the box grown by 50 px.
 */
export function drawGpuSkeleton(
  canvas: RgbCanvas,
  kps: readonly Keypoint[],
  skeleton: Skeleton,
  sizes: GpuSizes,
  threshold: number,
): void {
  const box = keypointBox(kps, threshold);
  if (!box) return;
  const scale = Math.min(1, Math.max(0.33, (box.x1 - box.x0 + (box.y1 - box.y0)) / 400));
  const clip: ClipBox = { x0: box.x0 - 50, y0: box.y0 - 50, x1: box.x1 + 50, y1: box.y1 + 50 };
  const short = Math.min(canvas.width, canvas.height);
  const halfWidth = (short / sizes.lineDivisor) * scale;
  const radius = (short / sizes.radiusDivisor) * scale;
  for (const [a, b] of skeleton.limbs) {
    const ka = kps[a];
    const kb = kps[b];
    if (!usable(ka, threshold) || !usable(kb, threshold)) continue;
    canvas.fillLimbEllipse(ka.x, ka.y, kb.x, kb.y, halfWidth, skeleton.colors[b], GPU_ALPHA, clip);
  }
  kps.forEach((k, i) => {
    if (i < skeleton.colors.length && usable(k, threshold)) {
      canvas.fillDisc(k.x, k.y, radius, skeleton.colors[i], GPU_ALPHA, clip);
    }
  });
}

/** renderPose.cpp / renderHand.cpp: thicknessCircleRatio 1/75 for the body, 1/50 for hands. */
export const CPU_BODY_CIRCLE_RATIO = 1 / 75;
export const CPU_HAND_CIRCLE_RATIO = 1 / 50;

export interface CpuSizes {
  /** ratio = min(1, max(boxW/W, boxH/H)) of the keypoint box (points with score > 0.1). */
  ratio: number;
  /** t = max(round(sqrt(W*H) * circleRatio * ratio), 2). */
  thickness: number;
  /** max(1, round(0.75 t)). */
  lineWidth: number;
  /** The cv::circle radius, t / 2 in integer arithmetic. */
  circleRadius: number;
  /** The cv::circle outline thickness: t, or 1 when ratio <= 0.05. */
  circleThickness: number;
}

/** OpenPose CPU sizes for one skeleton, or null when its keypoint box has no area (it is not drawn). */
export function cpuSizes(
  kps: readonly Keypoint[],
  width: number,
  height: number,
  circleRatio: number,
): CpuSizes | null {
  const box = keypointBox(kps, 0.1);
  if (!box) return null;
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  if (!(bw * bh > 0)) return null;
  const ratio = Math.min(1, Math.max(bw / width, bh / height));
  const thickness = Math.max(Math.round(Math.sqrt(width * height) * circleRatio * ratio), 2);
  return {
    ratio,
    thickness,
    lineWidth: Math.max(1, Math.round(thickness * 0.75)),
    circleRadius: Math.floor(thickness / 2),
    circleThickness: ratio > 0.05 ? thickness : 1,
  };
}

/** OpenPose rounds keypoints to whole pixels before cv::line / cv::circle (positiveIntRound). */
const pixel = (v: number): number => Math.floor(v + 0.5);

/**
 * OpenPose CPU renderer (keypoint.cpp renderKeypointsCpu), opaque: limbs as cv::line of width lineWidth
 * (round caps) in the second keypoint's colour, then joints as cv::circle(radius t/2, thickness t), i.e.
 * an outline centred on radius t/2 that is t wide, which fills a disc of radius t/2 + t/2.
 */
export function drawCpuSkeleton(
  canvas: RgbCanvas,
  kps: readonly Keypoint[],
  skeleton: Skeleton,
  circleRatio: number,
  threshold: number,
): void {
  const sizes = cpuSizes(kps, canvas.width, canvas.height, circleRatio);
  if (!sizes) return;
  for (const [a, b] of skeleton.limbs) {
    const ka = kps[a];
    const kb = kps[b];
    if (!usable(ka, threshold) || !usable(kb, threshold)) continue;
    const half = sizes.lineWidth / 2;
    canvas.fillCapsule(pixel(ka.x), pixel(ka.y), pixel(kb.x), pixel(kb.y), half, skeleton.colors[b]);
  }
  const inner = sizes.circleRadius - sizes.circleThickness / 2;
  const outer = sizes.circleRadius + sizes.circleThickness / 2;
  kps.forEach((k, i) => {
    if (i < skeleton.colors.length && usable(k, threshold)) {
      canvas.fillRing(pixel(k.x), pixel(k.y), inner, outer, skeleton.colors[i]);
    }
  });
}
