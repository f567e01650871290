import type { Keypoint, LabelMap, Person } from '../types.js';
import { CIHP_TO, IGNORE, TO_CIHP, applyTable, type LabelTable } from './labelsets.js';

/**
 * Converts a label map between label sets (SPEC §1). Every set goes through CIHP-20; Pascal-Person-Part's
 * upper/lower limbs are split by the skeleton when the people are given (a label alone cannot tell an
 * upper arm from a forearm), else limbs are "upper".
 */
export type OutputSet = 'cihp' | 'lip' | 'atr' | 'pascal';

/**
 * Source set -> CIHP for writing maps (not for scoring): an ATR/Dress Code belt is worn over the
 * trousers' waist and CIHP annotators label it as such; a bag is not part of the person (background).
 */
function toCihpForOutput(set: 'lip' | 'atr' | 'dresscode'): LabelTable {
  const t = new Uint8Array(TO_CIHP[set]);
  if (set !== 'lip') {
    t[8] = 9;
    t[16] = 0;
  }
  return t;
}

function withoutIgnore(t: LabelTable): LabelTable {
  const out = new Uint8Array(t);
  for (let i = 0; i < out.length; i++) if (out[i] === IGNORE) out[i] = 0;
  return out;
}

export function convertLabelMap(map: LabelMap, to: OutputSet, people?: readonly Person[]): LabelMap {
  const { width, height } = map;
  if (map.set === to) return { width, height, set: to, labels: new Uint8Array(map.labels) };
  let cihp: Uint8Array;
  if (map.set === 'cihp') cihp = map.labels;
  else if (map.set === 'lip' || map.set === 'atr' || map.set === 'dresscode') {
    cihp = applyTable(map.labels, withoutIgnore(toCihpForOutput(map.set)));
  } else throw new Error(`cannot convert a "${map.set}" map to "${to}" (it lacks the classes)`);
  if (to === 'cihp')
    return { width, height, set: to, labels: map.set === 'cihp' ? new Uint8Array(cihp) : cihp };
  if (to === 'pascal') {
    const labels = applyTable(cihp, withoutIgnore(CIHP_TO.pascal));
    if (people?.length) splitPascalLimbs(cihp, labels, width, height, people);
    return { width, height, set: to, labels };
  }
  const t: LabelTable = to === 'lip' ? CIHP_TO.lip : CIHP_TO.atr;
  return { width, height, set: to, labels: applyTable(cihp, withoutIgnore(t)) };
}

// Pascal-Person-Part ids.
const P_TORSO = 2;
const P_UPPER_ARM = 3;
const P_LOWER_ARM = 4;
const P_UPPER_LEG = 5;
const P_LOWER_LEG = 6;

interface Segment {
  ax: number;
  ay: number;
  bx: number;
  by: number;
  label: number;
}

function pointSegmentDistance2(px: number, py: number, s: Segment): number {
  const dx = s.bx - s.ax;
  const dy = s.by - s.ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - s.ax) * dx + (py - s.ay) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = s.ax + t * dx - px;
  const ey = s.ay + t * dy - py;
  return ex * ex + ey * ey;
}

/** BODY_25 limb segments of one person, labelled with the Pascal part they belong to. */
export function pascalSegments(kps: readonly Keypoint[]): {
  arms: Segment[];
  legs: Segment[];
  torso: Segment[];
} {
  const ok = (i: number): boolean => (kps[i]?.score ?? 0) > 0;
  const seg = (a: number, b: number, label: number, extend = 0): Segment | undefined => {
    if (!ok(a) || !ok(b)) return undefined;
    const A = kps[a];
    const B = kps[b];
    return { ax: A.x, ay: A.y, bx: B.x + (B.x - A.x) * extend, by: B.y + (B.y - A.y) * extend, label };
  };
  const keep = (s: Array<Segment | undefined>): Segment[] => s.filter((x): x is Segment => !!x);
  return {
    // forearms extended past the wrist to cover the hand
    arms: keep([
      seg(2, 3, P_UPPER_ARM),
      seg(3, 4, P_LOWER_ARM, 0.35),
      seg(5, 6, P_UPPER_ARM),
      seg(6, 7, P_LOWER_ARM, 0.35),
    ]),
    legs: keep([
      seg(9, 10, P_UPPER_LEG),
      seg(10, 11, P_LOWER_LEG, 0.15),
      seg(12, 13, P_UPPER_LEG),
      seg(13, 14, P_LOWER_LEG, 0.15),
    ]),
    torso: keep([
      seg(1, 8, P_TORSO),
      seg(2, 9, P_TORSO),
      seg(5, 12, P_TORSO),
      seg(2, 5, P_TORSO),
      seg(9, 12, P_TORSO),
    ]),
  };
}

/** CIHP classes Pascal splits by the skeleton: arm skin and gloves, leg skin, pants and skirts (socks go to
 * the lower leg), and garments that may cover a limb. */
const ARM_CLASSES: readonly number[] = [14, 15, 3];
const LEG_CLASSES: readonly number[] = [16, 17, 9];
const SOCKS = 8;
const GARMENT_CLASSES: readonly number[] = [5, 7, 6, 12, 10];

/** Label of the segment nearest to (x, y) (the first of equally near ones); -1 without segments. */
function nearestLabel(x: number, y: number, segments: readonly Segment[]): number {
  let best = Infinity;
  let label = -1;
  for (const s of segments) {
    const d = pointSegmentDistance2(x, y, s);
    if (d < best) {
      best = d;
      label = s.label;
    }
  }
  return label;
}

/**
 * Re-labels limb and garment pixels of a Pascal map by the nearest skeleton segment: arm skin and gloves
 * to upper/lower arm, leg skin, trousers and skirts to upper/lower leg, tops/coats/dresses to the torso
 * or to the limb they cover (sleeves). `cihp` holds the CIHP labels the Pascal map came from.
 */
export function splitPascalLimbs(
  cihp: Uint8Array,
  pascal: Uint8Array,
  width: number,
  height: number,
  people: readonly Person[],
): void {
  const segs = people.map((p) => pascalSegments(p.keypoints));
  const arms = segs.flatMap((s) => s.arms);
  const legs = segs.flatMap((s) => s.legs);
  const torso = segs.flatMap((s) => s.torso);
  const all = [...torso, ...arms, ...legs];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const c = cihp[i];
      let group: Segment[] | undefined;
      if (ARM_CLASSES.includes(c)) group = arms;
      else if (LEG_CLASSES.includes(c) || c === SOCKS) group = legs;
      else if (GARMENT_CLASSES.includes(c)) group = all;
      if (!group) continue;
      const label = nearestLabel(x + 0.5, y + 0.5, group);
      if (label < 0) continue;
      // socks are on the lower leg whatever the nearest bone says
      pascal[i] = c === SOCKS ? P_LOWER_LEG : label;
    }
  }
}

/**
 * Converts class probabilities (C x H x W, channel = class id of `from`) to another set by summing each
 * class's probability into the class it maps to, so that the argmax of the result is the converted label
 * map's class wherever the source argmax was unambiguous. Only CIHP-20 sources (the default parser's set);
 * Pascal limbs are split by the skeleton as in `convertLabelMap` when people are given.
 */
export function convertProbabilities(
  probs: Float32Array,
  width: number,
  height: number,
  from: 'cihp',
  to: OutputSet,
  people?: readonly Person[],
): Float32Array {
  const plane = width * height;
  const inC = probs.length / plane;
  if (!Number.isInteger(inC) || inC !== 20) throw new Error('probabilities must be 20 x H x W (CIHP-20)');
  if (to === from) return new Float32Array(probs);
  const t = withoutIgnore(to === 'lip' ? CIHP_TO.lip : to === 'atr' ? CIHP_TO.atr : CIHP_TO.pascal);
  const outC = to === 'lip' ? 20 : to === 'atr' ? 18 : 7;
  const out = new Float32Array(outC * plane);
  for (let c = 0; c < inC; c++) {
    const dst = t[c] * plane;
    const src = c * plane;
    for (let i = 0; i < plane; i++) out[dst + i] += probs[src + i];
  }
  if (to !== 'pascal' || !people?.length) return out;
  // Pascal: per pixel, where each group's mass goes (nearest bone), then move it from the table's class
  const segs = people.map((p) => pascalSegments(p.keypoints));
  const arms = segs.flatMap((s) => s.arms);
  const legs = segs.flatMap((s) => s.legs);
  const all = [...segs.flatMap((s) => s.torso), ...arms, ...legs];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const moves: Array<[readonly number[], number]> = [
        [ARM_CLASSES, nearestLabel(x + 0.5, y + 0.5, arms)],
        [LEG_CLASSES, nearestLabel(x + 0.5, y + 0.5, legs)],
        [GARMENT_CLASSES, nearestLabel(x + 0.5, y + 0.5, all)],
        [[SOCKS], P_LOWER_LEG],
      ];
      for (const [classes, label] of moves) {
        if (label < 0) continue;
        for (const c of classes) {
          const v = probs[c * plane + i];
          if (!v || t[c] === label) continue;
          out[t[c] * plane + i] -= v;
          out[label * plane + i] += v;
        }
      }
    }
  }
  return out;
}
