import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { OUTPUT_LABEL_SETS } from '../parsing/labelsets.js';
import { runBatch, type BatchSummary } from '../pipeline/batch.js';
import { LAYOUT } from '../pipeline/layout.js';
import { DEFAULT_PIPELINE_OPTIONS, type PipelineOptions } from '../pipeline/options.js';
import { defaultWorkers, oneOf, parseCli, positiveInt, type CliCommand, type Options } from './args.js';
import { ProgressBar } from './progress.js';

type Kind = 'pose' | 'parse' | 'run';

const COMMON: Options = {
  out: { type: 'string', short: 'o' },
  workers: { type: 'string', short: 'w' },
  quality: { type: 'string', short: 'q' },
  'pose-model': { type: 'string' },
  'net-resolution': { type: 'string' },
  scales: { type: 'string' },
  'debug-maps': { type: 'boolean' },
  'max-pixels': { type: 'string' },
  recursive: { type: 'boolean', short: 'r' },
  overwrite: { type: 'boolean' },
  json: { type: 'boolean' },
};
const POSE: Options = {
  format: { type: 'string', short: 'f' },
  style: { type: 'string' },
  'no-vis': { type: 'boolean' },
  'render-threshold': { type: 'string' },
};
const PARSE: Options = {
  labels: { type: 'string', short: 'l' },
  'parse-model': { type: 'string' },
  logits: { type: 'boolean' },
  flip: { type: 'boolean' },
  'parse-prior': { type: 'string' },
};

const HELP_COMMON = `  -o, --out <dir>          output folder (required)
  -w, --workers <n>        worker threads, each with its own models (default: cores = ${defaultWorkers()})
  -q, --quality <q>        fast | balanced | best  (default balanced: speed vs accuracy)
      --pose-model <spec>  default | openpose-tfjs:<dir> | openpose-onnx:<file> | dwpose[:<dir>]
      --net-resolution WxH OpenPose-style networks: input size, -1 keeps the aspect (default -1x368)
      --scales <list>      OpenPose-style networks: scales averaged, e.g. 1,0.75,0.5
      --debug-maps         OpenPose-style networks: write heatmap and PAF overlays to <out>/debug_maps
      --max-pixels <n>     refuse larger images (default 50000000)
  -r, --recursive          look into sub-folders of folder inputs
      --overwrite          redo photos whose outputs already exist (default: skip them, so a killed run resumes)
      --json               print a machine-readable summary on stdout`;

const HELP_POSE = `  -f, --format <f>         body25 | coco18 | coco17  (default body25, OpenPose's default)
      --style <s>          openpose (what try-on datasets hold) | openpose-cpu | controlnet
      --no-vis             do not write the skeleton blended over the photo (openpose_vis/)
      --render-threshold c draw keypoints with confidence > c (default 0.2; the JSON keeps every score)`;
const HELP_PARSE = `  -l, --labels <set>       cihp | lip | atr | pascal  (default cihp: 10 = neck, what VITON-HD needs)
      --parse-model <spec> default | schp-lip:<file> | schp-atr:<file> | schp-pascal:<file> |
                           schp-lip:<file>,schp-atr:<file> (CIHP with neck) | bodypix[:<dir>] | bodypix-pascal[:<dir>]
      --logits             also write class probabilities (image-parse-prob/{stem}.npy, C x H x W float32,
                           C = classes of --labels; learned parsers: when --labels is their own set)
      --flip               flip test (learned parsers)
      --parse-prior <spec> default parser: BodyPix body parts as an extra prior, bodypix:<dir> (weights
                           you bring; measured +1.3 LIP mIoU on SCHP's photos, -0.8 on try-on photos)`;

function outputsText(kind: Kind): string {
  const lines: string[] = [];
  if (kind !== 'parse') {
    lines.push(
      `  ${LAYOUT.poseJson('<out>', '{stem}')}   OpenPose JSON 1.3 (BODY_25 unless --format)`,
      `  ${LAYOUT.poseImg('<out>', '{stem}')}   skeleton on black, the photo's size`,
      `  ${LAYOUT.poseVis('<out>', '{stem}')}             skeleton blended over the photo`,
    );
  }
  if (kind !== 'pose') {
    lines.push(
      `  ${LAYOUT.parse('<out>', '{stem}')}            S-map: 8-bit palette PNG, pixel = class id`,
      `  ${LAYOUT.parseVis('<out>', '{stem}')}           S-map overlay on the photo with a legend`,
    );
  }
  lines.push('  <out>/parsepose-report.json              summary and per-file failures');
  return lines.join('\n');
}

const TITLES: Record<Kind, string> = {
  pose: "P-maps: every person's body keypoints as OpenPose JSON, and the skeleton drawn like OpenPose draws it",
  parse: 'S-maps: per-pixel human parsing into labelled parts (CIHP, LIP, ATR or Pascal labels)',
  run: 'S-maps and P-maps in one pass (one decode and one pose estimation per photo)',
};

export function batchCommand(kind: Kind): CliCommand {
  const options: Options = {
    ...COMMON,
    ...(kind !== 'parse' ? POSE : {}),
    ...(kind !== 'pose' ? PARSE : {}),
  };
  const help = `parsepose ${kind} — ${TITLES[kind]}

Usage: parsepose ${kind} <inputs...> -o <out> [options]

Inputs are image files (JPEG, PNG, WebP; EXIF orientation applied), folders (their images, sorted) or
quoted globs such as "photos/**/*.jpg".

Options:
${HELP_COMMON}
${kind !== 'parse' ? HELP_POSE + '\n' : ''}${kind !== 'pose' ? HELP_PARSE + '\n' : ''}
Writes:
${outputsText(kind)}

Exit codes: 0 all photos succeeded, 1 some failed (they are listed; the others are written), 2 usage error.

Example:
  parsepose ${kind} photos/ -o out/ --workers 2`;
  return {
    summary: TITLES[kind],
    help,
    async run(argv) {
      const { values: v, positionals } = parseCli(argv, options);
      if (!positionals.length) throw new UsageError('no inputs given (files, folders or globs)');
      if (typeof v.out !== 'string') throw new UsageError('--out <dir> is required');
      const outDir = resolve(v.out);
      const opts: PipelineOptions = {
        ...DEFAULT_PIPELINE_OPTIONS,
        pose: kind !== 'parse',
        parse: kind !== 'pose',
        quality: oneOf('quality', v.quality as string | undefined, ['fast', 'balanced', 'best'], 'balanced'),
        poseModel: (v['pose-model'] as string | undefined) ?? 'default',
        parseModel: (v['parse-model'] as string | undefined) ?? 'default',
        format: oneOf('format', v.format as string | undefined, ['body25', 'coco18', 'coco17'], 'body25'),
        style: oneOf(
          'style',
          v.style as string | undefined,
          ['openpose', 'openpose-cpu', 'controlnet'],
          'openpose',
        ),
        labels: oneOf('labels', v.labels as string | undefined, OUTPUT_LABEL_SETS, 'cihp'),
        vis: !v['no-vis'],
        renderThreshold: unitInterval('render-threshold', v['render-threshold'] as string | undefined, 0.2),
        logits: Boolean(v.logits),
        flip: Boolean(v.flip),
        parsePrior: v['parse-prior'] as string | undefined,
        maxPixels: positiveInt(
          'max-pixels',
          v['max-pixels'] as string | undefined,
          DEFAULT_PIPELINE_OPTIONS.maxPixels,
        ),
        netResolution: v['net-resolution'] as string | undefined,
        scales: parseScales(v.scales as string | undefined),
        debugMapsDir: v['debug-maps'] ? LAYOUT.debugMaps(outDir) : undefined,
        overwrite: Boolean(v.overwrite),
      };
      if (opts.netResolution && !/^(-1|\d+)x(-1|\d+)$/.test(opts.netResolution)) {
        throw new UsageError(
          `--net-resolution must look like 656x368 or -1x368 (got "${opts.netResolution}")`,
        );
      }
      const workers = positiveInt('workers', v.workers as string | undefined, defaultWorkers());
      const bar = new ProgressBar(0);
      let progress: ProgressBar | undefined;
      const summary = await runBatch(opts, {
        inputs: positionals,
        outDir,
        workers,
        recursive: Boolean(v.recursive),
        onProgress: (done, total, last) => {
          progress ??= new ProgressBar(total);
          progress.update(done, last);
        },
      });
      (progress ?? bar).finish();
      printSummary(kind, summary, Boolean(v.json));
      return summary.failed.length ? 1 : 0;
    },
  };
}

function unitInterval(name: string, s: string | undefined, fallback: number): number {
  if (s === undefined) return fallback;
  const x = Number(s);
  if (!(x >= 0 && x <= 1)) throw new UsageError(`--${name} must be a number in 0..1 (got "${s}")`);
  return x;
}

function parseScales(s: string | undefined): number[] | undefined {
  if (s === undefined) return undefined;
  const scales = s.split(',').map(Number);
  if (!scales.length || scales.some((x) => !(x > 0 && x <= 4))) {
    throw new UsageError(`--scales must be comma-separated numbers in (0, 4] (got "${s}")`);
  }
  return scales;
}

export function printSummary(kind: string, s: BatchSummary, json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ command: kind, ...s }, null, 2));
    return;
  }
  const parts = [
    `${s.photos} photo${s.photos === 1 ? '' : 's'}`,
    `${s.succeeded} done`,
    ...(s.skipped ? [`${s.skipped} skipped (outputs exist; --overwrite redoes them)`] : []),
    `${s.failed.length} failed`,
    `${s.people} people`,
    `${s.photosPerSecond.toFixed(2)} photos/s with ${s.workers} worker${s.workers === 1 ? '' : 's'}`,
  ];
  console.error(`parsepose ${kind}: ${parts.join(', ')}`);
  console.error(`outputs in ${s.outDir}`);
  if (s.failed.length) {
    console.error('failed:');
    for (const f of s.failed) console.error(`  ${f.message} [${f.code}]`);
  }
}
