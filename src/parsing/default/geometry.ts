import type { Keypoint } from '../../types.js';

/**
 * Body geometry from a skeleton: the zones where each part is expected (face ellipse, head circle, neck,
 * limb capsules, torso quadrilateral). Pure functions of keypoints, in source pixels.
 */
export interface Point {
  x: number;
  y: number;
}

export interface Ellipse {
  cx: number;
  cy: number;
  /** half axes */
  rx: number;
  ry: number;
  /** rotation of the ry axis from image-down, radians */
  angle: number;
}

/** A limb as a chain of points with one radius per segment. */
export interface Chain {
  points: Point[];
  radius: number;
}

export interface BodyModel {
  /** The body's size unit: about the neck-to-hip length, px. */
  scale: number;
  face?: Ellipse;
  /** The face ellipse was measured (FaceMesh's oval), not guessed from eyes, ears and nose. */
  faceMeasured?: boolean;
  /**
   * The chin, when measured (a second FaceMesh pass): the face ends at the line through it across the
   * face's axis, wherever the face ellipse reaches.
   */
  chin?: Point;
  /** The face's outline (FaceMesh's oval), when measured: from halfway down the face, the face ends at it. */
  jaw?: Point[];
  /** Circle around the skull (hair, hat). */
  head?: { cx: number; cy: number; r: number };
  /** From the chin to the neck keypoint. */
  neck?: Chain;
  /** Shoulders and hips as a polygon (R shoulder, L shoulder, L hip, R hip); may lack the hips. */
  torso: Point[];
  /** Person's own sides: index 0 = right, 1 = left. */
  arms: [Chain | undefined, Chain | undefined];
  legs: [Chain | undefined, Chain | undefined];
  feet: [Chain | undefined, Chain | undefined];
  /** y of the waist line (hips), when known. */
  hipY?: number;
  shoulderY?: number;
  /** Both knees were detected (not extrapolated). */
  kneesSeen: boolean;
  /** Ankles (right, left), when detected. */
  ankles: [Point | undefined, Point | undefined];
}

/** Minimum keypoint confidence used as a body landmark. */
export const MIN_SCORE = 0.1;
/** Minimum ankle confidence for a foot (shoe) zone. */
export const FOOT_MIN_SCORE = 0.2;

const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);
const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/** Squared distance from a point to a segment. */
export function segmentDistance2(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

/** Distance from a point to a chain's centre line (Infinity for an empty chain). */
export function chainDistance(px: number, py: number, chain: Chain): number {
  const p = chain.points;
  if (p.length === 1) return Math.hypot(px - p[0].x, py - p[0].y);
  let best = Infinity;
  for (let i = 0; i + 1 < p.length; i++) {
    const d = segmentDistance2(px, py, p[i].x, p[i].y, p[i + 1].x, p[i + 1].y);
    if (d < best) best = d;
  }
  return Math.sqrt(best);
}

/** Normalised ellipse radius: < 1 inside, 1 on the boundary. */
export function ellipseRadius(px: number, py: number, e: Ellipse): number {
  const dx = px - e.cx;
  const dy = py - e.cy;
  const c = Math.cos(e.angle);
  const s = Math.sin(e.angle);
  const u = c * dx + s * dy; // across the face
  const v = -s * dx + c * dy; // along the face (down)
  return Math.hypot(u / e.rx, v / e.ry);
}

/** Signed distance to a convex or simple polygon: negative inside. */
export function polygonSignedDistance(px: number, py: number, poly: readonly Point[]): number {
  let inside = false;
  let best = Infinity;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i];
    const b = poly[j];
    if (a.y > py !== b.y > py && px < ((b.x - a.x) * (py - a.y)) / (b.y - a.y) + a.x) inside = !inside;
    const d = segmentDistance2(px, py, a.x, a.y, b.x, b.y);
    if (d < best) best = d;
  }
  const d = Math.sqrt(best);
  return inside ? -d : d;
}

/**
 * Builds the body model from BODY_25 keypoints (person's own sides) and, when present, BlazePose-33
 * landmarks, which add finger tips, heels and toes.
 */
export function bodyModel(kps: readonly Keypoint[], blaze?: readonly Keypoint[]): BodyModel {
  const ok = (i: number): boolean => (kps[i]?.score ?? 0) >= MIN_SCORE;
  const P = (i: number): Point => ({ x: kps[i].x, y: kps[i].y });
  const bok = (i: number): boolean => !!blaze && (blaze[i]?.score ?? 0) >= 0.3;
  const B = (i: number): Point => ({ x: blaze![i].x, y: blaze![i].y });

  // scale: torso length, or what else is there
  const estimates: number[] = [];
  const neck = ok(1) ? P(1) : ok(2) && ok(5) ? mid(P(2), P(5)) : undefined;
  const hip = ok(8) ? P(8) : ok(9) && ok(12) ? mid(P(9), P(12)) : undefined;
  if (neck && hip) estimates.push(dist(neck, hip));
  if (ok(2) && ok(5)) estimates.push(dist(P(2), P(5)) * 1.45);
  if (ok(9) && ok(10)) estimates.push(dist(P(9), P(10)) * 1.25);
  if (ok(12) && ok(13)) estimates.push(dist(P(12), P(13)) * 1.25);
  if (ok(15) && ok(16)) estimates.push(dist(P(15), P(16)) * 6.5);
  if (ok(0) && neck) estimates.push(dist(P(0), neck) * 2.3);
  const valid = kps.filter((k) => k.score >= MIN_SCORE);
  let scale = estimates.length ? Math.max(...estimates) : 0;
  if (!(scale > 0)) {
    const ys = valid.map((k) => k.y);
    scale = ys.length ? Math.max(20, (Math.max(...ys) - Math.min(...ys)) / 3) : 100;
  }

  // face ellipse from eyes, ears and nose
  let face: Ellipse | undefined;
  let head: BodyModel['head'];
  const eyes = [15, 16].filter(ok).map(P);
  const ears = [17, 18].filter(ok).map(P);
  if (ok(0) || eyes.length) {
    const nose = ok(0) ? P(0) : undefined;
    const eyeMid = eyes.length === 2 ? mid(eyes[0], eyes[1]) : (eyes[0] ?? nose!);
    // unit: the face's width scale, from the widest evidence available
    let u = scale / 6.5;
    if (eyes.length === 2) u = Math.max(u, dist(eyes[0], eyes[1]));
    if (ears.length === 2) u = Math.max(u, dist(ears[0], ears[1]) / 2.3);
    // up direction: from the neck to the eyes (a tilted or turned head still sits on the neck)
    let ux = 0;
    let uy = -1;
    if (neck) {
      const d = dist(neck, eyeMid);
      if (d > 1) {
        ux = (eyeMid.x - neck.x) / d;
        uy = (eyeMid.y - neck.y) / d;
      }
    }
    // centre between the eyes and the chin; profile views: nose and ear midpoint
    let cx = eyeMid.x - ux * 0.45 * u;
    let cy = eyeMid.y - uy * 0.45 * u;
    if (eyes.length < 2 && ears.length === 1 && nose) {
      cx = (nose.x + ears[0].x) / 2 - ux * 0.45 * u;
      cy = (nose.y + ears[0].y) / 2 - uy * 0.45 * u;
    }
    const angle = Math.atan2(ux, -uy);
    face = { cx, cy, rx: 1.05 * u, ry: 1.4 * u, angle };
    head = { cx: cx + ux * 0.55 * u, cy: cy + uy * 0.55 * u, r: 1.55 * u };
  }

  let neckChain: Chain | undefined;
  if (face && neck) {
    // the chin: down the face's axis by most of its half height
    const chin = {
      x: face.cx - Math.sin(face.angle) * face.ry * 0.8,
      y: face.cy + Math.cos(face.angle) * face.ry * 0.8,
    };
    neckChain = { points: [chin, neck], radius: face.rx * 0.75 };
  }

  const torso: Point[] = [];
  if (ok(2) && ok(5)) {
    torso.push(P(2), P(5));
    if (ok(12) && ok(9)) torso.push(P(12), P(9));
  }

  const limb = (ids: number[], radius: number, tip?: Point, tipExtend = 0): Chain | undefined => {
    const pts: Point[] = [];
    for (const i of ids) {
      if (!ok(i)) break;
      pts.push(P(i));
    }
    if (pts.length < 2) return undefined;
    if (tip) pts.push(tip);
    else if (tipExtend > 0 && pts.length === ids.length) {
      const a = pts[pts.length - 2];
      const b = pts[pts.length - 1];
      pts.push({ x: b.x + (b.x - a.x) * tipExtend, y: b.y + (b.y - a.y) * tipExtend });
    }
    return { points: pts, radius };
  };
  // hands: BlazePose index/pinky finger bases (19/17 left, 20/18 right), else extend the forearm
  const handTip = (index: number, pinky: number): Point | undefined =>
    bok(index) && bok(pinky) ? mid(B(index), B(pinky)) : undefined;
  const arms: BodyModel['arms'] = [
    limb([2, 3, 4], 0.14 * scale, handTip(20, 18), 0.3),
    limb([5, 6, 7], 0.14 * scale, handTip(19, 17), 0.3),
  ];
  // a leg whose knee is out of the photo (half-body shots) still goes down from the hip
  let down = { x: 0, y: 1 };
  if (neck && hip && dist(neck, hip) > 1)
    down = { x: (hip.x - neck.x) / dist(neck, hip), y: (hip.y - neck.y) / dist(neck, hip) };
  const leg = (ids: number[]): Chain | undefined => {
    const l = limb(ids, 0.17 * scale);
    if (l || !ok(ids[0])) return l;
    const h = P(ids[0]);
    return {
      points: [h, { x: h.x + down.x * 1.1 * scale, y: h.y + down.y * 1.1 * scale }],
      radius: 0.17 * scale,
    };
  };
  const legs: BodyModel['legs'] = [leg([9, 10, 11]), leg([12, 13, 14])];

  // a shoe: from just below the ankle bone to the toes (the heel is at the ankle's height or below)
  const foot = (ankle: number, toes: number[], bToes: number): Chain | undefined => {
    // a barely-seen ankle (a guess in a photo cut off above the feet) puts no shoe there
    if ((kps[ankle]?.score ?? 0) < FOOT_MIN_SCORE) return undefined;
    const a = P(ankle);
    const t = toes.filter(ok).map(P);
    const toe = t.length
      ? t.length === 2
        ? mid(t[0], t[1])
        : t[0]
      : bok(bToes)
        ? B(bToes)
        : { x: a.x, y: a.y + 0.2 * scale };
    const start = { x: a.x + (toe.x - a.x) * 0.15, y: a.y + 0.04 * scale };
    return { points: [start, toe], radius: 0.085 * scale };
  };
  const feet: BodyModel['feet'] = [foot(11, [22, 23], 32), foot(14, [19, 20], 31)];

  // bare feet and the skin inside open shoes are leg in the references: legs reach the toes
  for (let side = 0; side < 2; side++) {
    const l = legs[side];
    const f = feet[side];
    if (l && f && l.points.length === 3) l.points.push(f.points[f.points.length - 1]);
  }
  const hipY = ok(9) && ok(12) ? (kps[9].y + kps[12].y) / 2 : hip?.y;
  const shoulderY = ok(2) && ok(5) ? (kps[2].y + kps[5].y) / 2 : neck?.y;
  return {
    scale,
    face,
    head,
    neck: neckChain,
    torso,
    arms,
    legs,
    feet,
    hipY,
    shoulderY,
    kneesSeen: ok(10) && ok(13),
    ankles: [ok(11) ? P(11) : undefined, ok(14) ? P(14) : undefined],
  };
}
