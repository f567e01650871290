import type { Grid } from './color.js';
import { labelComponents, mergeComponents } from './components.js';
import { chainDistance, polygonSignedDistance, type BodyModel, type Chain } from './geometry.js';
import { gmmNll, type Gmm } from './gmm.js';
import { APPEARANCE, CIHP, PART, PART_COUNT, PART_TO_CIHP } from './parts.js';

/**
 * Clean-up rules on a person's coarse part map, and the garment decisions labels alone cannot make:
 * hair away from the head is not hair, one garment of one colour from shoulders to thighs is a dress,
 * a lower garment with no gap between the legs is a skirt.
 */

/** The best part for a cell other than the excluded ones, by the CRF marginals. */
function bestOther(q: Float32Array, i: number, exclude: readonly number[]): number {
  let best: number = PART.BG;
  let bv = -1;
  for (let p = 0; p < PART_COUNT; p++) {
    if (exclude.includes(p)) continue;
    const v = q[i * PART_COUNT + p];
    if (v > bv) {
      bv = v;
      best = p;
    }
  }
  return best;
}

/** Hair (and hat) blobs that do not reach the head circle become their next-best part. */
export function cleanHair(parts: Uint8Array, q: Float32Array, grid: Grid, body: BodyModel): number {
  const comps = labelComponents(parts, grid.width, grid.height, (l) => l === PART.HAIR || l === PART.HAT);
  const touches = new Uint8Array(comps.count);
  const head = body.head;
  if (head) {
    for (let i = 0; i < parts.length; i++) {
      const c = comps.ids[i];
      if (c < 0 || touches[c]) continue;
      const x = grid.x0 + ((i % grid.width) + 0.5) * grid.step;
      const y = grid.y0 + (Math.floor(i / grid.width) + 0.5) * grid.step;
      if (Math.hypot(x - head.cx, y - head.cy) < head.r * 1.1) touches[c] = 1;
    }
  }
  let changed = 0;
  for (let i = 0; i < parts.length; i++) {
    const c = comps.ids[i];
    if (c >= 0 && !touches[c]) {
      parts[i] = bestOther(q, i, [PART.HAIR, PART.HAT]);
      changed++;
    }
  }
  return changed;
}

/**
 * Top blobs that reach neither the torso nor an arm become their next-best part: a top hangs from the
 * shoulders, so a detached patch of its colour (a lit hair edge, a shirt-coloured wall beside the head) is
 * not it. Off without a torso (the zone is unknown).
 */
export function cleanDetachedTop(parts: Uint8Array, q: Float32Array, grid: Grid, body: BodyModel): number {
  if (body.torso.length < 4) return 0;
  const comps = labelComponents(parts, grid.width, grid.height, (l) => l === PART.UPPER);
  const reaches = new Uint8Array(comps.count);
  const arms = body.arms.filter((a): a is Chain => !!a);
  const margin = 0.12 * body.scale;
  for (let i = 0; i < parts.length; i++) {
    const c = comps.ids[i];
    if (c < 0 || reaches[c]) continue;
    const x = grid.x0 + ((i % grid.width) + 0.5) * grid.step;
    const y = grid.y0 + (Math.floor(i / grid.width) + 0.5) * grid.step;
    if (
      polygonSignedDistance(x, y, body.torso) < margin ||
      arms.some((a) => chainDistance(x, y, a) < a.radius)
    )
      reaches[c] = 1;
  }
  let changed = 0;
  for (let i = 0; i < parts.length; i++) {
    const c = comps.ids[i];
    if (c >= 0 && !reaches[c]) {
      parts[i] = bestOther(q, i, [PART.UPPER]);
      changed++;
    }
  }
  return changed;
}

/**
 * Leg-skin blobs smaller than `minCells` become their next-best part: a leg shows as a long limb, a few
 * skin-toned cells at a hem or a photo's bottom edge are not one.
 */
export function dropSmallLegs(parts: Uint8Array, q: Float32Array, grid: Grid, minCells: number): number {
  let changed = 0;
  for (const leg of [PART.LEG_R, PART.LEG_L]) {
    const comps = labelComponents(parts, grid.width, grid.height, (l) => l === leg);
    for (let i = 0; i < parts.length; i++) {
      const c = comps.ids[i];
      if (c >= 0 && comps.sizes[c] < minCells) {
        parts[i] = bestOther(q, i, [leg]);
        changed++;
      }
    }
  }
  return changed;
}

/** Blobs smaller than `minCells` take their neighbours' part (background blobs inside the person too). */
export function removeSpecks(parts: Uint8Array, grid: Grid, minCells: number): number {
  const comps = labelComponents(parts, grid.width, grid.height);
  return mergeComponents(parts, grid.width, grid.height, comps, (c) => comps.sizes[c] < minCells);
}

/**
 * Whether the upper and lower garments are one garment: each model explains most of the other's cells
 * about as well as its own.
 */
export function sameGarment(
  parts: Uint8Array,
  features: Float32Array,
  upper: Gmm | undefined,
  lower: Gmm | undefined,
  margin = 2.5,
): boolean {
  if (!upper || !lower) return false;
  let nu = 0;
  let nl = 0;
  let okU = 0;
  let okL = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p !== PART.UPPER && p !== PART.LOWER) continue;
    const a = gmmNll(upper, features[i * 3], features[i * 3 + 1], features[i * 3 + 2]);
    const b = gmmNll(lower, features[i * 3], features[i * 3 + 1], features[i * 3 + 2]);
    if (p === PART.UPPER) {
      nu++;
      if (b < a + margin) okU++;
    } else {
      nl++;
      if (a < b + margin) okL++;
    }
  }
  if (nu < 10 || nl < 10) return false;
  return okU / nu > 0.6 && okL / nl > 0.6;
}

/** x of a chain's centre line at height y (undefined when the chain does not span y). */
export function chainXAt(chain: Chain, y: number): number | undefined {
  const p = chain.points;
  for (let i = 0; i + 1 < p.length; i++) {
    const a = p[i];
    const b = p[i + 1];
    if ((y - a.y) * (y - b.y) <= 0 && a.y !== b.y) return a.x + ((b.x - a.x) * (y - a.y)) / (b.y - a.y);
  }
  return undefined;
}

/** Whether two leg chains swap sides below the hips (signed horizontal order changes). */
export function legsCross(legR: Chain, legL: Chain): boolean {
  const n = Math.min(legR.points.length, legL.points.length);
  if (n < 2) return false;
  const s0 = Math.sign(legL.points[0].x - legR.points[0].x);
  for (let i = 1; i < n; i++) {
    const s = Math.sign(legL.points[i].x - legR.points[i].x);
    if (s !== 0 && s !== s0) return true;
  }
  return false;
}

/**
 * Skirt test: below the crotch, is the space between the two legs' centre lines covered by the garment?
 * `isGarment(part)` says which parts count (the lower garment, or upper + lower for a dress).
 */
export function coversBetweenLegs(
  parts: Uint8Array,
  grid: Grid,
  body: BodyModel,
  isGarment: (part: number) => boolean,
): boolean | undefined {
  const [legR, legL] = body.legs;
  if (!legR || !legL || body.hipY === undefined) return undefined;
  // rows from a bit below the hips to where the garment ends
  // knees are needed: without them the legs' lines are guesses and a cut-off photo shows no gap
  if (!body.kneesSeen) return undefined;
  // crossed legs (seated, posing) leave no gap in any garment: only legs that keep their sides from the
  // hips down can tell a skirt from trousers
  if (legsCross(legR, legL)) return undefined;
  const kneeY = Math.min(legR.points[1].y, legL.points[1].y);
  const y0 = body.hipY + 0.3 * (kneeY - body.hipY);
  let rows = 0;
  let covered = 0;
  for (let gy = 0; gy < grid.height; gy++) {
    const y = grid.y0 + (gy + 0.5) * grid.step;
    if (y < y0) continue;
    const xr = chainXAt(legR, y);
    const xl = chainXAt(legL, y);
    if (xr === undefined || xl === undefined) continue;
    const a = Math.min(xr, xl);
    const b = Math.max(xr, xl);
    const span = b - a;
    if (span < 2 * grid.step) continue;
    // middle third between the legs
    let cells = 0;
    let garment = 0;
    for (let x = a + span / 3; x <= b - span / 3; x += grid.step) {
      const gx = Math.floor((x - grid.x0) / grid.step);
      if (gx < 0 || gx >= grid.width) continue;
      cells++;
      if (isGarment(parts[gy * grid.width + gx])) garment++;
    }
    if (!cells) continue;
    // rows where neither leg has garment any more: the garment has ended
    const gxr = Math.floor((xr - grid.x0) / grid.step);
    const gxl = Math.floor((xl - grid.x0) / grid.step);
    const onLegs =
      (gxr >= 0 && gxr < grid.width && isGarment(parts[gy * grid.width + gxr])) ||
      (gxl >= 0 && gxl < grid.width && isGarment(parts[gy * grid.width + gxl]));
    if (!onLegs) continue;
    rows++;
    if (garment / cells > 0.6) covered++;
  }
  if (rows < 3) return undefined;
  if (covered / rows <= 0.6) return false;
  // legs together in trousers show no gap either: a skirt also ends above the ankles (bare legs,
  // tights or boots show below it); a garment reaching an ankle is taken for trousers
  const [ar, al] = body.ankles;
  if (ar && al) {
    let reach = 0;
    for (const a of [ar, al]) {
      const gy = Math.floor((a.y - 0.25 * body.scale - grid.y0) / grid.step);
      const gx = Math.floor((a.x - grid.x0) / grid.step);
      if (gy >= 0 && gy < grid.height && gx >= 0 && gx < grid.width && isGarment(parts[gy * grid.width + gx]))
        reach++;
    }
    if (reach >= 1) return false;
  }
  return true;
}

export interface GarmentDecision {
  dress: boolean;
  skirt: boolean;
}

/** Decides dress / skirt / trousers for a person's garments. */
export function decideGarments(
  parts: Uint8Array,
  features: Float32Array,
  models: Array<Gmm | undefined>,
  grid: Grid,
  body: BodyModel,
): GarmentDecision {
  const dress = sameGarment(parts, features, models[APPEARANCE.UPPER], models[APPEARANCE.LOWER]);
  const isGarment = dress
    ? (p: number): boolean => p === PART.UPPER || p === PART.LOWER
    : (p: number): boolean => p === PART.LOWER;
  const covers = coversBetweenLegs(parts, grid, body, isGarment);
  return { dress, skirt: covers === true };
}

/** CIHP-20 class of each part for this person, after the garment decisions. */
export function partsToCihp(decision: GarmentDecision): Uint8Array {
  const t = Uint8Array.from(PART_TO_CIHP);
  // one garment of one colour that covers the space between the legs is a dress; the same colour on
  // separated legs is a top over trousers
  if (decision.dress && decision.skirt) {
    t[PART.UPPER] = CIHP.DRESS;
    t[PART.LOWER] = CIHP.DRESS;
  } else if (decision.skirt) t[PART.LOWER] = CIHP.SKIRT;
  return t;
}
