import type { LimbCandidate } from './limbs.js';

/**
 * Bipartite matching of one limb's candidates: each peak of either part joins at most one limb of this
 * type. Both functions return the chosen candidates, best score first.
 */
export type MatchingMethod = 'greedy' | 'hungarian';

const byScore = (p: LimbCandidate, q: LimbCandidate): number => q.score - p.score || p.a - q.a || p.b - q.b;

/** OpenPose's matching: take candidates in descending score order while both ends are free. */
export function matchGreedy(
  candidates: readonly LimbCandidate[],
  countA: number,
  countB: number,
): LimbCandidate[] {
  const usedA = new Uint8Array(countA);
  const usedB = new Uint8Array(countB);
  const limit = Math.min(countA, countB);
  const out: LimbCandidate[] = [];
  for (const c of [...candidates].sort(byScore)) {
    if (usedA[c.a] || usedB[c.b]) continue;
    usedA[c.a] = 1;
    usedB[c.b] = 1;
    out.push(c);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Maximum-total-score matching (Hungarian / Kuhn-Munkres, O(n^2 m)). Pairs without a candidate weigh
 * 0, so the optimal assignment restricted to real candidates is a maximum-weight matching.
 */
export function matchHungarian(
  candidates: readonly LimbCandidate[],
  countA: number,
  countB: number,
): LimbCandidate[] {
  if (candidates.length === 0) return [];
  // Rows must not outnumber columns: transpose when A has more peaks.
  const transpose = countA > countB;
  const n = transpose ? countB : countA;
  const m = transpose ? countA : countB;
  const weight = new Float64Array(n * m);
  const best = new Map<number, LimbCandidate>();
  for (const c of candidates) {
    const r = transpose ? c.b : c.a;
    const col = transpose ? c.a : c.b;
    if (c.score > weight[r * m + col]) {
      weight[r * m + col] = c.score;
      best.set(r * m + col, c);
    }
  }
  // e-maxx formulation, 1-based, minimising cost = -weight.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row matched to column j
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = -weight[(i0 - 1) * m + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  const out: LimbCandidate[] = [];
  for (let j = 1; j <= m; j++) {
    if (p[j] === 0) continue;
    const c = best.get((p[j] - 1) * m + (j - 1));
    if (c) out.push(c);
  }
  return out.sort(byScore);
}

export function matchLimb(
  method: MatchingMethod,
  candidates: readonly LimbCandidate[],
  countA: number,
  countB: number,
): LimbCandidate[] {
  return method === 'hungarian'
    ? matchHungarian(candidates, countA, countB)
    : matchGreedy(candidates, countA, countB);
}
