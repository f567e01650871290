import { UsageError } from '../errors.js';
import type { PoseEstimator, Quality } from '../types.js';

/** Options every pose back-end receives; each uses what applies to it. */
export interface PoseEstimatorOptions {
  quality: Quality;
  /** OpenPose-style networks: input size "WxH" with -1 for "keep aspect" (default "-1x368"). */
  netResolution?: string;
  /** OpenPose-style networks: scales to average, e.g. [1, 0.75, 0.5]. */
  scales?: number[];
  /** Write debug maps (heatmap / PAF overlays) into this folder, when the back-end has such maps. */
  debugMapsDir?: string;
}

type Factory = (path: string | undefined, options: PoseEstimatorOptions) => Promise<PoseEstimator>;

/**
 * Pose back-ends by model id. A spec is `<id>` or `<id>:<path>` (`--pose-model openpose-tfjs:./net`).
 * Each back-end module is imported lazily so that unused engines are never loaded.
 */
const FACTORIES: Record<string, Factory> = {
  default: async (_path, o) => (await import('./topdown/estimator.js')).createTopDownEstimator(o),
  dwpose: async (path, o) => (await import('./dwpose/estimator.js')).createDwposeEstimator(path, o),
  'openpose-tfjs': async (path, o) =>
    (await import('./openpose/tfjs.js')).createOpenPoseTfjsEstimator(path, o),
  'openpose-onnx': async (path, o) =>
    (await import('./openpose/onnx.js')).createOpenPoseOnnxEstimator(path, o),
};

export function registerPoseEstimator(id: string, factory: Factory): void {
  FACTORIES[id] = factory;
}

export function poseModelIds(): string[] {
  return Object.keys(FACTORIES);
}

export function splitModelSpec(spec: string): { id: string; path?: string } {
  const i = spec.indexOf(':');
  return i < 0 ? { id: spec } : { id: spec.slice(0, i), path: spec.slice(i + 1) || undefined };
}

export async function createPoseEstimator(
  spec: string,
  options: PoseEstimatorOptions,
): Promise<PoseEstimator> {
  const { id, path } = splitModelSpec(spec);
  const factory = FACTORIES[id];
  if (!factory) throw new UsageError(`unknown pose model "${id}" (known: ${poseModelIds().join(', ')})`);
  return factory(path, options);
}
