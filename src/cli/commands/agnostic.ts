import { resolve } from 'node:path';
import { ParseposeError, UsageError } from '../../errors.js';
import { loadPhoto, photoId } from '../../image/decode.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { LAYOUT } from '../../pipeline/layout.js';
import {
  AGNOSTIC_VARIANTS,
  agnosticImage,
  isMissing,
  parseAgnostic,
  type AgnosticOptions,
} from '../../tryon/agnostic.js';
import { clothMask } from '../../tryon/cloth-mask.js';
import {
  encodeCihpPng,
  encodeMaskJpeg,
  encodeRgbJpeg,
  readCihpParsePng,
  readFirstPersonKeypoints,
} from '../../tryon/files.js';
import type { Keypoint } from '../../types.js';
import { oneOf, parseCli, type CliCommand } from '../args.js';

const HELP = `Usage:
  parsepose agnostic --image <photo> --parse <s-map.png> [--pose <keypoints.json>] -o <dir> [options]
  parsepose agnostic --cloth <product photo> -o <dir>

Writes the clothing-agnostic inputs of VITON-HD / HR-VITON (SPEC §6), named after the photo's stem:
  <dir>/image-parse-agnostic-v3.2/{stem}.png  the S-map without upper clothes, neck and the arms' upper
                                              parts (palette PNG, CIHP colours, pixel = class id)
  <dir>/agnostic-v3.2/{stem}.jpg              the photo with torso, arms and neck painted grey (128)
  <dir>/cloth-mask/{stem}.jpg                 with --cloth: 255 garment, 0 backdrop

  --image <file>        the person photo (768x1024 in the datasets; any size works)
  --parse <file>        its CIHP-20 S-map: palette or grayscale PNG of the same size (image-parse-v3)
  --pose <file>         its OpenPose JSON (BODY_25, COCO-18 or Dress Code; the first person is used).
                        Without it the pose is estimated (--pose-model, default: our own estimator).
  --pose-scale <k>      multiply the JSON's coordinates (Dress Code keypoints are 384x512: use 2)
  --pose-model <spec>   estimator when --pose is not given (default "default")
  --variant <v>         hr-viton (default: what HR-VITON ships as agnostic-v3.2: r = shoulder width/16+1,
                        neck above the neck point, arm pixels outside the pose's arm shape kept) |
                        viton-hd (VITON-HD datasets.py: r = 20 px, square neck)
  --parse-unit <u>      the parse-agnostic's unit r: a number of pixels at 1024 px high (default 10, as
                        SPEC §6 and the public get_parse_agnostic code) or "shoulder" (int(shoulder
                        width/16)+1, which is what HR-VITON's released files were measured to use)
  --cloth <file>        a product photo on a plain backdrop: write its cloth mask
  -o, --out <dir>       output folder (required)
  --json                print a machine-readable summary on stdout

Exit 0 ok, 1 an input could not be read or does not fit (the message names the file), 2 usage error.`;

const OPTIONS = {
  image: { type: 'string' },
  parse: { type: 'string' },
  pose: { type: 'string' },
  'pose-scale': { type: 'string' },
  'pose-model': { type: 'string' },
  variant: { type: 'string' },
  'parse-unit': { type: 'string' },
  cloth: { type: 'string' },
  out: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
} as const;

function parseUnit(value: string | undefined): AgnosticOptions['unit'] {
  if (value === undefined) return undefined;
  if (value === 'shoulder') return 'shoulder';
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n))
    throw new UsageError(`--parse-unit must be a positive number or "shoulder" (got "${value}")`);
  return n;
}

function poseScale(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n))
    throw new UsageError(`--pose-scale must be a positive number (got "${value}")`);
  return n;
}

async function estimateKeypoints(
  photo: Awaited<ReturnType<typeof loadPhoto>>,
  spec: string,
): Promise<Keypoint[]> {
  const { createPoseEstimator } = await import('../../pose/registry.js');
  const estimator = await createPoseEstimator(spec, { quality: 'balanced' });
  try {
    const people = await estimator.estimate(photo);
    if (!people.length) throw new ParseposeError('BAD_INPUT', 'no person found in the photo', photo.source);
    // the reference uses people[0]; for a photo we take the most confident person
    return [...people].sort((a, b) => b.score - a.score)[0].keypoints;
  } finally {
    estimator.dispose();
  }
}

interface Summary {
  stem?: string;
  variant?: string;
  outputs: Record<string, string>;
  poseSource?: string;
  missingKeypoints?: string[];
  removedPixels?: number;
  greyPixels?: number;
  cloth?: { stem: string; garmentFraction: number };
}

const KEYPOINT_NAMES: Record<number, string> = {
  1: 'Neck',
  2: 'RShoulder',
  3: 'RElbow',
  4: 'RWrist',
  5: 'LShoulder',
  6: 'LElbow',
  7: 'LWrist',
  9: 'RHip',
  12: 'LHip',
};

export const command: CliCommand = {
  summary: 'clothing-agnostic maps for try-on (image-parse-agnostic-v3.2, agnostic-v3.2, cloth-mask)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCli(argv, OPTIONS, true);
    if (positionals.length)
      throw new UsageError(
        `unexpected argument "${positionals[0]}" (inputs are given with --image, --parse, --pose, --cloth)`,
      );
    if (!values.out) throw new UsageError('-o, --out <dir> is required');
    const person = values.image !== undefined || values.parse !== undefined || values.pose !== undefined;
    if (!person && !values.cloth) throw new UsageError('give --image, --parse (and --pose), or --cloth');
    if (person && (!values.image || !values.parse))
      throw new UsageError('--image and --parse are both required for the agnostic maps');
    const variant = oneOf('variant', values.variant, AGNOSTIC_VARIANTS, 'hr-viton');
    const unit = parseUnit(values['parse-unit']);
    const scale = poseScale(values['pose-scale']);
    if (values.pose && values['pose-model']) throw new UsageError('--pose-model is only used without --pose');
    const out = resolve(values.out);
    const summary: Summary = { outputs: {} };

    if (person && values.image && values.parse) {
      const photo = await loadPhoto(values.image);
      const parse = await readCihpParsePng(values.parse);
      if (parse.width !== photo.width || parse.height !== photo.height) {
        throw new ParseposeError(
          'BAD_INPUT',
          `S-map is ${parse.width}x${parse.height} but the photo ${values.image} is ${photo.width}x${photo.height}`,
          values.parse,
        );
      }
      const keypoints = values.pose
        ? await readFirstPersonKeypoints(values.pose, scale)
        : await estimateKeypoints(photo, values['pose-model'] ?? 'default');
      const stem = photoId(values.image);
      // --parse-unit numbers are pixels at 1024 px high, like the default
      const paUnit = typeof unit === 'number' ? (unit * parse.height) / 1024 : unit;
      const pa = parseAgnostic(parse, keypoints, { unit: paUnit });
      const ag = agnosticImage(photo.rgb, photo.width, photo.height, parse, keypoints, variant);
      const paPath = LAYOUT.parseAgnostic(out, stem);
      const agPath = LAYOUT.agnostic(out, stem);
      await writeFileAtomic(paPath, encodeCihpPng(pa));
      await writeFileAtomic(agPath, await encodeRgbJpeg(ag, photo.width, photo.height));
      let removed = 0;
      for (let p = 0; p < pa.labels.length; p++) if (pa.labels[p] !== parse.labels[p]) removed++;
      let grey = 0;
      for (let p = 0; p < pa.labels.length; p++)
        if (ag[p * 3] === 128 && ag[p * 3 + 1] === 128 && ag[p * 3 + 2] === 128) grey++;
      Object.assign(summary, {
        stem,
        variant,
        poseSource: values.pose ? resolve(values.pose) : `estimated (${values['pose-model'] ?? 'default'})`,
        missingKeypoints: Object.entries(KEYPOINT_NAMES)
          .filter(([i]) => isMissing(keypoints[Number(i)]))
          .map(([, n]) => n),
        removedPixels: removed,
        greyPixels: grey,
      });
      summary.outputs.parseAgnostic = paPath;
      summary.outputs.agnostic = agPath;
    }

    if (values.cloth) {
      const cloth = await loadPhoto(values.cloth);
      const mask = clothMask(cloth.rgb, cloth.width, cloth.height);
      const stem = photoId(values.cloth);
      const path = LAYOUT.clothMask(out, stem);
      await writeFileAtomic(path, await encodeMaskJpeg(mask, cloth.width, cloth.height));
      let on = 0;
      for (const v of mask) if (v) on++;
      summary.cloth = { stem, garmentFraction: Math.round((on / mask.length) * 1e4) / 1e4 };
      summary.outputs.clothMask = path;
    }

    if (values.json) console.log(JSON.stringify(summary, null, 2));
    else {
      for (const path of Object.values(summary.outputs)) console.log(`wrote ${path}`);
      if (summary.missingKeypoints?.length) {
        console.error(
          `note: missing keypoints ${summary.missingKeypoints.join(', ')}: shapes that need them were skipped`,
        );
      }
    }
    return 0;
  },
};
