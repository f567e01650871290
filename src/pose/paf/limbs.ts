import type { Peak } from './peaks.js';

/**
 * Limb candidates: every pair (a_i, b_j) of peaks of a limb's two parts, scored by the line integral of
 * the limb's Part Affinity Field along the segment a_i -> b_j (SPEC §5, Cao et al.).
 */
export interface LimbCandidate {
  /** Index into the `a` part's peaks. */
  a: number;
  /** Index into the `b` part's peaks. */
  b: number;
  /** Mean PAF alignment plus the distance prior; > 0 for every kept candidate. */
  score: number;
}

export interface LimbScoreOptions {
  /** Points sampled on the segment, endpoints included (OpenPose: 10). */
  samples: number;
  /** A sample "agrees" when field . unit(a->b) exceeds this (OpenPose's inter_threshold, 0.05). */
  pafThreshold: number;
  /** Keep a pair only if more than this fraction of samples agree (the paper's 0.8). */
  minAboveFraction: number;
  /**
   * Length scale of the distance prior `min(0.5 * priorHeight / |ab| - 1, 0)`: limbs longer than half
   * of it are penalised. The image height in map pixels.
   */
  priorHeight: number;
}

/** Bilinear sample of a map at a real position (clamped to the map). */
export function sampleBilinear(
  map: Float32Array,
  width: number,
  height: number,
  x: number,
  y: number,
): number {
  const cx = x < 0 ? 0 : x > width - 1 ? width - 1 : x;
  const cy = y < 0 ? 0 : y > height - 1 ? height - 1 : y;
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = x0 + 1 < width ? x0 + 1 : x0;
  const y1 = y0 + 1 < height ? y0 + 1 : y0;
  const fx = cx - x0;
  const fy = cy - y0;
  const top = map[y0 * width + x0] * (1 - fx) + map[y0 * width + x1] * fx;
  const bottom = map[y1 * width + x0] * (1 - fx) + map[y1 * width + x1] * fx;
  return top * (1 - fy) + bottom * fy;
}

/**
 * Scores one segment. Returns undefined when it fails the agreement criterion or scores <= 0.
 */
export function scoreSegment(
  a: Peak,
  b: Peak,
  pafX: Float32Array,
  pafY: Float32Array,
  width: number,
  height: number,
  o: LimbScoreOptions,
): number | undefined {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = Math.hypot(dx, dy);
  if (length < 1e-6) return undefined;
  const ux = dx / length;
  const uy = dy / length;
  const n = Math.max(2, o.samples);
  let sum = 0;
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const t = i / (n - 1);
    const x = a.x + t * dx;
    const y = a.y + t * dy;
    const s = ux * sampleBilinear(pafX, width, height, x, y) + uy * sampleBilinear(pafY, width, height, x, y);
    sum += s;
    if (s > o.pafThreshold) agree++;
  }
  if (!(agree > o.minAboveFraction * n)) return undefined;
  const score = sum / n + Math.min((0.5 * o.priorHeight) / length - 1, 0);
  return score > 0 ? score : undefined;
}

/** All accepted candidates of one limb, unsorted. */
export function scoreLimbCandidates(
  peaksA: readonly Peak[],
  peaksB: readonly Peak[],
  pafX: Float32Array,
  pafY: Float32Array,
  width: number,
  height: number,
  o: LimbScoreOptions,
): LimbCandidate[] {
  const out: LimbCandidate[] = [];
  for (let i = 0; i < peaksA.length; i++) {
    for (let j = 0; j < peaksB.length; j++) {
      const score = scoreSegment(peaksA[i], peaksB[j], pafX, pafY, width, height, o);
      if (score !== undefined) out.push({ a: i, b: j, score });
    }
  }
  return out;
}
