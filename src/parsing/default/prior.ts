import type { BodyPixProbabilities } from '../bodypix/decode.js';
import type { Grid } from './color.js';
import { PART, PART_COUNT } from './parts.js';

/**
 * An optional learned body-part prior for the default parser: BodyPix's 24 part probabilities (where the
 * face, each arm, the torso, each leg and foot are) turned into a cost per grid cell and part. BodyPix
 * knows bodies, not garments, so a garment part takes the body parts it covers.
 */

// BodyPix channels (BODYPIX_PARTS order)
const FACE = [0, 1];
const L_ARM = [2, 3, 6, 7, 10];
const R_ARM = [4, 5, 8, 9, 11];
const TORSO = [12, 13];
const L_LEG = [14, 15, 18, 19];
const R_LEG = [16, 17, 20, 21];
const L_FOOT = [22];
const R_FOOT = [23];

/** BodyPix channels each part of the default parser may lie on (background: none, uses 1 - P(person)). */
export const PART_BODYPIX: readonly (readonly number[])[] = (() => {
  const t: number[][] = Array.from({ length: PART_COUNT }, () => []);
  t[PART.HAIR] = [...FACE];
  t[PART.HAT] = [...FACE];
  t[PART.FACE] = [...FACE];
  t[PART.NECK] = [...FACE, ...TORSO];
  t[PART.UPPER] = [...TORSO, ...L_ARM, ...R_ARM];
  t[PART.LOWER] = [...TORSO, ...L_LEG, ...R_LEG];
  t[PART.ARM_R] = [...R_ARM];
  t[PART.ARM_L] = [...L_ARM];
  t[PART.LEG_R] = [...R_LEG, ...R_FOOT];
  t[PART.LEG_L] = [...L_LEG, ...L_FOOT];
  t[PART.SHOE_R] = [...R_FOOT, 20, 21];
  t[PART.SHOE_L] = [...L_FOOT, 18, 19];
  return t;
})();

/**
 * n x PART_COUNT costs: weight * -log(P(the part's body region) + floor), sampled at each cell centre,
 * minus the cell's smallest cost (only the differences between parts matter).
 */
export function bodyPixCellCosts(
  bp: BodyPixProbabilities,
  grid: Grid,
  weight: number,
  floor = 0.05,
): Float32Array {
  const n = grid.width * grid.height;
  const out = new Float32Array(n * PART_COUNT);
  const plane = bp.width * bp.height;
  for (let gy = 0; gy < grid.height; gy++) {
    const y = Math.min(bp.height - 1, Math.max(0, Math.floor(grid.y0 + (gy + 0.5) * grid.step)));
    for (let gx = 0; gx < grid.width; gx++) {
      const x = Math.min(bp.width - 1, Math.max(0, Math.floor(grid.x0 + (gx + 0.5) * grid.step)));
      const pi = y * bp.width + x;
      const o = (gy * grid.width + gx) * PART_COUNT;
      let mn = Infinity;
      for (let p = 0; p < PART_COUNT; p++) {
        let prob = 0;
        if (p === PART.BG) prob = 1 - bp.person[pi];
        else for (const c of PART_BODYPIX[p]) prob += bp.parts[c * plane + pi];
        const cost = -Math.log(Math.min(1, prob) + floor) * weight;
        out[o + p] = cost;
        if (cost < mn) mn = cost;
      }
      for (let p = 0; p < PART_COUNT; p++) out[o + p] -= mn;
    }
  }
  return out;
}
