import type { Keypoint } from '../../types.js';

/**
 * Object keypoint similarity between two estimates (pure), for suppressing duplicate people: two crops
 * that latch onto the same body give nearly the same 17 points.
 */

/** COCO-17 per-keypoint sigmas (SPEC §9). */
export const COCO17_SIGMAS = [
  0.026, 0.025, 0.025, 0.035, 0.035, 0.079, 0.079, 0.072, 0.072, 0.062, 0.062, 0.107, 0.107, 0.087, 0.087,
  0.089, 0.089,
];

/**
 * OKS of two COCO-17 estimates, averaged over all 17 points (a low-confidence point is still a guess of
 * where that joint is, and duplicates agree on those too). `area` is the object scale s^2 in pixels^2.
 */
export function keypointSimilarity(a: readonly Keypoint[], b: readonly Keypoint[], area: number): number {
  const s2 = Math.max(area, 1);
  let sum = 0;
  for (let i = 0; i < COCO17_SIGMAS.length; i++) {
    const dx = a[i].x - b[i].x;
    const dy = a[i].y - b[i].y;
    const k = 2 * COCO17_SIGMAS[i];
    sum += Math.exp(-(dx * dx + dy * dy) / (2 * s2 * k * k));
  }
  return sum / COCO17_SIGMAS.length;
}

/**
 * Greedy non-maximum suppression by OKS: candidates in the given order (best first); one is a duplicate
 * when its OKS with an already kept one exceeds `threshold`. Returns, for each candidate, the index of
 * the kept candidate it duplicates, or -1 when it is kept.
 */
export function oksSuppression(
  candidates: ReadonlyArray<{ keypoints: readonly Keypoint[]; area: number }>,
  threshold = 0.5,
): number[] {
  const kept: number[] = [];
  return candidates.map((c, i) => {
    for (const j of kept) {
      const area = (c.area + candidates[j].area) / 2;
      if (keypointSimilarity(c.keypoints, candidates[j].keypoints, area) > threshold) return j;
    }
    kept.push(i);
    return -1;
  });
}
