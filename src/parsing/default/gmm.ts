/**
 * Gaussian mixtures in 3-D colour space (full covariance), fitted per photo: a garment or skin region is
 * rarely one colour (folds, prints, shadows), so each appearance gets a few components.
 */
export interface Gmm {
  readonly k: number;
  readonly weights: Float64Array;
  /** k x 3 */
  readonly means: Float64Array;
  /** k x 6: inverse covariance as xx, xy, xz, yy, yz, zz */
  readonly inv: Float64Array;
  /** k: log(weight) - 0.5 * log(det(2 pi cov)) */
  readonly logConst: Float64Array;
}

import { seededRandom } from '../../util/random.js';

export { seededRandom };

export interface FitOptions {
  /** EM iterations after k-means (default 4). */
  iters?: number;
  /** Added to covariance diagonals: the smallest spread a colour may have (default 9 = 3 units). */
  reg?: number;
  /** At most this many samples are used (evenly strided; default 1500). */
  maxSamples?: number;
  seed?: number;
}

function subsample(data: Float32Array, n: number, max: number): Float32Array {
  if (n <= max) return data.subarray(0, n * 3);
  const out = new Float32Array(max * 3);
  const stride = n / max;
  for (let i = 0; i < max; i++) {
    const j = Math.floor(i * stride) * 3;
    out[i * 3] = data[j];
    out[i * 3 + 1] = data[j + 1];
    out[i * 3 + 2] = data[j + 2];
  }
  return out;
}

function setComponent(g: Gmm, c: number, w: number, cov: number[]): void {
  // cov = [xx, xy, xz, yy, yz, zz]
  const [a, b, cc, d, e, f] = cov;
  const A = d * f - e * e;
  const B = -(b * f - e * cc);
  const C = b * e - d * cc;
  const det = a * A + b * B + cc * C;
  const D = a * f - cc * cc;
  const E = -(a * e - b * cc);
  const F = a * d - b * b;
  const inv = g.inv;
  inv[c * 6] = A / det;
  inv[c * 6 + 1] = B / det;
  inv[c * 6 + 2] = C / det;
  inv[c * 6 + 3] = D / det;
  inv[c * 6 + 4] = E / det;
  inv[c * 6 + 5] = F / det;
  g.weights[c] = w;
  g.logConst[c] = Math.log(Math.max(w, 1e-12)) - 0.5 * Math.log(Math.max(det, 1e-12) * (2 * Math.PI) ** 3);
}

/** Mahalanobis distance squared of (x, y, z) to component c. */
function maha(g: Gmm, c: number, x: number, y: number, z: number): number {
  const dx = x - g.means[c * 3];
  const dy = y - g.means[c * 3 + 1];
  const dz = z - g.means[c * 3 + 2];
  const i = g.inv;
  const o = c * 6;
  return (
    i[o] * dx * dx +
    i[o + 3] * dy * dy +
    i[o + 5] * dz * dz +
    2 * (i[o + 1] * dx * dy + i[o + 2] * dx * dz + i[o + 4] * dy * dz)
  );
}

/**
 * Fits a k-component mixture to n 3-D samples (`data` is n x 3): k-means++ seeding, a few k-means steps,
 * then EM. Returns undefined when there are fewer samples than 4 per component.
 */
export function fitGmm(data: Float32Array, n: number, k: number, options: FitOptions = {}): Gmm | undefined {
  const iters = options.iters ?? 4;
  const reg = options.reg ?? 9;
  const x = subsample(data, n, options.maxSamples ?? 1500);
  const m = x.length / 3;
  if (m < 4) return undefined;
  k = Math.max(1, Math.min(k, Math.floor(m / 4)));
  const rand = seededRandom(options.seed ?? 12345);
  const means = new Float64Array(k * 3);
  // k-means++ seeding
  const d2 = new Float64Array(m).fill(Infinity);
  let pick = Math.floor(rand() * m);
  for (let c = 0; c < k; c++) {
    means[c * 3] = x[pick * 3];
    means[c * 3 + 1] = x[pick * 3 + 1];
    means[c * 3 + 2] = x[pick * 3 + 2];
    let total = 0;
    for (let i = 0; i < m; i++) {
      const dx = x[i * 3] - means[c * 3];
      const dy = x[i * 3 + 1] - means[c * 3 + 1];
      const dz = x[i * 3 + 2] - means[c * 3 + 2];
      d2[i] = Math.min(d2[i], dx * dx + dy * dy + dz * dz);
      total += d2[i];
    }
    let r = rand() * total;
    pick = m - 1;
    for (let i = 0; i < m; i++) {
      r -= d2[i];
      if (r <= 0) {
        pick = i;
        break;
      }
    }
  }
  const assign = new Int32Array(m);
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * 3);
  for (let it = 0; it < 5; it++) {
    counts.fill(0);
    sums.fill(0);
    for (let i = 0; i < m; i++) {
      let best = 0;
      let bd = Infinity;
      for (let c = 0; c < k; c++) {
        const dx = x[i * 3] - means[c * 3];
        const dy = x[i * 3 + 1] - means[c * 3 + 1];
        const dz = x[i * 3 + 2] - means[c * 3 + 2];
        const d = dx * dx + dy * dy + dz * dz;
        if (d < bd) {
          bd = d;
          best = c;
        }
      }
      assign[i] = best;
      counts[best]++;
      sums[best * 3] += x[i * 3];
      sums[best * 3 + 1] += x[i * 3 + 1];
      sums[best * 3 + 2] += x[i * 3 + 2];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) for (let j = 0; j < 3; j++) means[c * 3 + j] = sums[c * 3 + j] / counts[c];
    }
  }
  const g: Gmm = {
    k,
    weights: new Float64Array(k),
    means,
    inv: new Float64Array(k * 6),
    logConst: new Float64Array(k),
  };
  // responsibilities start hard (from k-means)
  const resp = new Float64Array(m * k);
  for (let i = 0; i < m; i++) resp[i * k + assign[i]] = 1;
  const logp = new Float64Array(k);
  for (let it = 0; it <= iters; it++) {
    // M step
    for (let c = 0; c < k; c++) {
      let w = 0;
      let sx = 0;
      let sy = 0;
      let sz = 0;
      for (let i = 0; i < m; i++) {
        const r = resp[i * k + c];
        w += r;
        sx += r * x[i * 3];
        sy += r * x[i * 3 + 1];
        sz += r * x[i * 3 + 2];
      }
      if (w < 1e-6) {
        setComponent(g, c, 1e-9, [reg, 0, 0, reg, 0, reg]);
        continue;
      }
      const mx = sx / w;
      const my = sy / w;
      const mz = sz / w;
      means[c * 3] = mx;
      means[c * 3 + 1] = my;
      means[c * 3 + 2] = mz;
      const cov = [0, 0, 0, 0, 0, 0];
      for (let i = 0; i < m; i++) {
        const r = resp[i * k + c];
        if (r === 0) continue;
        const dx = x[i * 3] - mx;
        const dy = x[i * 3 + 1] - my;
        const dz = x[i * 3 + 2] - mz;
        cov[0] += r * dx * dx;
        cov[1] += r * dx * dy;
        cov[2] += r * dx * dz;
        cov[3] += r * dy * dy;
        cov[4] += r * dy * dz;
        cov[5] += r * dz * dz;
      }
      for (let j = 0; j < 6; j++) cov[j] /= w;
      cov[0] += reg;
      cov[3] += reg;
      cov[5] += reg;
      setComponent(g, c, w / m, cov);
    }
    if (it === iters) break;
    // E step
    for (let i = 0; i < m; i++) {
      let mx = -Infinity;
      for (let c = 0; c < k; c++) {
        logp[c] = g.logConst[c] - 0.5 * maha(g, c, x[i * 3], x[i * 3 + 1], x[i * 3 + 2]);
        if (logp[c] > mx) mx = logp[c];
      }
      let s = 0;
      for (let c = 0; c < k; c++) s += Math.exp(logp[c] - mx);
      for (let c = 0; c < k; c++) resp[i * k + c] = Math.exp(logp[c] - mx) / s;
    }
  }
  return g;
}

const scratch = new Float64Array(64);

/** -log p(x) under the mixture. */
export function gmmNll(g: Gmm, x: number, y: number, z: number): number {
  let mx = -Infinity;
  for (let c = 0; c < g.k; c++) {
    const l = g.logConst[c] - 0.5 * maha(g, c, x, y, z);
    scratch[c] = l;
    if (l > mx) mx = l;
  }
  let s = 0;
  for (let c = 0; c < g.k; c++) s += Math.exp(scratch[c] - mx);
  return -(mx + Math.log(s));
}
