import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { LABEL_SETS } from '../../parsing/labelsets.js';
import type { LabelSetId } from '../../types.js';
import { buildReport } from '../../eval/report.js';
import {
  evaluateParseFolders,
  evaluatePoseFolders,
  type FileFailure,
  type ParseEvalResult,
  type PoseEvalResult,
} from '../../eval/run.js';
import { DEFAULT_PCK_ALPHAS } from '../../eval/pck.js';
import { comparisonTables } from '../../eval/parsing.js';
import { oneOf, parseCli, type CliCommand } from '../args.js';

const SETS = Object.keys(LABEL_SETS) as LabelSetId[];

const HELP = `Usage:
  parsepose eval parse  --pred <dir> --gt <dir> [--labels <set> | --pred-labels <set> --gt-labels <set>] [--json]
  parsepose eval pose   --pred <dir> --gt <coco.json | mpii.json | dir> [--gt-scale <k>] [--images <dir>]
                        [--alpha 0.05,0.1,0.2] [--ref-threshold 0.3] [--json]
  parsepose eval report --pred <dir> --gt <dir> -o report.html [label and pose options as above]

eval parse   Human-parsing scores by the LIP protocol: one confusion matrix over all pixels of all photos
             (ground truth 255 ignored), pixel accuracy, mean accuracy, per-class IoU, mIoU over the classes
             present in ground truth or prediction, and mIoU_all over all classes as SCHP computes it.
             Files pair by stem (Dress Code's 052012_0 / 052012_4 naming too). A folder holding
             image-parse-v3/ (pred) or image-parse-v3/, label_maps/, labels/ (gt) is looked into.
             Label maps: palette PNG (index = class), gray PNG or JPEG (value = class), or RGB PNG in the
             set's palette. Sizes must match: a mismatch is reported for that file, never resized.
  --labels <set>       Label set of both sides (default cihp): ${SETS.join(', ')}.
  --pred-labels <set>, --gt-labels <set>
                       Different sets: both are scored in the VITON-13 grouping (the neck as face when one
                       side is dresscode or atr, whose head class covers it). pascal compares only with pascal.

eval pose    --gt a COCO keypoints JSON: pycocotools' OKS AP, AP50, AP75, APm, APl, AR (maxDets 20); our
             {stem}_keypoints.json pair with the images' file_name stems; GT images without a prediction
             count as missed.
             --gt a folder of OpenPose JSON (or a dataset root with openpose_json/ or keypoints/): PCK per
             BODY_25 keypoint type at alpha x image height, reference points with confidence > 0.3;
             PCKh@0.5 where a reference person has "head_box": [x1,y1,x2,y2]. The image height comes from
             the photo (--images, or image/ or images/ beside the references), else canvas_height.
             --gt an MPII list JSON (mmpose format: image, joints, joints_vis, optional headbox): PCK, and
             PCKh where head boxes exist.
  --gt-scale <k>       Multiply reference coordinates (Dress Code keypoints are 384x512: use 2).
  --alpha <list>       PCK thresholds as fractions of the image height (default ${DEFAULT_PCK_ALPHAS.join(',')}).
  --ref-threshold <c>  Reference points with confidence <= c are not scored (default 0.3).

eval report  An HTML contact sheet: per photo the input, our S-map and P-map overlays, the reference ones
             and the photo's scores, thumbnails embedded as PNG. Expected layout (all optional):
               <pred>/image-parse-v3/{stem}.png, <pred>/image-parse-vis/{stem}.png,
               <pred>/openpose_json/{stem}_keypoints.json, <pred>/openpose_vis/{stem}.png or
               <pred>/openpose_img/{stem}_rendered.png; <gt>/image-parse-v3|label_maps|labels/,
               <gt>/openpose_json|keypoints/, <gt>/openpose_img/; photos in --images or image/, images/.
             Missing overlays are drawn from the S-map / JSON and the photo.
  -o, --out <file>     The HTML file to write.

--json prints one JSON object: parse: mIoU, mIoU_all, pixelAccuracy, meanAccuracy, perClass, ...;
pose: AP, AP50, AP75, APm, APl, AR, AR50, AR75 (COCO) or PCK, PCKh, perKeypoint (references).
Figures are fractions in 0..1 (tables show percent). Exit 0 ok, 1 some files failed or nothing paired,
2 usage error.`;

const OPTIONS = {
  pred: { type: 'string' },
  gt: { type: 'string' },
  labels: { type: 'string' },
  'pred-labels': { type: 'string' },
  'gt-labels': { type: 'string' },
  'gt-scale': { type: 'string' },
  images: { type: 'string', multiple: true },
  alpha: { type: 'string' },
  'ref-threshold': { type: 'string' },
  out: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseCli<typeof OPTIONS>>['values'];

function required(values: Values, name: 'pred' | 'gt'): string {
  const v = values[name];
  if (!v) throw new UsageError(`--${name} <dir> is required`);
  return v;
}

function labelSets(values: Values): { predSet: LabelSetId; gtSet: LabelSetId } {
  const both = oneOf('labels', values.labels, SETS, 'cihp');
  const predSet = oneOf('pred-labels', values['pred-labels'], SETS, both);
  const gtSet = oneOf('gt-labels', values['gt-labels'], SETS, both);
  try {
    comparisonTables(predSet, gtSet);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  return { predSet, gtSet };
}

function positiveNumber(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n))
    throw new UsageError(`--${name} must be a positive number (got "${v}")`);
  return n;
}

function poseOptions(values: Values) {
  const alphas = values.alpha?.split(',').map((a) => positiveNumber('alpha', a.trim()) as number);
  const refThreshold = values['ref-threshold'] === undefined ? undefined : Number(values['ref-threshold']);
  if (refThreshold !== undefined && !(refThreshold >= 0 && refThreshold < 1)) {
    throw new UsageError(`--ref-threshold must be in 0..1 (got "${values['ref-threshold']}")`);
  }
  return {
    gtScale: positiveNumber('gt-scale', values['gt-scale']),
    images: values.images,
    alphas,
    refThreshold,
  };
}

/** Aligned text table; numeric-looking cells are right-aligned. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const isNum = (s: string): boolean => /^[-–\d.%]+$/.test(s);
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => (isNum(c) && i > 0 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const pct = (v: number | null | undefined): string =>
  v === null || v === undefined || v < 0 ? '–' : (100 * v).toFixed(2);
const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 1e6) / 1e6);

function reportProblems(failed: readonly FileFailure[], notes: Array<[string, readonly string[]]>): void {
  for (const f of failed)
    console.error(`failed: ${f.error.startsWith(f.file) ? f.error : `${f.file}: ${f.error}`}`);
  for (const [what, files] of notes) {
    if (files.length)
      console.error(
        `${what} (${files.length}): ${files.slice(0, 5).join(', ')}${files.length > 5 ? ', ...' : ''}`,
      );
  }
}

function parseJson(r: ParseEvalResult): Record<string, unknown> {
  const s = r.scores;
  return {
    mIoU: round(s.mIoU),
    mIoU_all: round(s.mIoU_all),
    pixelAccuracy: round(s.pixelAccuracy),
    meanAccuracy: round(s.meanAccuracy),
    perClass: s.perClass.map((c, id) => ({
      id,
      name: c.name,
      iou: round(c.iou),
      accuracy: round(c.accuracy),
      gtPixels: c.gtPixels,
      predPixels: c.predPixels,
    })),
    labelSet: r.comparison.set,
    comparison: r.comparison.note,
    images: r.images.filter((i) => i.scores).length,
    pixels: s.pixels,
    ignoredPixels: s.ignored,
    outOfRangePixels: s.outOfRange,
    perImage: r.images.map((i) =>
      i.scores
        ? { stem: i.stem, mIoU: round(i.scores.mIoU), pixelAccuracy: round(i.scores.pixelAccuracy) }
        : { stem: i.stem, error: i.error },
    ),
    unmatched: { pred: r.predOnly, gt: r.gtOnly },
    failed: r.failed,
  };
}

async function runParse(values: Values): Promise<number> {
  const pred = required(values, 'pred');
  const gt = required(values, 'gt');
  const { predSet, gtSet } = labelSets(values);
  const r = await evaluateParseFolders({ pred, gt, predSet, gtSet });
  const scored = r.images.filter((i) => i.scores).length;
  if (values.json) console.log(JSON.stringify(parseJson(r), null, 2));
  else {
    const s = r.scores;
    console.log(`Parsing: ${scored} photos, ${s.pixels} pixels, ${r.comparison.note}`);
    console.log(
      formatTable(
        ['class', 'IoU %', 'acc %', 'GT px', 'pred px'],
        s.perClass.map((c, id) => [
          `${id} ${c.name}`,
          pct(c.iou),
          pct(c.accuracy),
          String(c.gtPixels),
          String(c.predPixels),
        ]),
      ),
    );
    console.log('');
    console.log(
      formatTable(
        ['metric', 'value %'],
        [
          ['pixel accuracy', pct(s.pixelAccuracy)],
          ['mean accuracy', pct(s.meanAccuracy)],
          ['mIoU (present classes)', pct(s.mIoU)],
          ['mIoU_all (SCHP)', pct(s.mIoU_all)],
        ],
      ),
    );
    if (s.ignored || s.outOfRange)
      console.log(`ignored pixels: ${s.ignored}, out-of-range labels: ${s.outOfRange}`);
  }
  reportProblems(r.failed, [
    ['predictions without ground truth', r.predOnly],
    ['ground truth without prediction', r.gtOnly],
  ]);
  if (!r.images.length) {
    console.error('no prediction and ground truth files paired by name');
    return 1;
  }
  return r.failed.length ? 1 : 0;
}

function poseJson(r: PoseEvalResult): Record<string, unknown> {
  if (r.kind === 'coco') {
    const s = r.stats;
    return {
      AP: round(s.AP),
      AP50: round(s.AP50),
      AP75: round(s.AP75),
      APm: round(s.APm),
      APl: round(s.APl),
      AR: round(s.AR),
      AR50: round(s.AR50),
      AR75: round(s.AR75),
      images: r.images,
      detections: r.detections,
      missingPredictions: r.missing,
      unmatched: { pred: r.predOnly },
      failed: r.failed,
    };
  }
  const s = r.scores;
  const roundRec = (o: Record<string, number | null>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v)]));
  return {
    reference: r.reference,
    PCK: roundRec(s.PCK),
    PCKh: round(s.PCKh),
    perKeypoint: s.perKeypoint.map((k) => ({
      name: k.name,
      n: k.n,
      pck: roundRec(k.pck),
      pckh: round(k.pckh),
    })),
    points: s.points,
    people: { reference: s.refPeople, predicted: s.predPeople, matched: s.matchedPeople },
    images: r.images.filter((i) => i.scores).length,
    perImage: r.images.map((i) =>
      i.scores
        ? { stem: i.stem, PCK: roundRec(i.scores.PCK), points: i.scores.points }
        : { stem: i.stem, error: i.error },
    ),
    unmatched: { pred: r.predOnly, gt: r.gtOnly },
    failed: r.failed,
  };
}

async function runPose(values: Values): Promise<number> {
  const pred = required(values, 'pred');
  const gt = required(values, 'gt');
  const r = await evaluatePoseFolders({ pred, gt, ...poseOptions(values) });
  if (values.json) console.log(JSON.stringify(poseJson(r), null, 2));
  else if (r.kind === 'coco') {
    const s = r.stats;
    console.log(
      `COCO keypoints (pycocotools protocol, maxDets 20): ${r.images} images, ${r.detections} detections`,
    );
    console.log(
      formatTable(
        ['metric', 'value %'],
        (['AP', 'AP50', 'AP75', 'APm', 'APl', 'AR', 'AR50', 'AR75'] as const).map((k) => [k, pct(s[k])]),
      ),
    );
  } else {
    const s = r.scores;
    const keys = s.alphas.map(String);
    console.log(
      `PCK vs ${r.reference} references: ${r.images.filter((i) => i.scores).length} photos, ${s.points} points, people ${s.matchedPeople} matched of ${s.refPeople} (${s.predPeople} predicted)`,
    );
    const hasHead = s.PCKh !== null;
    console.log(
      formatTable(
        ['keypoint', 'n', ...keys.map((k) => `PCK@${k} %`), ...(hasHead ? ['PCKh@0.5 %'] : [])],
        [
          ...s.perKeypoint.map((k) => [
            k.name,
            String(k.n),
            ...keys.map((a) => pct(k.pck[a])),
            ...(hasHead ? [pct(k.pckh)] : []),
          ]),
          ['all', String(s.points), ...keys.map((a) => pct(s.PCK[a])), ...(hasHead ? [pct(s.PCKh)] : [])],
        ],
      ),
    );
  }
  reportProblems(r.failed, [
    ['predictions without reference', r.predOnly],
    [
      r.kind === 'coco'
        ? 'ground-truth images without prediction (counted as missed)'
        : 'references without prediction',
      r.kind === 'coco' ? r.missing : r.gtOnly,
    ],
  ]);
  const paired = r.kind === 'coco' ? r.images - r.missing.length : r.images.length;
  if (!paired) {
    console.error('no prediction paired with the ground truth by name');
    return 1;
  }
  return r.failed.length ? 1 : 0;
}

async function runReport(values: Values): Promise<number> {
  const pred = required(values, 'pred');
  const gt = required(values, 'gt');
  if (!values.out) throw new UsageError('-o, --out <file.html> is required');
  const { predSet, gtSet } = labelSets(values);
  const po = poseOptions(values);
  const r = await buildReport({
    pred,
    gt,
    predSet,
    gtSet,
    gtScale: po.gtScale,
    images: po.images,
    alpha: po.alphas?.[0],
  });
  await writeFileAtomic(resolve(values.out), r.html);
  const summary = { report: resolve(values.out), rows: r.rows, failed: r.failed };
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else console.log(`wrote ${summary.report} (${r.rows} photos)`);
  reportProblems(r.failed, []);
  if (!r.rows) return 1;
  return r.failed.length ? 1 : 0;
}

export const command: CliCommand = {
  summary: 'score S-maps / P-maps against references (LIP mIoU, COCO OKS AP, PCK) and make a contact sheet',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values, positionals } = parseCli(argv, OPTIONS);
    const [sub, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (sub === 'parse') return runParse(values);
    if (sub === 'pose') return runPose(values);
    if (sub === 'report') return runReport(values);
    throw new UsageError(
      sub
        ? `unknown eval mode "${sub}" (parse, pose or report)`
        : 'say what to evaluate: parse, pose or report',
    );
  },
};
