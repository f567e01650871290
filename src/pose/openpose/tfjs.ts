import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { loadNet } from '../../runtime/net.js';
import type { PoseEstimatorOptions } from '../registry.js';
import { planarFromChannelsLast, type PlanarMaps } from '../paf/maps.js';
import { defaultScales, OpenPoseEstimator, type PafNetwork } from './estimator.js';
import { TFPOSE_ENCODING } from './netinput.js';

/**
 * `openpose-tfjs:<dir>`: a tf-pose-estimation graph converted to tfjs (e.g. ../shared/models/
 * tfpose-mobilenet-v2-small): input `image` [1,H,W,3] BGR 0..255, output [1,H/8,W/8,57] (COCO-18
 * heatmaps + background + PAFs). Batch size 1 always (its batch norms use the batch's statistics).
 */
export const TFPOSE_OUTPUT = 'Openpose/concat_stage7';

async function modelJsonPath(path: string): Promise<string> {
  try {
    return (await stat(path)).isDirectory() ? join(path, 'model.json') : path;
  } catch {
    return path; // loadNet reports MODEL_MISSING
  }
}

export async function createTfjsPafNetwork(path: string): Promise<PafNetwork> {
  const model = await loadNet(await modelJsonPath(path));
  const names = model.outputs;
  // tf-pose graphs list dangling constants as outputs too: ask for the maps by name.
  const output = names.includes(TFPOSE_OUTPUT) ? TFPOSE_OUTPUT : names[names.length - 1];
  return {
    encoding: TFPOSE_ENCODING,
    async run(input: Float32Array, width: number, height: number): Promise<PlanarMaps> {
      const [y] = await model.run(input, [1, height, width, 3], [output]);
      const [, h, w, c] = y.shape;
      return planarFromChannelsLast(y.data, w, h, c);
    },
    dispose: () => model.dispose(),
  };
}

export async function createOpenPoseTfjsEstimator(
  path: string | undefined,
  options: PoseEstimatorOptions,
): Promise<OpenPoseEstimator> {
  if (!path)
    throw new UsageError('openpose-tfjs needs a model: --pose-model openpose-tfjs:<folder with model.json>');
  return new OpenPoseEstimator('openpose-tfjs', await createTfjsPafNetwork(path), {
    netResolution: options.netResolution,
    scales: options.scales ?? defaultScales(options.quality),
    debugMapsDir: options.debugMapsDir,
  });
}
