/**
 * Builds ONNX models in code, for tests (no binary fixtures): the encoder lives in
 * src/runtime/onnx-proto.ts; this adds saving to a temp file.
 *
 * ```ts
 * const bytes = buildOnnxModel({
 *   inputs: [{ name: 'x', shape: ['N', 3, 'H', 'W'] }],          // strings are symbolic dimensions
 *   outputs: [{ name: 'y' }],                                   // shape optional
 *   initializers: [tensor('k', [1], [2])],                      // float32 by default
 *   nodes: [{ opType: 'Mul', inputs: ['x', 'k'], outputs: ['y'] }],
 * });
 * const path = await saveOnnxModel(bytes);                      // temp file for loadOnnxModel(path)
 * ```
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnnxModel, type OnnxModelSpec } from '../../src/runtime/onnx-proto.js';

export {
  attr,
  buildOnnxModel,
  tensor,
  type OnnxAttribute,
  type OnnxAttributeValue,
  type OnnxElemType,
  type OnnxModelSpec,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from '../../src/runtime/onnx-proto.js';

/** Writes model bytes (or a spec) to a fresh temp folder and returns the file path. */
export async function saveOnnxModel(
  model: Uint8Array | OnnxModelSpec,
  fileName = 'model.onnx',
): Promise<string> {
  const bytes = model instanceof Uint8Array ? model : buildOnnxModel(model);
  const dir = await mkdtemp(join(tmpdir(), 'parsepose-onnx-'));
  const path = join(dir, fileName);
  await writeFile(path, bytes);
  return path;
}
