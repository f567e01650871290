import type { Person } from '../types.js';
import { fromBody25 } from '../pose/skeletons.js';

/**
 * COCO keypoint evaluation as pycocotools' COCOeval(iouType='keypoints') computes it (SPEC §9):
 * OKS against GT area, crowd and num_keypoints==0 GT ignored, area ranges all/medium/large, at most 20
 * detections per image by score, greedy matching per OKS threshold 0.50:0.05:0.95, 101-point interpolated
 * precision. Follows cocoeval.py computeOks / evaluateImg / accumulate / summarize step by step, including
 * its float details (numpy linspace thresholds, eps in divisions) so that boundary cases round alike.
 *
 * Deliberate differences, all for inputs pycocotools would reject or mishandle:
 * - annotation ids are not used to mark matches (pycocotools treats a GT with id 0 as "unmatched");
 * - missing GT `area` falls back to bbox w*h, then to the box of the labelled keypoints; missing `bbox`
 *   to the box of the labelled keypoints; missing `num_keypoints` to the count of v>0; missing `iscrowd` to 0;
 * - all annotations count as one category (person); `category_id` is ignored.
 * A detection for an image id absent from `gt.images` throws (pycocotools asserts).
 */
export interface CocoKeypointsGt {
  images: Array<{ id: number; file_name: string; width?: number; height?: number }>;
  annotations: Array<{
    id?: number;
    image_id: number;
    category_id?: number;
    keypoints: number[];
    num_keypoints?: number;
    area?: number;
    bbox?: number[];
    iscrowd?: number;
  }>;
}

export interface CocoKeypointsDet {
  image_id: number;
  /** 17*3 numbers, COCO-17 order; the third of each triple is not used by the metric. */
  keypoints: number[];
  score: number;
}

export interface CocoKeypointStats {
  AP: number;
  AP50: number;
  AP75: number;
  APm: number;
  APl: number;
  AR: number;
  AR50: number;
  AR75: number;
}

/** Per-keypoint OKS sigmas in COCO-17 order, computed as pycocotools does (array / 10.0). */
export const COCO_OKS_SIGMAS: readonly number[] = [
  0.26, 0.25, 0.25, 0.35, 0.35, 0.79, 0.79, 0.72, 0.72, 0.62, 0.62, 1.07, 1.07, 0.87, 0.87, 0.89, 0.89,
].map((s) => s / 10.0);

const EPS = Number.EPSILON; // np.spacing(1)

/** numpy.linspace(start, stop, num) with endpoint: start + i*step, last element exactly stop. */
function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  const out = Array.from({ length: num }, (_, i) => i * step + start);
  out[num - 1] = stop;
  return out;
}

export const OKS_THRESHOLDS: readonly number[] = linspace(0.5, 0.95, Math.round((0.95 - 0.5) / 0.05) + 1);
const REC_THRESHOLDS: readonly number[] = linspace(0, 1, Math.round(1 / 0.01) + 1);
const MAX_DETS = 20;
const AREA_RANGES = {
  all: [0 ** 2, 1e5 ** 2],
  medium: [32 ** 2, 96 ** 2],
  large: [96 ** 2, 1e5 ** 2],
} as const satisfies Record<string, readonly [number, number]>;
type AreaName = keyof typeof AREA_RANGES;

/** numpy's pairwise float64 sum for n <= 128 (8 partial sums), so OKS sums round as np.sum does. */
function npSum(a: readonly number[]): number {
  const n = a.length;
  if (n < 8) {
    let s = 0;
    for (const v of a) s += v;
    return s;
  }
  if (n > 128) return a.reduce((s, v) => s + v, 0);
  const r = a.slice(0, 8);
  let i = 8;
  for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[i + j];
  let s = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
  for (; i < n; i++) s += a[i];
  return s;
}

interface GtRecord {
  keypoints: number[];
  area: number;
  bbox: number[];
  iscrowd: boolean;
  ignore: boolean;
}

interface DtRecord {
  keypoints: number[];
  score: number;
  area: number;
}

function labelledBox(kps: readonly number[]): number[] {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i + 2 < kps.length; i += 3) {
    if (kps[i + 2] > 0) {
      xs.push(kps[i]);
      ys.push(kps[i + 1]);
    }
  }
  if (!xs.length) return [0, 0, 0, 0];
  const x0 = Math.min(...xs);
  const y0 = Math.min(...ys);
  return [x0, y0, Math.max(...xs) - x0, Math.max(...ys) - y0];
}

function toGtRecord(a: CocoKeypointsGt['annotations'][number]): GtRecord {
  const bbox = a.bbox && a.bbox.length >= 4 ? a.bbox : labelledBox(a.keypoints);
  const area = a.area ?? (a.bbox && a.bbox.length >= 4 ? a.bbox[2] * a.bbox[3] : bbox[2] * bbox[3]);
  let numKeypoints = a.num_keypoints;
  if (numKeypoints === undefined) {
    numKeypoints = 0;
    for (let i = 2; i < a.keypoints.length; i += 3) if (a.keypoints[i] > 0) numKeypoints++;
  }
  const iscrowd = Boolean(a.iscrowd);
  return { keypoints: a.keypoints, area, bbox, iscrowd, ignore: iscrowd || numKeypoints === 0 };
}

/** loadRes: a detection's area is the box of ALL its x,y (missing points at 0,0 included). */
function detArea(kps: readonly number[]): number {
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let i = 0; i + 1 < kps.length; i += 3) {
    x0 = Math.min(x0, kps[i]);
    x1 = Math.max(x1, kps[i]);
    y0 = Math.min(y0, kps[i + 1]);
    y1 = Math.max(y1, kps[i + 1]);
  }
  return Number.isFinite(x0) ? (x1 - x0) * (y1 - y0) : 0;
}

/** Object keypoint similarity of one detection to one GT (computeOks, one cell). */
export function oks(
  dtKeypoints: readonly number[],
  gt: { keypoints: readonly number[]; area: number; bbox?: readonly number[] },
): number {
  const k = COCO_OKS_SIGMAS.length;
  const g = gt.keypoints;
  let k1 = 0;
  for (let i = 0; i < k; i++) if (g[3 * i + 2] > 0) k1++;
  const bb = gt.bbox ?? [0, 0, 0, 0];
  const x0 = bb[0] - bb[2];
  const x1 = bb[0] + bb[2] * 2;
  const y0 = bb[1] - bb[3];
  const y1 = bb[1] + bb[3] * 2;
  const terms: number[] = [];
  for (let i = 0; i < k; i++) {
    const xd = dtKeypoints[3 * i];
    const yd = dtKeypoints[3 * i + 1];
    let dx: number;
    let dy: number;
    if (k1 > 0) {
      if (!(g[3 * i + 2] > 0)) continue;
      dx = xd - g[3 * i];
      dy = yd - g[3 * i + 1];
    } else {
      // No labelled keypoint: distance to the GT box doubled on each side.
      dx = Math.max(0, x0 - xd) + Math.max(0, xd - x1);
      dy = Math.max(0, y0 - yd) + Math.max(0, yd - y1);
    }
    const v = (COCO_OKS_SIGMAS[i] * 2) ** 2;
    const e = (dx ** 2 + dy ** 2) / v / (gt.area + EPS) / 2;
    terms.push(Math.exp(-e));
  }
  return npSum(terms) / terms.length;
}

interface ImageEval {
  /** Detection scores, highest first (at most MAX_DETS). */
  scores: number[];
  /** [T][D]: matched (true) or not. */
  dtMatched: boolean[][];
  /** [T][D]: ignored. */
  dtIgnore: boolean[][];
  gtIgnore: boolean[];
}

/** Sorts highest score first, stable (numpy mergesort on -score). */
function byScore(dts: readonly DtRecord[]): DtRecord[] {
  return dts
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.score - a.d.score || a.i - b.i)
    .map((x) => x.d);
}

function evaluateImage(
  gts: readonly GtRecord[],
  dtsSorted: readonly DtRecord[],
  ious: number[][],
  range: readonly [number, number],
): ImageEval | undefined {
  if (!gts.length && !dtsSorted.length) return undefined;
  const flagged = gts.map((g, j) => ({ g, j, ig: g.ignore || g.area < range[0] || g.area > range[1] }));
  // Non-ignored GT first, stable.
  const order = [...flagged.filter((f) => !f.ig), ...flagged.filter((f) => f.ig)];
  const dts = dtsSorted.slice(0, MAX_DETS);
  const T = OKS_THRESHOLDS.length;
  const G = order.length;
  const D = dts.length;
  const gtIgnore = order.map((f) => f.ig);
  const gtMatched: boolean[][] = Array.from({ length: T }, () => new Array<boolean>(G).fill(false));
  const dtMatched: boolean[][] = Array.from({ length: T }, () => new Array<boolean>(D).fill(false));
  const dtIgnore: boolean[][] = Array.from({ length: T }, () => new Array<boolean>(D).fill(false));
  if (ious.length) {
    OKS_THRESHOLDS.forEach((t, ti) => {
      for (let di = 0; di < D; di++) {
        let best = Math.min(t, 1 - 1e-10);
        let m = -1;
        for (let gi = 0; gi < G; gi++) {
          if (gtMatched[ti][gi] && !order[gi].g.iscrowd) continue;
          // Matched to a regular GT already: the ignored ones (sorted last) cannot do better.
          if (m > -1 && !gtIgnore[m] && gtIgnore[gi]) break;
          const v = ious[di][order[gi].j];
          if (v < best) continue;
          best = v;
          m = gi;
        }
        if (m === -1) continue;
        dtIgnore[ti][di] = gtIgnore[m];
        dtMatched[ti][di] = true;
        gtMatched[ti][m] = true;
      }
    });
  }
  // Unmatched detections outside the area range are ignored.
  for (let ti = 0; ti < T; ti++) {
    for (let di = 0; di < D; di++) {
      const outside = dts[di].area < range[0] || dts[di].area > range[1];
      if (!dtMatched[ti][di] && outside) dtIgnore[ti][di] = true;
    }
  }
  return { scores: dts.map((d) => d.score), dtMatched, dtIgnore, gtIgnore };
}

interface Accumulated {
  /** [T][R] or undefined when there is no non-ignored GT (pycocotools' -1). */
  precision?: number[][];
  recall?: number[];
}

function accumulate(evals: ReadonlyArray<ImageEval | undefined>): Accumulated {
  const E = evals.filter((e): e is ImageEval => e !== undefined);
  if (!E.length) return {};
  const entries: Array<{ score: number; img: number; d: number }> = [];
  E.forEach((e, img) => e.scores.slice(0, MAX_DETS).forEach((score, d) => entries.push({ score, img, d })));
  // np.argsort(-scores, kind='mergesort'): stable, highest first.
  const sorted = entries
    .map((x, i) => ({ x, i }))
    .sort((a, b) => b.x.score - a.x.score || a.i - b.i)
    .map((y) => y.x);
  const npig = E.reduce((n, e) => n + e.gtIgnore.filter((ig) => !ig).length, 0);
  if (npig === 0) return {};
  const precision: number[][] = [];
  const recall: number[] = [];
  for (let t = 0; t < OKS_THRESHOLDS.length; t++) {
    let tp = 0;
    let fp = 0;
    const rc: number[] = [];
    const pr: number[] = [];
    for (const s of sorted) {
      const matched = E[s.img].dtMatched[t][s.d];
      const ignored = E[s.img].dtIgnore[t][s.d];
      if (matched && !ignored) tp++;
      if (!matched && !ignored) fp++;
      rc.push(tp / npig);
      pr.push(tp / (fp + tp + EPS));
    }
    const nd = rc.length;
    recall.push(nd ? rc[nd - 1] : 0);
    for (let i = nd - 1; i > 0; i--) if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
    // searchsorted(rc, recThrs, 'left'); thresholds beyond the reached recall keep precision 0.
    const q = new Array<number>(REC_THRESHOLDS.length).fill(0);
    let i = 0;
    for (let r = 0; r < REC_THRESHOLDS.length; r++) {
      while (i < nd && rc[i] < REC_THRESHOLDS[r]) i++;
      if (i >= nd) break;
      q[r] = pr[i];
    }
    precision.push(q);
  }
  return { precision, recall };
}

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : -1;
}

/**
 * AP/AR as COCOeval.summarize() reports them for keypoints (maxDets 20). A figure with no non-ignored GT
 * in its area range is -1, as in pycocotools.
 */
export function evaluateKeypoints(gt: CocoKeypointsGt, dets: readonly CocoKeypointsDet[]): CocoKeypointStats {
  const imgIds = [...new Set(gt.images.map((im) => im.id))].sort((a, b) => a - b);
  const known = new Set(imgIds);
  const gtsByImage = new Map<number, GtRecord[]>();
  for (const a of gt.annotations) {
    if (!known.has(a.image_id)) continue;
    const list = gtsByImage.get(a.image_id) ?? [];
    list.push(toGtRecord(a));
    gtsByImage.set(a.image_id, list);
  }
  const dtsByImage = new Map<number, DtRecord[]>();
  for (const d of dets) {
    if (!known.has(d.image_id))
      throw new Error(`detection for image_id ${d.image_id}, which the ground truth does not list`);
    const list = dtsByImage.get(d.image_id) ?? [];
    list.push({ keypoints: d.keypoints, score: d.score, area: detArea(d.keypoints) });
    dtsByImage.set(d.image_id, list);
  }

  const perImage = imgIds.map((id) => {
    const gts = gtsByImage.get(id) ?? [];
    const dts = byScore(dtsByImage.get(id) ?? []).slice(0, MAX_DETS);
    const ious = gts.length && dts.length ? dts.map((d) => gts.map((g) => oks(d.keypoints, g))) : [];
    return { gts, dts, ious };
  });

  const acc = {} as Record<AreaName, Accumulated>;
  for (const name of Object.keys(AREA_RANGES) as AreaName[]) {
    acc[name] = accumulate(perImage.map((im) => evaluateImage(im.gts, im.dts, im.ious, AREA_RANGES[name])));
  }
  const tIndex = (thr: number): number => OKS_THRESHOLDS.findIndex((t) => t === thr);
  const ap = (area: AreaName, thr?: number): number => {
    const p = acc[area].precision;
    if (!p) return -1;
    const rows = thr === undefined ? p : [p[tIndex(thr)]];
    return mean(rows.flat());
  };
  const ar = (area: AreaName, thr?: number): number => {
    const r = acc[area].recall;
    if (!r) return -1;
    return mean(thr === undefined ? r : [r[tIndex(thr)]]);
  };
  return {
    AP: ap('all'),
    AP50: ap('all', 0.5),
    AP75: ap('all', 0.75),
    APm: ap('medium'),
    APl: ap('large'),
    AR: ar('all'),
    AR50: ar('all', 0.5),
    AR75: ar('all', 0.75),
  };
}

/** One of our people as a COCO keypoint result (COCO-17 via fromBody25; a missing point is 0,0,0). */
export function personToCocoDet(imageId: number, person: Person): CocoKeypointsDet {
  const kps = fromBody25('coco17', person.keypoints);
  const keypoints: number[] = [];
  for (const k of kps) {
    if (k.score > 0 && Number.isFinite(k.x) && Number.isFinite(k.y)) keypoints.push(k.x, k.y, k.score);
    else keypoints.push(0, 0, 0);
  }
  return { image_id: imageId, keypoints, score: person.score };
}
