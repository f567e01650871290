import type { Keypoint, Person } from '../types.js';
import { BODY_25 } from '../pose/skeletons.js';

/**
 * PCK against reference keypoints (e.g. the OpenPose BODY_25 files of a try-on dataset), per BODY_25
 * keypoint type: a reference point counts when its confidence exceeds `refThreshold`; it is correct when
 * the matched prediction has that point within alpha x image height (distance <= threshold, as MPII's
 * evaluation compares). PCKh (MPII) replaces the threshold by `pckhThreshold` x head size, head size =
 * 0.6 x head-box diagonal, for references that carry a head box.
 *
 * People are matched one-to-one, greedily by the smallest cost, cost = mean over the reference's counted
 * points of the distance to the predicted point, a point the prediction lacks costing one image height;
 * pairs costing a full image height or more stay unmatched. An unmatched reference person's points all
 * count as misses; unmatched predicted people are only counted (PCK measures recall).
 */
export interface PckReference {
  /** BODY_25 keypoints. */
  keypoints: readonly Keypoint[];
  /** MPII head box in pixels. */
  headBox?: { x1: number; y1: number; x2: number; y2: number };
}

export interface PckOptions {
  /** Fractions of the image height. Default 0.05, 0.1, 0.2. */
  alphas?: readonly number[];
  /** Reference points with confidence <= this are not counted. Default 0.3. */
  refThreshold?: number;
  /** PCKh threshold as a fraction of head size. Default 0.5. */
  pckhThreshold?: number;
  /**
   * BODY_25 indices not to score, e.g. points the reference skeleton derives rather than holds
   * (MidHip of a COCO-18 file, Neck and MidHip of COCO-17).
   */
  skip?: ReadonlySet<number>;
}

export const DEFAULT_PCK_ALPHAS: readonly number[] = [0.05, 0.1, 0.2];

/** Raw counts; add images with `mergePck`, turn into scores with `summarizePck`. */
export interface PckCounts {
  alphas: number[];
  /** Per BODY_25 type: reference points counted. */
  total: number[];
  /** [alpha][type]: correct points. */
  correct: number[][];
  /** Per type: reference points with a head box, and those within the PCKh threshold. */
  headTotal: number[];
  headCorrect: number[];
  refPeople: number;
  predPeople: number;
  matchedPeople: number;
}

export function createPckCounts(alphas: readonly number[] = DEFAULT_PCK_ALPHAS): PckCounts {
  const k = BODY_25.names.length;
  return {
    alphas: [...alphas],
    total: new Array<number>(k).fill(0),
    correct: alphas.map(() => new Array<number>(k).fill(0)),
    headTotal: new Array<number>(k).fill(0),
    headCorrect: new Array<number>(k).fill(0),
    refPeople: 0,
    predPeople: 0,
    matchedPeople: 0,
  };
}

export function mergePck(into: PckCounts, from: PckCounts): void {
  if (into.alphas.join() !== from.alphas.join()) throw new Error('PCK counts with different alphas');
  for (let t = 0; t < into.total.length; t++) {
    into.total[t] += from.total[t];
    into.headTotal[t] += from.headTotal[t];
    into.headCorrect[t] += from.headCorrect[t];
    for (let a = 0; a < into.alphas.length; a++) into.correct[a][t] += from.correct[a][t];
  }
  into.refPeople += from.refPeople;
  into.predPeople += from.predPeople;
  into.matchedPeople += from.matchedPeople;
}

const dist = (a: Keypoint, b: Keypoint): number => Math.hypot(a.x - b.x, a.y - b.y);

/** Matches predicted people to reference people (see the module comment); returns [refIndex, predIndex]. */
export function matchPeople(
  pred: readonly Person[],
  refs: readonly PckReference[],
  imageHeight: number,
  counted: (ref: PckReference, type: number) => boolean,
): Array<[number, number]> {
  const pairs: Array<{ r: number; p: number; cost: number }> = [];
  refs.forEach((ref, r) => {
    const types = ref.keypoints.map((_, t) => t).filter((t) => counted(ref, t));
    if (!types.length) return;
    pred.forEach((person, p) => {
      let sum = 0;
      for (const t of types) {
        const k = person.keypoints[t];
        sum += k && k.score > 0 ? dist(k, ref.keypoints[t]) : imageHeight;
      }
      const cost = sum / types.length;
      if (cost < imageHeight) pairs.push({ r, p, cost });
    });
  });
  pairs.sort((a, b) => a.cost - b.cost || a.r - b.r || a.p - b.p);
  const usedR = new Set<number>();
  const usedP = new Set<number>();
  const out: Array<[number, number]> = [];
  for (const { r, p } of pairs) {
    if (usedR.has(r) || usedP.has(p)) continue;
    usedR.add(r);
    usedP.add(p);
    out.push([r, p]);
  }
  return out;
}

/** PCK counts of one image. */
export function pckImage(
  pred: readonly Person[],
  refs: readonly PckReference[],
  imageHeight: number,
  options: PckOptions = {},
): PckCounts {
  if (!(imageHeight > 0)) throw new Error(`image height must be positive (got ${imageHeight})`);
  const counts = createPckCounts(options.alphas ?? DEFAULT_PCK_ALPHAS);
  const refThreshold = options.refThreshold ?? 0.3;
  const pckhThreshold = options.pckhThreshold ?? 0.5;
  const skip = options.skip ?? new Set<number>();
  const counted = (ref: PckReference, t: number): boolean =>
    t < counts.total.length && !skip.has(t) && (ref.keypoints[t]?.score ?? 0) > refThreshold;
  const matches = new Map(matchPeople(pred, refs, imageHeight, counted));
  counts.refPeople = refs.length;
  counts.predPeople = pred.length;
  counts.matchedPeople = matches.size;
  refs.forEach((ref, r) => {
    const p = matches.get(r);
    const person = p === undefined ? undefined : pred[p];
    const headSize = ref.headBox
      ? 0.6 * Math.hypot(ref.headBox.x2 - ref.headBox.x1, ref.headBox.y2 - ref.headBox.y1)
      : undefined;
    for (let t = 0; t < counts.total.length; t++) {
      if (!counted(ref, t)) continue;
      counts.total[t]++;
      if (headSize !== undefined) counts.headTotal[t]++;
      const k = person?.keypoints[t];
      if (!k || !(k.score > 0)) continue;
      const d = dist(k, ref.keypoints[t]);
      counts.alphas.forEach((alpha, a) => {
        if (d <= alpha * imageHeight) counts.correct[a][t]++;
      });
      if (headSize !== undefined && d <= pckhThreshold * headSize) counts.headCorrect[t]++;
    }
  });
  return counts;
}

export interface PckScores {
  alphas: number[];
  /** Overall PCK per alpha (key: the alpha as written, e.g. "0.1"); null without counted points. */
  PCK: Record<string, number | null>;
  /** Overall PCKh; null where no reference had a head box. */
  PCKh: number | null;
  perKeypoint: Array<{ name: string; n: number; pck: Record<string, number | null>; pckh: number | null }>;
  points: number;
  refPeople: number;
  predPeople: number;
  matchedPeople: number;
}

export function summarizePck(counts: PckCounts): PckScores {
  const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
  const points = counts.total.reduce((s, v) => s + v, 0);
  const headPoints = counts.headTotal.reduce((s, v) => s + v, 0);
  const PCK: Record<string, number | null> = {};
  counts.alphas.forEach((alpha, a) => {
    PCK[String(alpha)] = ratio(
      counts.correct[a].reduce((s, v) => s + v, 0),
      points,
    );
  });
  const perKeypoint = BODY_25.names
    .map((name, t) => {
      const pck: Record<string, number | null> = {};
      counts.alphas.forEach(
        (alpha, a) => (pck[String(alpha)] = ratio(counts.correct[a][t], counts.total[t])),
      );
      return { name, n: counts.total[t], pck, pckh: ratio(counts.headCorrect[t], counts.headTotal[t]) };
    })
    .filter((k) => k.n > 0);
  return {
    alphas: [...counts.alphas],
    PCK,
    PCKh: ratio(
      counts.headCorrect.reduce((s, v) => s + v, 0),
      headPoints,
    ),
    perKeypoint,
    points,
    refPeople: counts.refPeople,
    predPeople: counts.predPeople,
    matchedPeople: counts.matchedPeople,
  };
}

/** BODY_25 points a reference skeleton derives rather than holds (not scored). */
export function derivedBody25Points(format: 'body25' | 'coco18' | 'coco17'): Set<number> {
  if (format === 'coco18') return new Set([8]);
  if (format === 'coco17') return new Set([1, 8]);
  return new Set();
}
