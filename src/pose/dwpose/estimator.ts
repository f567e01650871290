import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { findTensor, loadOnnxModel, type OnnxModel } from '../../runtime/onnx.js';
import { resolveModelFile } from '../../models/cache.js';
import { toNchw, warpAffineBilinear } from '../../parsing/schp/affine.js';
import type { Keypoint, Person, Photo, PoseEstimator } from '../../types.js';
import type { PoseEstimatorOptions } from '../registry.js';
import { DW_LL_UCOCO_384, YOLOX_L, type RtmposePreset, type YoloxPreset } from './presets.js';
import { decodeYolox, nms, yoloxLetterbox, type Detection } from './yolox.js';
import { cropAffine, cropBox, decodeSimcc } from './rtmpose.js';
import { wholeBodyToPerson } from './wholebody.js';

/** The person detector. */
export class YoloxDetector {
  private constructor(
    private readonly model: OnnxModel,
    private readonly inputName: string,
    private readonly outputName: string,
    readonly preset: YoloxPreset,
  ) {}

  static async load(path: string, preset: YoloxPreset = YOLOX_L): Promise<YoloxDetector> {
    const model = await loadOnnxModel(path);
    const input = findTensor(model, 'input', {
      name: preset.inputName,
      shape: [-1, 3, preset.size, preset.size],
      describe: `an image 1x3x${preset.size}x${preset.size} (YOLOX)`,
    });
    const anchors = preset.strides.reduce((n, s) => n + Math.floor(preset.size / s) ** 2, 0);
    const output = findTensor(model, 'output', {
      shape: [-1, anchors, -1],
      describe: `YOLOX predictions 1x${anchors}x85`,
    });
    return new YoloxDetector(model, input.name, output.name, preset);
  }

  /** Person boxes in photo pixels, best first. */
  async detect(photo: Photo): Promise<Detection[]> {
    const p = this.preset;
    const { image, ratio } = yoloxLetterbox(photo.rgb, photo.width, photo.height, p.size, p.padValue);
    const data = toNchw(image, p.size, p.size, p.pixels);
    const out = await this.model.run({ [this.inputName]: { data, dims: [1, 3, p.size, p.size] } });
    const raw = out[this.outputName].data;
    const candidates = decodeYolox(raw, p.size, p.strides, ratio, p.personClass, p.nmsScoreThreshold);
    return nms(candidates, p.nmsIouThreshold).filter((d) => d.score > p.scoreThreshold);
  }
}

/** The whole-body keypoint model (RTMPose, SimCC heads). */
export class RtmposeModel {
  private constructor(
    private readonly model: OnnxModel,
    private readonly inputName: string,
    private readonly xName: string,
    private readonly yName: string,
    readonly preset: RtmposePreset,
    readonly inW: number,
    readonly inH: number,
  ) {}

  static async load(path: string, preset: RtmposePreset = DW_LL_UCOCO_384): Promise<RtmposeModel> {
    const model = await loadOnnxModel(path);
    const input = findTensor(model, 'input', {
      name: preset.inputName,
      shape: [-1, 3, -1, -1],
      describe: `an image 1x3x${preset.height}x${preset.width} (RTMPose)`,
    });
    const inH = input.shape[2] > 0 ? input.shape[2] : preset.height;
    const inW = input.shape[3] > 0 ? input.shape[3] : preset.width;
    const r = preset.simccSplitRatio;
    const x = findTensor(model, 'output', {
      name: 'simcc_x',
      shape: [-1, preset.keypoints, Math.round(inW * r)],
      describe: `SimCC x 1x${preset.keypoints}x${Math.round(inW * r)}`,
    });
    const y = findTensor(
      model,
      'output',
      {
        name: 'simcc_y',
        shape: [-1, preset.keypoints, Math.round(inH * r)],
        describe: `SimCC y 1x${preset.keypoints}x${Math.round(inH * r)}`,
      },
      new Set([x.name]),
    );
    return new RtmposeModel(model, input.name, x.name, y.name, preset, inW, inH);
  }

  /** The 133 keypoints of the person in box (photo pixels). */
  async keypoints(
    photo: Photo,
    box: { x1: number; y1: number; x2: number; y2: number },
  ): Promise<Keypoint[]> {
    const p = this.preset;
    const crop = cropBox(box.x1, box.y1, box.x2, box.y2, p.boxPadding, this.inW, this.inH);
    const m = cropAffine(crop, this.inW, this.inH);
    const image = warpAffineBilinear(photo.rgb, photo.width, photo.height, 3, m, this.inW, this.inH, 0);
    const data = toNchw(image, this.inW, this.inH, p.pixels);
    const out = await this.model.run({ [this.inputName]: { data, dims: [1, 3, this.inH, this.inW] } });
    const sx = out[this.xName];
    const sy = out[this.yName];
    // The split ratio is what the heads say it is (bins / input pixels), 2 for DWPose.
    const ratio = sx.dims[sx.dims.length - 1] / this.inW;
    return decodeSimcc(sx.data, sy.data, p.keypoints, ratio, crop, this.inW, this.inH);
  }
}

/** Mean body (0-16) score; the whole-image fallback person needs a visible body. */
function bodyScore(kps: readonly Keypoint[]): number {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Math.max(0, Math.min(1, kps[i].score));
  return s / 17;
}

/** DWPose's visibility threshold (the annotator draws points above it). */
const FALLBACK_MIN_BODY_SCORE = 0.3;

export class DwposeEstimator implements PoseEstimator {
  readonly id = 'dwpose';
  constructor(
    private readonly detector: YoloxDetector,
    private readonly pose: RtmposeModel,
  ) {}

  async estimate(photo: Photo): Promise<Person[]> {
    const boxes = await this.detector.detect(photo);
    // Like the DWPose annotator, no detection means one box over the whole photo; kept only when a body shows.
    const fallback = boxes.length === 0;
    const work = fallback ? [{ x1: 0, y1: 0, x2: photo.width, y2: photo.height, score: 0 }] : boxes;
    const people: Person[] = [];
    for (const d of work) {
      const kps = await this.pose.keypoints(photo, d);
      const score = fallback ? bodyScore(kps) : d.score;
      if (fallback && score < FALLBACK_MIN_BODY_SCORE) continue;
      const x1 = Math.max(0, d.x1);
      const y1 = Math.max(0, d.y1);
      const box = {
        x: x1,
        y: y1,
        width: Math.min(photo.width, d.x2) - x1,
        height: Math.min(photo.height, d.y2) - y1,
      };
      people.push(wholeBodyToPerson(kps, box, score, photo.width, photo.height));
    }
    return people;
  }

  dispose(): void {
    // sessions are cached per worker and shared
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where the two files come from: `dwpose` -> the model cache; `dwpose:<folder>` -> yolox_l.onnx and
 * dw-ll_ucoco_384.onnx in it; `dwpose:<det.onnx>,<pose.onnx>`; `dwpose:<pose.onnx>` -> the detector
 * beside it, else from the cache.
 */
export async function resolveDwposeFiles(path: string | undefined): Promise<{ det: string; pose: string }> {
  if (!path) {
    return {
      det: await resolveModelFile('dwpose', YOLOX_L.fileName),
      pose: await resolveModelFile('dwpose', DW_LL_UCOCO_384.fileName),
    };
  }
  if (path.includes(',')) {
    const [det, pose] = path.split(',').map((s) => s.trim());
    return { det, pose };
  }
  if (await isDir(path))
    return { det: join(path, YOLOX_L.fileName), pose: join(path, DW_LL_UCOCO_384.fileName) };
  const beside = join(dirname(path), YOLOX_L.fileName);
  return {
    det: (await exists(beside)) ? beside : await resolveModelFile('dwpose', YOLOX_L.fileName),
    pose: path,
  };
}

export async function createDwposeEstimator(
  path: string | undefined,
  _options?: PoseEstimatorOptions,
): Promise<PoseEstimator> {
  const files = await resolveDwposeFiles(path);
  const detector = await YoloxDetector.load(files.det);
  const pose = await RtmposeModel.load(files.pose);
  return new DwposeEstimator(detector, pose);
}
