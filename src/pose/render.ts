import type { Keypoint, Person } from '../types.js';
import { drawControlNetBody, drawControlNetHand } from './render/controlnet.js';
import {
  CPU_BODY_CIRCLE_RATIO,
  CPU_HAND_CIRCLE_RATIO,
  GPU_BODY_SIZES,
  GPU_HAND_SIZES,
  drawCpuSkeleton,
  drawGpuSkeleton,
} from './render/openpose.js';
import { RgbCanvas } from './render/raster.js';
import { HAND_21, fromBody25, skeletonFor } from './skeletons.js';

/**
 * P-map renderer (SPEC §4).
 * - 'openpose': OpenPose's GPU renderer, the look of try-on datasets' `openpose_img` (alpha 0.6 ellipses
 *   and discs, no anti-aliasing).
 * - 'openpose-cpu': OpenPose's CPU renderer (opaque cv::line / cv::circle sized from the person's box).
 * - 'controlnet': controlnet_aux's draw_bodypose (COCO-18 only).
 */
export type PoseRenderStyle = 'openpose' | 'openpose-cpu' | 'controlnet';

export interface RenderPoseOptions {
  /** Default 'openpose'. */
  style?: PoseRenderStyle;
  /** Skeleton drawn; default 'body25' ('controlnet' always draws coco18). */
  format?: 'body25' | 'coco18';
  /** RGB photo (width*height*3) to draw over (a copy; the array is not changed); default black. */
  background?: Uint8Array;
  /** Draw hand skeletons when Person.handLeft/handRight exist (default true). */
  hands?: boolean;
  /**
   * Body keypoints are drawn when score > this. Default 0.05 (OpenPose's render_threshold) for the
   * OpenPose styles, 0 for 'controlnet' (it draws every point it has).
   */
  threshold?: number;
  /** Hand keypoints are drawn when score > this. Default 0.2 (OpenPose's hand_render_threshold), 0 for 'controlnet'. */
  handThreshold?: number;
}

const OPENPOSE_RENDER_THRESHOLD = 0.05;
const OPENPOSE_HAND_RENDER_THRESHOLD = 0.2;

/** Renders people (BODY_25 keypoints in source pixels) into a width x height RGB image. */
export function renderPose(
  people: readonly Person[],
  width: number,
  height: number,
  options: RenderPoseOptions = {},
): Uint8Array {
  const canvas = new RgbCanvas(width, height, options.background);
  try {
    return draw(canvas, people, options);
  } finally {
    canvas.release();
  }
}

function draw(canvas: RgbCanvas, people: readonly Person[], options: RenderPoseOptions): Uint8Array {
  const style = options.style ?? 'openpose';
  const drawHands = options.hands ?? true;
  const hands = (side: 'handLeft' | 'handRight'): Keypoint[][] =>
    drawHands ? people.map((p) => p[side]).filter((h): h is Keypoint[] => !!h && h.length > 0) : [];

  if (style === 'controlnet') {
    const threshold = options.threshold ?? 0;
    const handThreshold = options.handThreshold ?? 0;
    // controlnet_aux draw_poses: per person, body, then left hand, then right hand.
    for (const p of people) {
      drawControlNetBody(canvas, fromBody25('coco18', p.keypoints), threshold);
      if (!drawHands) continue;
      if (p.handLeft?.length) drawControlNetHand(canvas, p.handLeft, handThreshold);
      if (p.handRight?.length) drawControlNetHand(canvas, p.handRight, handThreshold);
    }
    return canvas.toBytes();
  }
  if (style !== 'openpose' && style !== 'openpose-cpu')
    throw new RangeError(`unknown pose render style "${String(style)}"`);

  const format = options.format ?? 'body25';
  const skeleton = skeletonFor(format);
  const threshold = options.threshold ?? OPENPOSE_RENDER_THRESHOLD;
  const handThreshold = options.handThreshold ?? OPENPOSE_HAND_RENDER_THRESHOLD;
  // OpenPose renders every body first, then all left hands, then all right hands.
  const all = [...people.map((p) => fromBody25(format, p.keypoints))];
  const handSets = [...hands('handLeft'), ...hands('handRight')];
  if (style === 'openpose') {
    for (const kps of all) drawGpuSkeleton(canvas, kps, skeleton, GPU_BODY_SIZES, threshold);
    for (const h of handSets) drawGpuSkeleton(canvas, h, HAND_21, GPU_HAND_SIZES, handThreshold);
  } else {
    for (const kps of all) drawCpuSkeleton(canvas, kps, skeleton, CPU_BODY_CIRCLE_RATIO, threshold);
    for (const h of handSets) drawCpuSkeleton(canvas, h, HAND_21, CPU_HAND_CIRCLE_RATIO, handThreshold);
  }
  return canvas.toBytes();
}
