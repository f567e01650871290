import type { Grid } from './color.js';
import type { BodyModel } from './geometry.js';
import { PART } from './parts.js';

/**
 * Coat detection: an open outer layer over another upper garment. Seen from the front, the inner garment
 * shows as a band down the torso's centre line from the neck to the hips, with the outer garment on both
 * flanks (and usually the sleeves). A print on a T-shirt does not run the torso's whole height, and a tie
 * is too narrow to fill the central band, so neither passes.
 */
export interface CoatOptions {
  /** Lab distance between the two layers' mean colours. */
  minContrast: number;
  /** Share of the central band's rows where the inner colour fills the band. */
  minBandRows: number;
  /** Share of each flank's cells in the outer colour. */
  minFlank: number;
}

export const DEFAULT_COAT_OPTIONS: CoatOptions = { minContrast: 20, minBandRows: 0.8, minFlank: 0.45 };

const dist2 = (f: Float32Array, i: number, c: readonly number[]): number =>
  (f[i * 3] - c[0]) ** 2 + (f[i * 3 + 1] - c[1]) ** 2 + (f[i * 3 + 2] - c[2]) ** 2;

function mean(f: Float32Array, cells: readonly number[]): number[] {
  const m = [0, 0, 0];
  for (const i of cells) for (let k = 0; k < 3; k++) m[k] += f[i * 3 + k];
  return m.map((v) => v / Math.max(1, cells.length));
}

/**
 * The cells of the outer layer (1) when the person's upper garment is an open coat over another garment,
 * else undefined. `lab` is n x 3 Lab per cell (full lightness: a black top under a gray coat differs
 * mostly in L).
 */
export function findCoat(
  parts: Uint8Array,
  lab: Float32Array,
  grid: Grid,
  body: BodyModel,
  options: CoatOptions = DEFAULT_COAT_OPTIONS,
): Uint8Array | undefined {
  if (body.torso.length < 4) return undefined;
  const [rs, ls, lh, rh] = body.torso;
  const top = { x: (rs.x + ls.x) / 2, y: (rs.y + ls.y) / 2 };
  const bottom = { x: (rh.x + lh.x) / 2, y: (rh.y + lh.y) / 2 };
  const ax = bottom.x - top.x;
  const ay = bottom.y - top.y;
  const len2 = ax * ax + ay * ay;
  const half = Math.hypot(ls.x - rs.x, ls.y - rs.y) / 2;
  if (len2 < 1 || half < 1) return undefined;
  const len = Math.sqrt(len2);
  // across: perpendicular to the torso axis, towards the person's left shoulder
  let nx = -ay / len;
  let ny = ax / len;
  if ((ls.x - top.x) * nx + (ls.y - top.y) * ny < 0) {
    nx = -nx;
    ny = -ny;
  }
  const upper: number[] = [];
  const along = new Float32Array(parts.length);
  const across = new Float32Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] !== PART.UPPER) continue;
    const x = grid.x0 + ((i % grid.width) + 0.5) * grid.step - top.x;
    const y = grid.y0 + (Math.floor(i / grid.width) + 0.5) * grid.step - top.y;
    along[i] = (x * ax + y * ay) / len2;
    across[i] = (x * nx + y * ny) / half;
    upper.push(i);
  }
  const inTorso = (i: number): boolean => along[i] > 0.1 && along[i] < 0.9;
  // the opening need not sit on the skeleton's centre line (a coat hangs open to one side)
  const central = upper.filter((i) => inTorso(i) && Math.abs(across[i]) < 0.45);
  // flanks: out to the garment's edge (a coat is wider than the shoulders' keypoints)
  const flanks = upper.filter((i) => inTorso(i) && Math.abs(across[i]) > 0.75);
  if (central.length < 10 || flanks.length < 20) return undefined;
  // two colours by k-means, started from the central band and the flanks
  let inner = mean(lab, central);
  let outer = mean(lab, flanks);
  const isOuter = new Uint8Array(parts.length);
  for (let it = 0; it < 5; it++) {
    const a: number[] = [];
    const b: number[] = [];
    for (const i of upper) {
      const o = dist2(lab, i, outer) < dist2(lab, i, inner);
      isOuter[i] = o ? 1 : 0;
      (o ? b : a).push(i);
    }
    if (!a.length || !b.length) return undefined;
    inner = mean(lab, a);
    outer = mean(lab, b);
  }
  if (Math.sqrt(inner.reduce((s, v, k) => s + (v - outer[k]) ** 2, 0)) < options.minContrast)
    return undefined;
  // the inner colour fills the central band from the neck to the hips
  const bins = 8;
  const inBin = new Float32Array(bins);
  const allBin = new Float32Array(bins);
  for (const i of central) {
    const b = Math.min(bins - 1, Math.floor(((along[i] - 0.1) / 0.8) * bins));
    allBin[b]++;
    if (!isOuter[i]) inBin[b]++;
  }
  let rows = 0;
  for (let b = 0; b < bins; b++) if (allBin[b] && inBin[b] / allBin[b] >= 0.35) rows++;
  if (rows / bins < options.minBandRows) return undefined;
  // the outer colour on both flanks
  for (const side of [-1, 1]) {
    const cells = flanks.filter((i) => Math.sign(across[i]) === side);
    if (cells.length < 10) return undefined;
    const outerShare = cells.filter((i) => isOuter[i]).length / cells.length;
    if (outerShare < options.minFlank) return undefined;
  }
  return isOuter;
}
