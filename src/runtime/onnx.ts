import { stat } from 'node:fs/promises';
import { ParseposeError } from '../errors.js';
import type * as Ort from 'onnxruntime-node';

/**
 * The one place that owns ONNX Runtime (onnxruntime-node here; onnxruntime-web has the same API for the
 * browser). Sessions are cached per thread: each worker builds its own once and reuses it.
 */
export interface OnnxSessionOptions {
  /** Intra-op threads; 1 per worker keeps the pool's workers from fighting over cores. */
  threads?: number;
  graphOptimization?: 'disabled' | 'basic' | 'extended' | 'all';
}

export interface OnnxTensorInfo {
  name: string;
  /** Dimensions; symbolic or unknown ones are -1. */
  shape: number[];
  type: string;
}

export interface OnnxModel {
  readonly path: string;
  readonly inputs: OnnxTensorInfo[];
  readonly outputs: OnnxTensorInfo[];
  /** Runs the model; inputs and outputs are float32 (or int64 etc.) tensors by name. */
  run(feeds: Record<string, { data: Float32Array; dims: number[] }>): Promise<Record<string, { data: Float32Array; dims: number[] }>>;
  release(): Promise<void>;
}

let ortModule: typeof Ort | undefined;
async function ort(): Promise<typeof Ort> {
  ortModule ??= (await import('onnxruntime-node')) as typeof Ort;
  return ortModule;
}

const cache = new Map<string, Promise<OnnxModel>>();

function describe(meta: readonly unknown[] | undefined, names: readonly string[]): OnnxTensorInfo[] {
  return names.map((name, i) => {
    const m = meta?.[i] as { isTensor?: boolean; shape?: Array<number | string>; type?: string } | undefined;
    return {
      name,
      shape: (m?.shape ?? []).map((d) => (typeof d === 'number' && d > 0 ? d : -1)),
      type: m?.type ?? 'float32',
    };
  });
}

/** Loads (or returns the cached) session for an .onnx file. */
export function loadOnnxModel(path: string, options: OnnxSessionOptions = {}): Promise<OnnxModel> {
  const key = `${path}|${options.threads ?? 1}|${options.graphOptimization ?? 'all'}`;
  let p = cache.get(key);
  if (!p) {
    p = createOnnxModel(path, options);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function createOnnxModel(path: string, options: OnnxSessionOptions): Promise<OnnxModel> {
  try {
    await stat(path);
  } catch {
    throw new ParseposeError('MODEL_MISSING', 'ONNX model file not found', path);
  }
  const o = await ort();
  let session: Ort.InferenceSession;
  try {
    session = await o.InferenceSession.create(path, {
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: options.graphOptimization ?? 'all',
      executionProviders: ['cpu'],
    });
  } catch (err) {
    throw new ParseposeError('BAD_MODEL', `not a loadable ONNX model (${String(err).split('\n')[0]})`, path);
  }
  const s = session as Ort.InferenceSession & { inputMetadata?: readonly unknown[]; outputMetadata?: readonly unknown[] };
  return {
    path,
    inputs: describe(s.inputMetadata, session.inputNames),
    outputs: describe(s.outputMetadata, session.outputNames),
    async run(feeds) {
      const t: Record<string, Ort.Tensor> = {};
      for (const [name, v] of Object.entries(feeds)) t[name] = new o.Tensor('float32', v.data, v.dims);
      const out = await session.run(t);
      const res: Record<string, { data: Float32Array; dims: number[] }> = {};
      for (const [name, v] of Object.entries(out)) {
        res[name] = { data: v.data as Float32Array, dims: [...v.dims] };
      }
      return res;
    },
    release: () => session.release(),
  };
}

/** Checks that a model has the named inputs/outputs a preset expects; a clear error otherwise. */
export function expectSignature(model: OnnxModel, inputs: readonly string[] | number, outputs: number): void {
  const nIn = typeof inputs === 'number' ? inputs : inputs.length;
  if (model.inputs.length < nIn || model.outputs.length < outputs) {
    throw new ParseposeError(
      'BAD_MODEL',
      `expected ${nIn} input(s) and ${outputs} output(s), the file has inputs [${model.inputs
        .map((i) => `${i.name}${JSON.stringify(i.shape)}`)
        .join(', ')}] and outputs [${model.outputs.map((o) => `${o.name}${JSON.stringify(o.shape)}`).join(', ')}]`,
      model.path,
    );
  }
}
