import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import * as tfconv from '@tensorflow/tfjs-converter';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { readTfjsModelFiles, type TfjsModelFiles } from './model-files.js';
import { addInferenceTime } from './clock.js';

/**
 * The tfjs runtime: the wasm backend (SIMD, one thread per process/worker) and graph models read from
 * disk. `loadGraphModel('file://...')` does not work in Node, so model.json and its shards are read here
 * and handed to tfjs from memory. Models run through src/runtime/net.ts (ONNX Runtime by default, this
 * backend with PARSEPOSE_ENGINE=tfjs); tfjs ops also cut and resize the pose estimator's crops.
 */
export { tf };
export type GraphModel = tfconv.GraphModel;

const require = createRequire(import.meta.url);
let ready: Promise<void> | undefined;

/** Initialises the wasm backend once per thread (idempotent). */
export function initTfjs(): Promise<void> {
  ready ??= (async () => {
    const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    setWasmPaths(wasmDir + '/');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('could not initialise the tfjs wasm backend');
    await tf.ready();
  })();
  return ready;
}

/** Loads a tfjs graph model from a model.json path (weights shards next to it). */
export async function loadGraphModelFromDisk(modelJsonPath: string): Promise<tfconv.GraphModel> {
  return graphModelFromFiles(await readTfjsModelFiles(modelJsonPath));
}

/** A tfjs graph model from files already read (readTfjsModelFiles). */
export async function graphModelFromFiles(files: TfjsModelFiles): Promise<tfconv.GraphModel> {
  await initTfjs();
  const { json, weights } = files;
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology as unknown as tf.io.ModelArtifacts['modelTopology'],
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature as tf.io.ModelArtifacts['signature'],
    userDefinedMetadata: json.userDefinedMetadata,
    modelInitializer: json.modelInitializer as tf.io.ModelArtifacts['modelInitializer'],
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
    weightData: weights.buffer.slice(
      weights.byteOffset,
      weights.byteOffset + weights.byteLength,
    ) as ArrayBuffer,
  };
  const model = new tfconv.GraphModel({ load: async () => artifacts });
  await model.load();
  timeInference(model);
  return model;
}

/**
 * Wraps a model's execute/predict so their time counts as inference. The wasm backend runs kernels
 * synchronously, so the time of these calls is the network's time.
 */
function timeInference(model: tfconv.GraphModel): void {
  const execute = model.execute.bind(model);
  const executeAsync = model.executeAsync.bind(model);
  const predict = model.predict.bind(model);
  model.execute = ((...args: Parameters<typeof execute>) => {
    const t = performance.now();
    try {
      return execute(...args);
    } finally {
      addInferenceTime(performance.now() - t);
    }
  }) as typeof model.execute;
  model.predict = ((...args: Parameters<typeof predict>) => {
    const t = performance.now();
    try {
      return predict(...args);
    } finally {
      addInferenceTime(performance.now() - t);
    }
  }) as typeof model.predict;
  model.executeAsync = (async (...args: Parameters<typeof executeAsync>) => {
    const t = performance.now();
    try {
      return await executeAsync(...args);
    } finally {
      addInferenceTime(performance.now() - t);
    }
  }) as typeof model.executeAsync;
}

// the npm-shipped models' paths live with the file reader (no tfjs needed to find them)
export { humanModelPath, humanModelsDir } from './model-files.js';
