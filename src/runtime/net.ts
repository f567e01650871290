import { ParseposeError, UsageError } from '../errors.js';
import { createOnnxSession, ort, runOnnxSession } from './onnx.js';
import { readTfjsModelFiles, type TfjsModelFiles } from './model-files.js';
import { checkWeightsSize, convertTfjsGraphOrThrow, type ConvertedModel } from './tfjs-onnx.js';

/**
 * One way to run the npm-shipped tfjs graph models, whichever engine does it. In Node the models are
 * converted to ONNX at load time (src/runtime/tfjs-onnx.ts) and run by ONNX Runtime's native CPU
 * kernels: 2-4x faster than tfjs's wasm backend on this project's models (`npm run bench -- engines`).
 * tfjs-wasm stays available with `PARSEPOSE_ENGINE=tfjs` (e.g. where onnxruntime-node cannot load) and
 * gives the same outputs to float rounding (test/runtime/net.test.ts).
 */
export type NetEngine = 'onnx' | 'tfjs';

export interface NetTensor {
  data: Float32Array;
  shape: number[];
}

export interface Net {
  readonly path: string;
  readonly engine: NetEngine;
  /** The model's outputs (tfjs names without the ":0" suffix), in the order of its signature. */
  readonly outputs: readonly string[];
  /**
   * Runs the model on one NHWC input. `outputs` are tfjs output names (e.g. "Identity_2:0"), returned in
   * that order; without them, every output of the model's signature in order. Results are float32.
   */
  run(
    input: Float32Array | Int32Array,
    shape: readonly number[],
    outputs?: readonly string[],
  ): Promise<NetTensor[]>;
  dispose(): void;
}

/** The engine models load with: `PARSEPOSE_ENGINE` if set, else ONNX Runtime. */
export function defaultEngine(): NetEngine {
  const env = process.env.PARSEPOSE_ENGINE;
  if (env === 'tfjs' || env === 'onnx') return env;
  if (env) throw new UsageError(`PARSEPOSE_ENGINE must be "onnx" or "tfjs", not "${env}"`);
  return 'onnx';
}

/**
 * Float input for an int32 model input, truncated toward zero as tf.cast does (a plain loop: `from` with a
 * mapping callback costs ~10 ms per 256x256x3 crop).
 */
function toInt32(data: Float32Array | Int32Array): Int32Array {
  if (data instanceof Int32Array) return data;
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]; // Int32Array stores truncate
  return out;
}

async function loadOnnxNet(path: string, files: TfjsModelFiles): Promise<Net> {
  const converted: ConvertedModel = convertTfjsGraphOrThrow(files.json, files.weights, path);
  const o = await ort();
  // without the arena: ~90 MB less per worker for about the same speed (measured with `run -w 1`)
  const session = await createOnnxSession(converted.bytes, path, { memoryArena: false, quiet: true });
  if (converted.inputs.length !== 1)
    throw new ParseposeError(
      'BAD_MODEL',
      `expected one input, the model has ${converted.inputs.length}`,
      path,
    );
  // keep the names only: the model bytes (megabytes) are ONNX Runtime's now
  const input = converted.inputs[0];
  const outputNames = converted.outputs.map((o) => o.name);
  const byTfName = new Map(converted.outputs.map((o) => [o.tfName, o.name]));
  return {
    path,
    engine: 'onnx',
    outputs: converted.outputs.map((o) => o.tfName.replace(/:0$/, '')),
    async run(data, shape, outputs) {
      const names = outputs
        ? outputs.map((o) => {
            const n = byTfName.get(o) ?? byTfName.get(`${o}:0`);
            if (!n) throw new ParseposeError('BAD_MODEL', `the model has no output ${o}`, path);
            return n;
          })
        : outputNames;
      const typed =
        input.dtype === 'int32'
          ? toInt32(data)
          : data instanceof Float32Array
            ? data
            : Float32Array.from(data);
      const feed = {
        [input.name]: new o.Tensor(input.dtype === 'int32' ? 'int32' : 'float32', typed, [...shape]),
      };
      const res = await runOnnxSession(session, feed, names, path);
      return names.map((n) => {
        const t = res[n];
        const d = t.data;
        const f = d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>, Number);
        return { data: f, shape: [...t.dims] };
      });
    },
    dispose() {
      void session.release();
    },
  };
}

async function loadTfjsNet(path: string, files: TfjsModelFiles): Promise<Net> {
  try {
    checkWeightsSize(files.json.weightsManifest, files.weights.byteLength);
  } catch (err) {
    throw new ParseposeError('BAD_MODEL', (err as Error).message, path);
  }
  const { graphModelFromFiles, tf } = await import('./tfjs.js');
  const model = await graphModelFromFiles(files);
  const signature = (model.outputs ?? []).map((o) => o.name);
  const known = new Set(signature.map((n) => n.replace(/:0$/, '')));
  return {
    path,
    engine: 'tfjs',
    outputs: signature.map((n) => n.replace(/:0$/, '')),
    async run(data, shape, outputs) {
      const names = outputs ? [...outputs] : signature;
      for (const n of names) {
        if (!known.has(n.replace(/:0$/, '')))
          throw new ParseposeError('BAD_MODEL', `the model has no output ${n}`, path);
      }
      const dtype = model.inputs[0]?.dtype === 'int32' ? 'int32' : 'float32';
      const x =
        dtype === 'int32' && !(data instanceof Int32Array)
          ? tf.tidy(() => tf.cast(tf.tensor(data, [...shape], 'float32'), 'int32'))
          : tf.tensor(data, [...shape], dtype);
      let res: ReturnType<typeof model.execute>;
      try {
        res = model.execute(x, names);
      } catch (err) {
        throw new ParseposeError('BAD_MODEL', `inference failed (${String(err).split('\n')[0]})`, path);
      } finally {
        x.dispose();
      }
      const list = Array.isArray(res) ? res : [res];
      try {
        return await Promise.all(
          list.map(async (t) => ({
            data: Float32Array.from((await t.data()) as ArrayLike<number>),
            shape: t.shape,
          })),
        );
      } finally {
        tf.dispose(list);
      }
    },
    dispose() {
      model.dispose();
    },
  };
}

/** Models loaded in this thread, shared by their users (the estimator and the parser both run BlazePose). */
const loaded = new Map<string, { net: Promise<Net>; users: number }>();

/** How many models this thread holds (shared loads count once). */
export function loadedNetCount(): number {
  return loaded.size;
}

/**
 * Loads a tfjs graph model (model.json path) to run with the given engine. Loads are shared within a
 * thread: each caller gets a handle whose dispose() releases the model when the last handle is disposed.
 */
export async function loadNet(modelJsonPath: string, engine: NetEngine = defaultEngine()): Promise<Net> {
  const key = `${engine}|${modelJsonPath}`;
  let entry = loaded.get(key);
  if (!entry) {
    const net = readTfjsModelFiles(modelJsonPath).then((files) =>
      engine === 'tfjs' ? loadTfjsNet(modelJsonPath, files) : loadOnnxNet(modelJsonPath, files),
    );
    entry = { net, users: 0 };
    loaded.set(key, entry);
    net.catch(() => loaded.delete(key));
  }
  const shared = entry;
  const net = await shared.net;
  shared.users++;
  let disposed = false;
  return {
    path: net.path,
    engine: net.engine,
    outputs: net.outputs,
    run: (input, shape, outputs) => {
      if (disposed) throw new ParseposeError('BAD_MODEL', 'the model was disposed', net.path);
      return net.run(input, shape, outputs);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      if (--shared.users === 0) {
        loaded.delete(key);
        net.dispose();
      }
    },
  };
}
