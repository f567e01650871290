import { ParseposeError, UsageError } from '../../errors.js';
import { loadOnnxModel, type OnnxModel } from '../../runtime/onnx.js';
import type { PoseEstimatorOptions } from '../registry.js';
import { planarMaps, type PlanarMaps } from '../paf/maps.js';
import { defaultScales, OpenPoseEstimator, type PafNetwork } from './estimator.js';
import { CMU_ENCODING } from './netinput.js';

/**
 * `openpose-onnx:<file>`: an ONNX export of a CMU OpenPose caffe model. Input [1,3,H,W] BGR x/256-0.5
 * (any H, W multiple of 8); output [1,C,H/8,W/8] with C = 57 (COCO: 19 heatmaps + 38 PAFs) or 78
 * (BODY_25: 26 + 52). Exports that give heatmaps and PAFs as two outputs are accepted too.
 */
function checkInput(model: OnnxModel): string {
  const input = model.inputs[0];
  const shape = input?.shape ?? [];
  if (
    !input ||
    model.inputs.length !== 1 ||
    (shape.length && (shape.length !== 4 || (shape[1] !== -1 && shape[1] !== 3)))
  ) {
    throw new ParseposeError(
      'BAD_MODEL',
      `not an OpenPose network: expected one input [1,3,H,W], the file has ${model.inputs
        .map((i) => `${i.name}${JSON.stringify(i.shape)}`)
        .join(', ')}`,
      model.path,
    );
  }
  return input.name;
}

export async function createOnnxPafNetwork(path: string): Promise<PafNetwork> {
  const model = await loadOnnxModel(path);
  const inputName = checkInput(model);
  return {
    encoding: CMU_ENCODING,
    async run(input: Float32Array, width: number, height: number): Promise<PlanarMaps> {
      const out = await model.run({ [inputName]: { data: input, dims: [1, 3, height, width] } });
      // Heatmaps come before PAFs; when split in two outputs the heatmaps are the smaller one.
      const parts = model.outputs
        .map((o) => out[o.name])
        .filter((t): t is { data: Float32Array; dims: number[] } => t !== undefined && t.dims.length === 4)
        .sort((a, b) => a.dims[1] - b.dims[1]);
      if (!parts.length) throw new ParseposeError('BAD_MODEL', 'no 4-D output [1,C,H,W]', path);
      const [, , h, w] = parts[0].dims;
      if (parts.some((p) => p.dims[0] !== 1 || p.dims[2] !== h || p.dims[3] !== w)) {
        throw new ParseposeError(
          'BAD_MODEL',
          `outputs differ in size: ${parts.map((p) => JSON.stringify(p.dims)).join(', ')}`,
          path,
        );
      }
      const channels = parts.reduce((s, p) => s + p.dims[1], 0);
      const data = parts.length === 1 ? parts[0].data : new Float32Array(channels * h * w);
      if (parts.length > 1) {
        let offset = 0;
        for (const p of parts) {
          data.set(p.data, offset);
          offset += p.data.length;
        }
      }
      return planarMaps(data, w, h, channels);
    },
    dispose: () => void model.release(),
  };
}

export async function createOpenPoseOnnxEstimator(
  path: string | undefined,
  options: PoseEstimatorOptions,
): Promise<OpenPoseEstimator> {
  if (!path) throw new UsageError('openpose-onnx needs a model file: --pose-model openpose-onnx:<file.onnx>');
  return new OpenPoseEstimator('openpose-onnx', await createOnnxPafNetwork(path), {
    netResolution: options.netResolution,
    scales: options.scales ?? defaultScales(options.quality),
    debugMapsDir: options.debugMapsDir,
  });
}
