import type { LabelSetId } from '../types.js';
import { IGNORE, LABEL_SETS, toViton13Table, type LabelTable } from '../parsing/labelsets.js';

/**
 * Human-parsing metrics by the LIP protocol as SCHP computes them (SPEC §9): one confusion matrix over all
 * pixels of all images, GT 255 ignored; pixel accuracy = trace/total; IoU_c = TP/(GT+Pred-TP).
 * `mIoU_all` is SCHP's figure: the mean over ALL classes, a class absent from both maps counting 0 (its
 * denominator is clamped to 1). `mIoU` averages only the classes present in GT or prediction, which is
 * the fairer figure on a small set where some classes never occur. All figures are fractions in 0..1.
 */
export interface ConfusionMatrix {
  /** Number of classes. */
  readonly n: number;
  /** n*n counts, row = GT class, column = predicted class. */
  readonly counts: Float64Array;
  /** Pixels skipped because the GT or the prediction held IGNORE (255). */
  ignored: number;
  /** Pixels skipped because a value was neither a class id nor IGNORE (e.g. LIP maps holding 20). */
  outOfRange: number;
}

export function createConfusion(n: number): ConfusionMatrix {
  return { n, counts: new Float64Array(n * n), ignored: 0, outOfRange: 0 };
}

/**
 * Adds one image's pixels. `gt` and `pred` are label arrays of the same length in the matrix's label set
 * (map them with `comparisonTables` first). A pixel whose GT or prediction is IGNORE is skipped: GT 255 by
 * the LIP protocol, a mapped IGNORE because the class has no counterpart in the other set.
 */
export function addToConfusion(cm: ConfusionMatrix, gt: Uint8Array, pred: Uint8Array): void {
  if (gt.length !== pred.length)
    throw new Error(`label arrays differ in size: GT ${gt.length}, prediction ${pred.length}`);
  const { n, counts } = cm;
  for (let i = 0; i < gt.length; i++) {
    const g = gt[i];
    const p = pred[i];
    if (g === IGNORE || p === IGNORE) cm.ignored++;
    else if (g >= n || p >= n) cm.outOfRange++;
    else counts[g * n + p]++;
  }
}

export function mergeConfusion(into: ConfusionMatrix, from: ConfusionMatrix): void {
  if (into.n !== from.n) throw new Error('confusion matrices of different class counts');
  for (let i = 0; i < into.counts.length; i++) into.counts[i] += from.counts[i];
  into.ignored += from.ignored;
  into.outOfRange += from.outOfRange;
}

export interface ClassScore {
  name: string;
  /** TP / (GT + Pred - TP); null when the class is in neither GT nor prediction. */
  iou: number | null;
  /** TP / GT; null when the class is absent from GT. */
  accuracy: number | null;
  gtPixels: number;
  predPixels: number;
}

export interface ParsingScores {
  /** Pixels counted (not ignored). */
  pixels: number;
  pixelAccuracy: number;
  /** SCHP's mean accuracy: mean over all classes of TP / max(1, GT). */
  meanAccuracy: number;
  /** Mean IoU over the classes present in GT or prediction. */
  mIoU: number;
  /** Mean IoU over all classes, absent classes counting 0 (SCHP's compute_mean_iou). */
  mIoU_all: number;
  perClass: ClassScore[];
  ignored: number;
  outOfRange: number;
}

export function scoreConfusion(cm: ConfusionMatrix, names: readonly string[]): ParsingScores {
  const { n, counts } = cm;
  let total = 0;
  let trace = 0;
  const perClass: ClassScore[] = [];
  let iouAll = 0;
  let iouPresent = 0;
  let present = 0;
  let accAll = 0;
  for (let c = 0; c < n; c++) {
    let gtPixels = 0;
    let predPixels = 0;
    for (let k = 0; k < n; k++) {
      gtPixels += counts[c * n + k];
      predPixels += counts[k * n + c];
    }
    const tp = counts[c * n + c];
    total += gtPixels;
    trace += tp;
    const union = gtPixels + predPixels - tp;
    const iou = union > 0 ? tp / union : null;
    iouAll += tp / Math.max(1, union);
    accAll += tp / Math.max(1, gtPixels);
    if (iou !== null) {
      iouPresent += iou;
      present++;
    }
    perClass.push({
      name: names[c] ?? String(c),
      iou,
      accuracy: gtPixels > 0 ? tp / gtPixels : null,
      gtPixels,
      predPixels,
    });
  }
  return {
    pixels: total,
    pixelAccuracy: total > 0 ? trace / total : 0,
    meanAccuracy: n ? accAll / n : 0,
    mIoU: present ? iouPresent / present : 0,
    mIoU_all: n ? iouAll / n : 0,
    perClass,
    ignored: cm.ignored,
    outOfRange: cm.outOfRange,
  };
}

/** How predictions and ground truth of two label sets are brought to one set before scoring. */
export interface ComparisonTables {
  /** The label set both sides are scored in. */
  set: LabelSetId;
  names: readonly string[];
  /** Lookup tables (value -> common class, IGNORE for no counterpart); undefined = identity. */
  pred?: LabelTable;
  gt?: LabelTable;
  /** One line for people: how the sets were reconciled. */
  note: string;
}

/**
 * Picks the common grouping for a prediction in `predSet` against GT in `gtSet`. Same set: compared as is.
 * Different sets: both go to the VITON-13 grouping (SPEC §1); when either side is Dress Code or ATR, whose
 * head/face class covers the neck, CIHP's neck (10) is scored as face. Pascal-Person-Part splits limbs
 * into upper and lower parts, which no other set's labels determine, so it compares only with itself.
 */
export function comparisonTables(predSet: LabelSetId, gtSet: LabelSetId): ComparisonTables {
  if (predSet === gtSet) {
    return { set: gtSet, names: LABEL_SETS[gtSet].names, note: `both in ${gtSet}` };
  }
  if (predSet === 'pascal' || gtSet === 'pascal') {
    throw new Error(
      'pascal labels split limbs into upper and lower parts and compare only with pascal labels',
    );
  }
  const neckAsFace = [predSet, gtSet].some((s) => s === 'dresscode' || s === 'atr');
  const options = neckAsFace ? { neckAs: 'face' as const } : {};
  return {
    set: 'viton13',
    names: LABEL_SETS.viton13.names,
    pred: toViton13Table(predSet, options),
    gt: toViton13Table(gtSet, options),
    note: `${predSet} vs ${gtSet} via the VITON-13 grouping${neckAsFace ? ' (CIHP neck scored as face)' : ''}`,
  };
}

/** Applies an optional table (undefined: the labels unchanged). */
export function mapLabels(labels: Uint8Array, t: LabelTable | undefined): Uint8Array {
  if (!t) return labels;
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = t[labels[i]];
  return out;
}
