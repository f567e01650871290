import type { Grid } from './color.js';
import { APPEARANCE, PART, PART_APPEARANCE, PART_COUNT } from './parts.js';
import {
  chainDistance,
  ellipseRadius,
  polygonSignedDistance,
  type BodyModel,
  type Chain,
  type Point,
} from './geometry.js';

/**
 * Position priors: for every grid cell and part, a cost that is 0 where the skeleton says the part can be
 * and grows with the distance (in body-scale units) outside that zone.
 */
export interface ZoneWeights {
  /** cost per body-scale unit outside a limb, face or foot zone */
  limb: number;
  /** same for garments, which may hang well outside the skeleton (coats, dresses, wide trousers) */
  garment: number;
  hair: number;
  /** cost of a part whose zone is unknown (its keypoints are missing) */
  missing: number;
  /** cost per body-scale unit of an arm past its shoulder towards the neck (see shoulderOverhang) */
  armPastShoulder: number;
}

export const DEFAULT_ZONE_WEIGHTS: ZoneWeights = {
  limb: 24,
  garment: 8,
  hair: 18,
  missing: 25,
  armPastShoulder: 72,
};

/**
 * How far (px) a point lies past an arm's shoulder towards the neck: its offset from the shoulder along
 * the shoulder-to-neck direction, for points beyond the shoulder end of the upper arm (0 elsewhere). An
 * arm starts at its shoulder; the round end of its zone would otherwise reach over the top of the shoulder
 * and the collar bone, where skin-coloured cells are neck or the top in warm light (sun on a white shirt).
 */
export function shoulderOverhang(arm: Chain, neck: Point, x: number, y: number): number {
  if (arm.points.length < 2) return 0;
  const [sh, el] = arm.points;
  const nx = neck.x - sh.x;
  const ny = neck.y - sh.y;
  const len = Math.hypot(nx, ny);
  if (len < 1) return 0;
  if ((x - sh.x) * (el.x - sh.x) + (y - sh.y) * (el.y - sh.y) > 0) return 0;
  return Math.max(0, ((x - sh.x) * nx + (y - sh.y) * ny) / len);
}

/** Expands a polygon away from its centroid by `d` px. */
export function growPolygon(poly: readonly Point[], d: number): Point[] {
  const cx = poly.reduce((s, p) => s + p.x, 0) / poly.length;
  const cy = poly.reduce((s, p) => s + p.y, 0) / poly.length;
  return poly.map((p) => {
    const dx = p.x - cx;
    const dy = p.y - cy;
    const len = Math.hypot(dx, dy) || 1;
    return { x: p.x + (dx / len) * d, y: p.y + (dy / len) * d };
  });
}

/** Hinge: 0 inside, (distance beyond the zone) / scale outside. */
const outside = (d: number, r: number, scale: number): number => (d > r ? (d - r) / scale : 0);

/**
 * Trousers end at each ankle, not only at the lowest one: on a foot lifted above the other ankle, the
 * cost per body-scale unit below its own ankle (near that foot), up to where the lowest-ankle rule
 * takes over. 0 elsewhere.
 */
export function liftedFootCost(
  body: BodyModel,
  x: number,
  y: number,
  ankleY: number,
  perScale: number,
): number {
  const S = body.scale;
  let c = 0;
  for (let side = 0; side < 2; side++) {
    const foot = body.feet[side];
    const ankle = body.ankles[side];
    if (!foot || !ankle) continue;
    const end = ankle.y + 0.02 * S;
    // the shoe is wider than the foot's centre-line zone: twice its radius
    if (y <= end || end >= ankleY || chainDistance(x, y, foot) >= foot.radius * 2) continue;
    c = Math.max(c, (perScale * (Math.min(y, ankleY) - end)) / S);
  }
  return c;
}

/** Position costs, n x PART_COUNT, for the cells of `grid` (cell centres in source pixels). */
export function positionCosts(
  body: BodyModel,
  grid: Grid,
  w: ZoneWeights = DEFAULT_ZONE_WEIGHTS,
): Float32Array {
  const { scale: S } = body;
  const n = grid.width * grid.height;
  const out = new Float32Array(n * PART_COUNT);
  const torso = body.torso.length >= 4 ? growPolygon(body.torso, 0.12 * S) : undefined;
  // shoulders only: a band below them stands in for the torso
  const shoulderLine: Chain | undefined =
    body.torso.length >= 2 ? { points: [body.torso[0], body.torso[1]], radius: 0.15 * S } : undefined;
  const hipY = body.hipY;
  const waistY =
    hipY !== undefined ? hipY - 0.3 * S : body.shoulderY !== undefined ? body.shoulderY + 0.9 * S : undefined;
  const face = body.face;
  const head = body.head;
  const ankles = body.ankles.filter((a) => a !== undefined);
  const ankleY = ankles.length ? Math.max(...ankles.map((a) => a.y)) + 0.02 * S : undefined;
  const toes: Chain[] = [];
  for (const f of body.feet) {
    if (!f) continue;
    const a = f.points[0];
    const b = f.points[f.points.length - 1];
    toes.push({ points: [{ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, b], radius: f.radius });
  }
  // the base of the neck: between the shoulders, else the neck chain's end
  const neckPoint =
    body.torso.length >= 2
      ? { x: (body.torso[0].x + body.torso[1].x) / 2, y: (body.torso[0].y + body.torso[1].y) / 2 }
      : body.neck?.points[body.neck.points.length - 1];
  const pastShoulder = (arm: Chain | undefined, x: number, y: number): number =>
    arm && neckPoint ? (w.armPastShoulder * shoulderOverhang(arm, neckPoint, x, y)) / S : 0;
  const limb = (c: Chain | undefined, x: number, y: number, k: number): number =>
    c ? k * outside(chainDistance(x, y, c), c.radius, S) : w.missing;
  for (let gy = 0; gy < grid.height; gy++) {
    const y = grid.y0 + (gy + 0.5) * grid.step;
    for (let gx = 0; gx < grid.width; gx++) {
      const x = grid.x0 + (gx + 0.5) * grid.step;
      const o = (gy * grid.width + gx) * PART_COUNT;
      // torso distance: signed, 0 inside
      let dTorso: number;
      if (torso) dTorso = Math.max(0, polygonSignedDistance(x, y, torso));
      else if (shoulderLine) {
        const sy = (body.torso[0].y + body.torso[1].y) / 2;
        const xl = Math.min(body.torso[0].x, body.torso[1].x) - 0.1 * S;
        const xr = Math.max(body.torso[0].x, body.torso[1].x) + 0.1 * S;
        dTorso = y < sy ? chainDistance(x, y, shoulderLine) : x < xl ? xl - x : x > xr ? x - xr : 0;
      } else dTorso = Infinity;
      const armR = body.arms[0] ? chainDistance(x, y, body.arms[0]) : Infinity;
      const armL = body.arms[1] ? chainDistance(x, y, body.arms[1]) : Infinity;
      const legR = body.legs[0] ? chainDistance(x, y, body.legs[0]) : Infinity;
      const legL = body.legs[1] ? chainDistance(x, y, body.legs[1]) : Infinity;

      out[o + PART.BG] = 0;
      // face: inside the ellipse
      let eFace = Infinity;
      if (face) {
        eFace = ellipseRadius(x, y, face);
        out[o + PART.FACE] = w.limb * outside(eFace * face.rx, face.rx, S);
        // a measured oval is the face's outline: past it the cost also grows per face radius (a face is
        // small against the body scale, so the body-scale hinge alone lets it spill over neck and hair)
        if (body.faceMeasured && eFace > 1) out[o + PART.FACE] += w.limb * (eFace - 1);
        // below the chin: neck (the ellipse is wider than a jaw and reaches past a chin guessed low)
        if (body.chin) {
          const past = (x - body.chin.x) * -Math.sin(face.angle) + (y - body.chin.y) * Math.cos(face.angle);
          if (past > 0) out[o + PART.FACE] += (w.limb * past) / face.rx;
        }
        // a measured outline: its jaw, from halfway down the face (above, the ears stick out of it)
        if (
          body.jaw &&
          eFace < 3 &&
          (x - face.cx) * -Math.sin(face.angle) + (y - face.cy) * Math.cos(face.angle) > 0.5 * face.ry
        ) {
          const d = polygonSignedDistance(x, y, body.jaw);
          if (d > 0) out[o + PART.FACE] += (w.limb * d) / face.rx;
        }
      } else out[o + PART.FACE] = w.missing;
      // hair: the head circle, and (cheaply) a band down the back and sides for long hair
      if (head) {
        const dHead = Math.hypot(x - head.cx, y - head.cy);
        let c = w.hair * outside(dHead, head.r, S);
        if (y > head.cy && body.shoulderY !== undefined && y < body.shoulderY + 0.7 * S) {
          const half = head.r * 1.6;
          const band = Math.abs(x - head.cx) <= half ? 0 : (Math.abs(x - head.cx) - half) / S;
          c = Math.min(c, 2 + w.hair * band + (y > body.shoulderY ? (4 * (y - body.shoulderY)) / S : 0));
        }
        // hair may fall over the forehead and cheeks, rarely over the middle of the face
        if (eFace < 0.75) c += 10 * (1 - eFace / 0.75);
        out[o + PART.HAIR] = c;
        out[o + PART.HAT] = w.hair * outside(dHead, head.r, S) + (face && y > face.cy ? 6 : 0);
      } else {
        out[o + PART.HAIR] = w.missing;
        out[o + PART.HAT] = w.missing;
      }
      // neck / torso skin: the neck, and any skin inside the torso (necklines) at a small cost
      let neck = body.neck
        ? w.limb * outside(chainDistance(x, y, body.neck), body.neck.radius, S)
        : w.missing;
      if (dTorso !== Infinity) neck = Math.min(neck, 1.5 + w.limb * outside(dTorso, 0, S));
      if (face && eFace < 0.85) neck += 4;
      out[o + PART.NECK] = neck;
      // garments: upper on the torso and arms (sleeves), lower below the waist
      const dUpper = Math.min(dTorso, armR - (body.arms[0]?.radius ?? 0), armL - (body.arms[1]?.radius ?? 0));
      out[o + PART.UPPER] = dUpper === Infinity ? w.missing : (w.garment * Math.max(0, dUpper)) / S;
      if (waistY !== undefined) {
        const legR2 = body.legs[0] ? legR - body.legs[0].radius * 1.6 : Infinity;
        const legL2 = body.legs[1] ? legL - body.legs[1].radius * 1.6 : Infinity;
        let c = y < waistY ? (w.garment * 1.5 * (waistY - y)) / S : 0;
        const dLeg = Math.min(legR2, legL2);
        if (dLeg !== Infinity && y > waistY) c += (w.garment * Math.max(0, dLeg)) / S;
        // trousers end at the ankles: below them is shoe or floor
        if (ankleY !== undefined && y > ankleY) c += (w.limb * (y - ankleY)) / S;
        // the toe half of a foot (a lifted foot ends above the other ankle): trousers drape over the
        // shoe's top, never over its toes
        for (const t of toes) if (chainDistance(x, y, t) < t.radius) c += 3;
        if (ankleY !== undefined) c += liftedFootCost(body, x, y, ankleY, w.limb);
        out[o + PART.LOWER] = c;
      } else out[o + PART.LOWER] = w.missing;
      out[o + PART.ARM_R] = limb(body.arms[0], x, y, w.limb) + pastShoulder(body.arms[0], x, y);
      out[o + PART.ARM_L] = limb(body.arms[1], x, y, w.limb) + pastShoulder(body.arms[1], x, y);
      out[o + PART.LEG_R] = limb(body.legs[0], x, y, w.limb);
      out[o + PART.LEG_L] = limb(body.legs[1], x, y, w.limb);
      out[o + PART.SHOE_R] = limb(body.feet[0], x, y, w.limb);
      out[o + PART.SHOE_L] = limb(body.feet[1], x, y, w.limb);
    }
  }
  return out;
}

/** Parts of bare skin: those of the skin appearance. */
export const SKIN_PARTS: readonly number[] = PART_APPEARANCE.flatMap((a, p) =>
  a === APPEARANCE.SKIN ? [p] : [],
);

/**
 * Skin the upper garment covers from above: of the `start` cells, those whose path up (away from the
 * shoulder line, towards the head) runs through skin into garment cells, at least `minRun` body-scale
 * units of them (cells labelled top but not of its colour are passed, not counted), within `reach`. A
 * neckline opens upwards into the neck and the chin; skin-coloured cells with the garment's shoulder
 * above them are the garment in warm light (sun on a white shirt), not skin showing through it.
 * Returns n flags (1: covered).
 */
export function coveredFromAbove(
  body: BodyModel,
  grid: Grid,
  labels: Uint8Array,
  /** n flags: cells that may be covered (skin cells where the caller doubts the skin) */
  start: Uint8Array,
  /** n flags: cells that count as the garment (labelled top, and of its colour) */
  garment: Uint8Array,
  o: { reach: number; minRun: number },
): Uint8Array {
  const n = grid.width * grid.height;
  const out = new Uint8Array(n);
  const S = body.scale;
  // up: perpendicular to the shoulder line (a garment hangs from it), towards the head; else image up
  let ux = 0;
  let uy = -1;
  if (body.torso.length >= 2) {
    const [a, b] = body.torso;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len > 1) {
      ux = (b.y - a.y) / len;
      uy = -(b.x - a.x) / len;
      if (uy > 0) {
        ux = -ux;
        uy = -uy;
      }
    }
  }
  const at = (x: number, y: number): number => {
    const gx = Math.floor((x - grid.x0) / grid.step);
    const gy = Math.floor((y - grid.y0) / grid.step);
    return gx < 0 || gy < 0 || gx >= grid.width || gy >= grid.height ? -1 : gy * grid.width + gx;
  };
  const maxSteps = Math.ceil((o.reach * S) / grid.step);
  const runCells = Math.max(1, Math.round((o.minRun * S) / grid.step));
  for (let i = 0; i < n; i++) {
    if (!start[i]) continue;
    const x0 = grid.x0 + ((i % grid.width) + 0.5) * grid.step;
    const y0 = grid.y0 + (Math.floor(i / grid.width) + 0.5) * grid.step;
    let run = 0;
    let entered = false;
    for (let k = 1; k <= maxSteps; k++) {
      const j = at(x0 + ux * k * grid.step, y0 + uy * k * grid.step);
      if (j < 0) break;
      if (!entered && SKIN_PARTS.includes(labels[j])) continue;
      if (labels[j] !== PART.UPPER) break;
      entered = true;
      if (garment[j] && ++run >= runCells) {
        out[i] = 1;
        break;
      }
    }
  }
  return out;
}
