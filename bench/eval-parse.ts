/**
 * Scores the default parser on the real photos of ../shared/eval and prints per-class IoU tables.
 *
 *   node --import tsx bench/eval-parse.ts [--set tryon|schp|cihp|all] [--pose ref|default] [--out DIR]
 *     [--prior bodypix:<model folder>] [--prior-weight W]
 *
 * Sets (LIP protocol, src/eval/parsing.ts):
 * - tryon: VITON-HD + Dress Code photos of multimodal-garment-designer, VITON-13 grouping (Dress Code's
 *   head includes the neck: our neck is scored as face there; belt/bag ignored); CIHP-20 on the VITON-HD
 *   photos. People from the reference OpenPose JSON (`--pose ref`, default) or the default estimator.
 * - schp: SCHP's b*.jpeg photos, our map converted to LIP-20 vs SCHP's visualize/lip (needs the estimator).
 * - cihp: the human-annotated CIHP/LIP images (multi-person), CIHP-20 (needs the estimator).
 * Time per photo is the parser alone (pose excluded); `--out` writes S-maps and overlays to look at;
 * `--prior` gives the default parser BodyPix's body parts as an extra prior (e.g.
 * `--prior bodypix:../shared/models/bodypix/mobilenet-quant2-075`).
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadPhoto } from '../src/image/decode.js';
import { readOpenPoseJson } from '../src/pose/openpose-json.js';
import { createPoseEstimator } from '../src/pose/registry.js';
import { createDefaultParser } from '../src/parsing/default/parser.js';
import { convertLabelMap } from '../src/parsing/convert.js';
import { sMapOverlayPng, sMapPng } from '../src/parsing/output.js';
import { writeFileAtomic } from '../src/io/atomic.js';
import { readLabelFile } from '../src/eval/files.js';
import { LABEL_SETS, toViton13Table } from '../src/parsing/labelsets.js';
import {
  addToConfusion,
  createConfusion,
  mapLabels,
  scoreConfusion,
  type ConfusionMatrix,
  type ParsingScores,
} from '../src/eval/parsing.js';
import type { LabelSetId, Person, PoseEstimator } from '../src/types.js';

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'tryon' },
    pose: { type: 'string', default: 'ref' },
    out: { type: 'string' },
    shared: { type: 'string' },
    prior: { type: 'string' },
    'prior-weight': { type: 'string' },
  },
});
const shared = resolve(values.shared ?? join(import.meta.dirname, '..', '..', 'shared'));
const EVAL = join(shared, 'eval');
if (!existsSync(EVAL)) {
  console.error(`no eval data at ${EVAL}`);
  process.exit(2);
}

interface Item {
  id: string;
  photo: string;
  gt: string;
  gtSet: LabelSetId;
  /** reference pose file and its coordinate scale */
  pose?: { path: string; scale: number };
}

const MGD = 'multimodal-garment-designer/assets/data';
const TRYON: Item[] = [
  ...['03191_00', '12419_00'].map((id) => ({
    id,
    photo: `${MGD}/vitonhd/test/image/${id}.jpg`,
    gt: `${MGD}/vitonhd/test/image-parse-v3/${id}.png`,
    gtSet: 'cihp' as const,
    pose: { path: `${MGD}/vitonhd/test/openpose_json/${id}_keypoints.json`, scale: 1 },
  })),
  ...[
    ['dresses', '052012'],
    ['lower_body', '050855'],
    ['lower_body', '050915'],
    ['upper_body', '048462'],
  ].map(([cat, id]) => ({
    id,
    photo: `${MGD}/dresscode/${cat}/images/${id}_0.jpg`,
    gt: `${MGD}/dresscode/${cat}/label_maps/${id}_4.png`,
    gtSet: 'dresscode' as const,
    pose: { path: `${MGD}/dresscode/${cat}/keypoints/${id}_2.json`, scale: 2 },
  })),
];
const SCHP: Item[] = Array.from({ length: 10 }, (_, i) => ({
  id: `b${i + 1}`,
  photo: `Self-Correction-Human-Parsing/image_test/b${i + 1}.jpeg`,
  gt: `Self-Correction-Human-Parsing/visualize/lip/b${i + 1}.png`,
  gtSet: 'lip' as const,
}));
const CIHP: Item[] = [
  ...['0002190', '0005008', '0012008', '0026375', '0032190'].map((id) => ({
    id,
    photo: `CIHP_PGN/datasets/CIHP/images/${id}.jpg`,
    gt: `CIHP_PGN/datasets/CIHP/labels/${id}.png`,
    gtSet: 'cihp' as const,
  })),
  {
    id: '0000002',
    photo: 'Graphonomy/data/datasets/CIHP_4w/Images/0000002.jpg',
    gt: 'Graphonomy/data/datasets/CIHP_4w/Category_ids/0000002.png',
    gtSet: 'cihp' as const,
  },
];

function table(title: string, s: ParsingScores): string {
  const rows = s.perClass
    .filter((c) => c.iou !== null)
    .map(
      (c) =>
        `  ${c.name.padEnd(15)} ${(c.iou! * 100).toFixed(1).padStart(5)}  gt ${String(c.gtPixels).padStart(8)}  pred ${String(c.predPixels).padStart(8)}`,
    );
  return [
    `${title}: mIoU ${(s.mIoU * 100).toFixed(1)}  pixel acc ${(s.pixelAccuracy * 100).toFixed(1)}  (${s.pixels} px, ignored ${s.ignored})`,
    ...rows,
  ].join('\n');
}

const parser = await createDefaultParser(
  { prior: values.prior },
  values['prior-weight'] ? { priorWeight: Number(values['prior-weight']) } : {},
);
let estimator: PoseEstimator | undefined;
async function peopleFor(item: Item, photo: Awaited<ReturnType<typeof loadPhoto>>): Promise<Person[]> {
  if (item.pose && values.pose === 'ref') {
    return readOpenPoseJson(await readFile(join(EVAL, item.pose.path), 'utf8'), { scale: item.pose.scale })
      .people;
  }
  estimator ??= await createPoseEstimator('default', { quality: 'balanced' });
  return estimator.estimate(photo);
}

interface Run {
  name: string;
  items: Item[];
  /** label set our map is converted to before scoring */
  predSet: 'cihp' | 'lip';
  groupings: Array<{ name: string; only?: (i: Item) => boolean; viton13: boolean }>;
}
const RUNS: Record<string, Run> = {
  tryon: {
    name: 'VITON-HD + Dress Code',
    items: TRYON,
    predSet: 'cihp',
    groupings: [
      { name: 'VITON-13, all 6 photos', viton13: true },
      { name: 'VITON-13, VITON-HD 2', viton13: true, only: (i) => i.gtSet === 'cihp' },
      { name: 'VITON-13, Dress Code 4', viton13: true, only: (i) => i.gtSet === 'dresscode' },
      { name: 'CIHP-20, VITON-HD 2', viton13: false, only: (i) => i.gtSet === 'cihp' },
    ],
  },
  schp: {
    name: 'SCHP b1-b10 (LIP-20 vs SCHP)',
    items: SCHP,
    predSet: 'lip',
    groupings: [{ name: 'LIP-20', viton13: false }],
  },
  cihp: {
    name: 'CIHP human-annotated',
    items: CIHP,
    predSet: 'cihp',
    groupings: [{ name: 'CIHP-20', viton13: false }],
  },
};

const selected = values.set === 'all' ? Object.keys(RUNS) : [values.set!];
for (const key of selected) {
  const run = RUNS[key];
  if (!run) throw new Error(`unknown set ${key}`);
  const cms: ConfusionMatrix[] = run.groupings.map((g) => createConfusion(g.viton13 ? 13 : 20));
  let totalMs = 0;
  const perImage: string[] = [];
  for (const item of run.items) {
    const photo = await loadPhoto(join(EVAL, item.photo));
    const people = await peopleFor(item, photo);
    const t0 = performance.now();
    const { map } = await parser.parse(photo, people);
    const ms = performance.now() - t0;
    totalMs += ms;
    const pred = convertLabelMap(map, run.predSet, people);
    const gt = await readLabelFile(join(EVAL, item.gt), item.gtSet);
    if (gt.width !== pred.width || gt.height !== pred.height)
      throw new Error(`${item.id}: size differs from GT`);
    run.groupings.forEach((g, k) => {
      if (g.only && !g.only(item)) return;
      if (g.viton13) {
        const neckAs = item.gtSet === 'dresscode' ? ({ neckAs: 'face' } as const) : {};
        addToConfusion(
          cms[k],
          mapLabels(gt.labels, toViton13Table(item.gtSet, neckAs)),
          mapLabels(pred.labels, toViton13Table(run.predSet, neckAs)),
        );
      } else addToConfusion(cms[k], gt.labels, pred.labels);
    });
    // per-image figure on the first grouping
    const one = createConfusion(run.groupings[0].viton13 ? 13 : 20);
    if (run.groupings[0].viton13) {
      const neckAs = item.gtSet === 'dresscode' ? ({ neckAs: 'face' } as const) : {};
      addToConfusion(
        one,
        mapLabels(gt.labels, toViton13Table(item.gtSet, neckAs)),
        mapLabels(pred.labels, toViton13Table(run.predSet, neckAs)),
      );
    } else addToConfusion(one, gt.labels, pred.labels);
    const s = scoreConfusion(
      one,
      run.groupings[0].viton13 ? LABEL_SETS.viton13.names : LABEL_SETS[run.predSet].names,
    );
    perImage.push(
      `  ${item.id.padEnd(10)} mIoU ${(s.mIoU * 100).toFixed(1)}  acc ${(s.pixelAccuracy * 100).toFixed(1)}  people ${people.length}  ${ms.toFixed(0)} ms`,
    );
    if (values.out) {
      await writeFileAtomic(join(values.out, 'image-parse-v3', `${item.id}.png`), sMapPng(pred));
      await writeFileAtomic(
        join(values.out, 'image-parse-vis', `${item.id}.png`),
        await sMapOverlayPng(photo, pred),
      );
    }
  }
  console.log(
    `\n== ${run.name} (${run.items.length} photos, parser ${(totalMs / run.items.length).toFixed(0)} ms/photo)`,
  );
  console.log(perImage.join('\n'));
  run.groupings.forEach((g, k) => {
    const names = g.viton13 ? LABEL_SETS.viton13.names : LABEL_SETS[run.predSet].names;
    console.log(table(g.name, scoreConfusion(cms[k], names)));
  });
}
parser.dispose();
estimator?.dispose();
