/**
 * Spatially coherent labelling on a grid: mean-field inference of a CRF with per-cell costs and a
 * contrast-sensitive Potts term on the 8-neighbourhood (neighbours of similar colour want the same label;
 * across a colour edge the pull is weak, so boundaries follow image edges).
 */
export interface CrfOptions {
  /** Mean-field iterations (default 5). */
  iterations?: number;
  /** Strength of the pairwise term between similar neighbours, in cost units (default 1.5). */
  weight?: number;
  /** Colour difference (Lab units) at which the pull falls to exp(-1/2) (default 10). */
  sigma?: number;
  /** Part of the pull that stays across any edge (default 0.15). */
  floor?: number;
}

export interface CrfResult {
  labels: Uint8Array;
  /** n x C marginals */
  q: Float32Array;
}

// neighbour offsets processed once per pair: right, down, down-right, down-left
const DIRS: ReadonlyArray<readonly [number, number, number]> = [
  [1, 0, 1],
  [0, 1, 1],
  [1, 1, Math.SQRT1_2],
  [-1, 1, Math.SQRT1_2],
];

/** Pairwise weights per cell and direction (n x 4); 0 where the neighbour is outside the grid. */
export function edgeWeights(
  lab: Float32Array,
  width: number,
  height: number,
  options: CrfOptions = {},
): Float32Array {
  const weight = options.weight ?? 1.5;
  const sigma = options.sigma ?? 10;
  const floor = options.floor ?? 0.15;
  const inv = 1 / (2 * sigma * sigma);
  const w = new Float32Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      for (let d = 0; d < 4; d++) {
        const [dx, dy, f] = DIRS[d];
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || nx >= width || ny >= height) continue;
        const j = ny * width + nx;
        const a = lab[i * 3] - lab[j * 3];
        const b = lab[i * 3 + 1] - lab[j * 3 + 1];
        const c = lab[i * 3 + 2] - lab[j * 3 + 2];
        w[i * 4 + d] = weight * f * (floor + (1 - floor) * Math.exp(-(a * a + b * b + c * c) * inv));
      }
    }
  }
  return w;
}

/**
 * Mean-field: q_i(l) ~ exp(-unary_i(l) + sum_j w_ij q_j(l)). `unary` is n x C costs (lower is better);
 * `weights` from edgeWeights. Labels costing more than `prune` above a cell's best are left out for that
 * cell (their marginal stays 0): most cells have only a few plausible labels, and a cell with one is fixed.
 */
export function meanField(
  unary: Float32Array,
  weights: Float32Array,
  width: number,
  height: number,
  C: number,
  options: CrfOptions & { prune?: number } = {},
): CrfResult {
  const n = width * height;
  const iterations = options.iterations ?? 5;
  const prune = options.prune ?? 12;
  // active labels per cell, CSR style
  const start = new Int32Array(n + 1);
  const active: number[] = [];
  for (let i = 0; i < n; i++) {
    start[i] = active.length;
    const o = i * C;
    let mn = Infinity;
    for (let c = 0; c < C; c++) if (unary[o + c] < mn) mn = unary[o + c];
    for (let c = 0; c < C; c++) if (unary[o + c] <= mn + prune) active.push(c);
  }
  start[n] = active.length;
  const act = Int32Array.from(active);
  const q = new Float32Array(n * C);
  for (let i = 0; i < n; i++) {
    const o = i * C;
    let mn = Infinity;
    for (let k = start[i]; k < start[i + 1]; k++) mn = Math.min(mn, unary[o + act[k]]);
    let s = 0;
    for (let k = start[i]; k < start[i + 1]; k++) s += Math.exp(mn - unary[o + act[k]]);
    for (let k = start[i]; k < start[i + 1]; k++) q[o + act[k]] = Math.exp(mn - unary[o + act[k]]) / s;
  }
  const next = new Float32Array(n * C);
  const e = new Float64Array(C);
  // neighbour offsets and the weight index for each of the 8 directions
  const nbDx = Int32Array.of(1, 0, 1, -1, -1, 0, -1, 1);
  const nbDy = Int32Array.of(0, 1, 1, 1, 0, -1, -1, -1);
  for (let it = 0; it < iterations; it++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        const o = i * C;
        const a0 = start[i];
        const a1 = start[i + 1];
        if (a1 - a0 === 1) {
          next[o + act[a0]] = 1;
          continue;
        }
        // energies indexed by position in the cell's active list (e[k - a0])
        const m = a1 - a0;
        for (let k = 0; k < m; k++) e[k] = unary[o + act[a0 + k]];
        for (let d = 0; d < 8; d++) {
          const nx = x + nbDx[d];
          const ny = y + nbDy[d];
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const j = ny * width + nx;
          // directions 0-3 are stored at i, their opposites (4-7) at the neighbour
          const w = d < 4 ? weights[i * 4 + d] : weights[j * 4 + d - 4];
          if (w === 0) continue;
          const oj = j * C;
          for (let k = 0; k < m; k++) e[k] -= w * q[oj + act[a0 + k]];
        }
        let mn = Infinity;
        for (let k = 0; k < m; k++) if (e[k] < mn) mn = e[k];
        let sum = 0;
        for (let k = 0; k < m; k++) {
          const v = Math.exp(mn - e[k]);
          next[o + act[a0 + k]] = v;
          sum += v;
        }
        for (let k = a0; k < a1; k++) next[o + act[k]] /= sum;
      }
    }
    q.set(next);
  }
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = act[start[i]];
    for (let k = start[i] + 1; k < start[i + 1]; k++) if (q[i * C + act[k]] > q[i * C + best]) best = act[k];
    labels[i] = best;
  }
  return { labels, q };
}
