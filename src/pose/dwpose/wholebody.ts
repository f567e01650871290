import type { Box, Keypoint, Person } from '../../types.js';
import { toBody25 } from '../skeletons.js';

/**
 * COCO-WholeBody 133 keypoints -> an OpenPose person (SPEC §2, §8): body 0-16 and feet 17-22 -> BODY_25
 * (Neck and MidHip from the shoulders and hips; real big and small toes and heels), face 23-90 -> the
 * 70-point OpenPose face (the 68 iBUG points + both pupils), hands 91-111 (left) and 112-132 (right).
 */
export const WHOLEBODY = {
  face: [23, 91],
  leftHand: [91, 112],
  rightHand: [112, 133],
} as const;

/** iBUG-68 eye contours: the person's right eye is 36-41, the left 42-47 (OpenPose points 68, 69). */
const RIGHT_EYE = [36, 37, 38, 39, 40, 41];
const LEFT_EYE = [42, 43, 44, 45, 46, 47];

const MISSING: Keypoint = { x: 0, y: 0, score: 0 };

/** Scores clamped to 0..1 (OpenPose's range); points outside the photo or with no score are missing. */
export function cleanKeypoint(k: Keypoint, width: number, height: number): Keypoint {
  if (!(k.score > 0) || k.x < 0 || k.y < 0 || k.x > width - 1 || k.y > height - 1) return { ...MISSING };
  return { x: k.x, y: k.y, score: Math.min(1, k.score) };
}

function centroid(points: readonly Keypoint[]): Keypoint {
  if (points.some((p) => !(p.score > 0))) return { ...MISSING };
  return {
    x: points.reduce((s, p) => s + p.x, 0) / points.length,
    y: points.reduce((s, p) => s + p.y, 0) / points.length,
    score: Math.min(...points.map((p) => p.score)),
  };
}

/** The OpenPose face: 68 landmarks, then the right and the left pupil (eye-contour centroids). */
export function openPoseFace(face68: readonly Keypoint[]): Keypoint[] {
  return [
    ...face68.map((k) => ({ ...k })),
    centroid(RIGHT_EYE.map((i) => face68[i])),
    centroid(LEFT_EYE.map((i) => face68[i])),
  ];
}

export function wholeBodyToPerson(
  kps133: readonly Keypoint[],
  box: Box,
  score: number,
  width: number,
  height: number,
): Person {
  if (kps133.length !== 133) throw new Error(`expected 133 COCO-WholeBody keypoints, got ${kps133.length}`);
  const clean = kps133.map((k) => cleanKeypoint(k, width, height));
  return {
    keypoints: toBody25('wholebody133', clean),
    score,
    box,
    face: openPoseFace(clean.slice(...WHOLEBODY.face)),
    handLeft: clean.slice(...WHOLEBODY.leftHand),
    handRight: clean.slice(...WHOLEBODY.rightHand),
    extra: { skeleton: 'wholebody133', keypoints: kps133.map((k) => ({ ...k })) },
  };
}
