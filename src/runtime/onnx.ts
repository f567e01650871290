import { stat } from 'node:fs/promises';
import { ParseposeError } from '../errors.js';
import { addInferenceTime } from './clock.js';
import type * as Ort from 'onnxruntime-node';

/**
 * The one place that owns ONNX Runtime (onnxruntime-node here; onnxruntime-web has the same API for the
 * browser). Sessions are cached per thread: each worker builds its own once and reuses it.
 */
export interface OnnxSessionOptions {
  /** Intra-op threads; 1 per worker keeps the pool's workers from fighting over cores. */
  threads?: number;
  graphOptimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** ONNX Runtime's CPU memory arena (default on); off saves memory when many sessions live in a worker. */
  memoryArena?: boolean;
  /** Errors only in ONNX Runtime's log (our converted models make it list initializers it folded away). */
  quiet?: boolean;
}

export interface OnnxTensorInfo {
  name: string;
  /** Dimensions; symbolic or unknown ones are -1. */
  shape: number[];
  type: string;
}

/** Element types a feed or a result may carry (ONNX float, int64, int32, uint8, double, bool-as-uint8). */
export type OnnxTensorData = Float32Array | BigInt64Array | Int32Array | Uint8Array | Float64Array;

export interface OnnxFeed {
  data: OnnxTensorData;
  dims: number[];
}

export interface OnnxResult {
  data: OnnxTensorData;
  dims: number[];
  type: string;
}

export interface OnnxModel {
  readonly path: string;
  readonly inputs: OnnxTensorInfo[];
  readonly outputs: OnnxTensorInfo[];
  /**
   * Runs the model on float32 (or int64 etc.) tensors by name. Results are float32: outputs of another
   * numeric type are converted, which suits every preset here (scores, logits, coordinates).
   */
  run(
    feeds: Record<string, { data: OnnxTensorData; dims: number[] }>,
  ): Promise<Record<string, { data: Float32Array; dims: number[] }>>;
  /** Like `run`, but results keep the element type the model produced (e.g. int64 labels). */
  runTyped(feeds: Record<string, OnnxFeed>): Promise<Record<string, OnnxResult>>;
  release(): Promise<void>;
}

let ortModule: typeof Ort | undefined;
/** onnxruntime-node, loaded on first use (a pose-only job that never needs it does not pay for it). */
export async function ort(): Promise<typeof Ort> {
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
  const key = `${path}|${options.threads ?? 1}|${options.graphOptimization ?? 'all'}|${options.memoryArena ?? true}|${options.quiet ?? false}`;
  let p = cache.get(key);
  if (!p) {
    p = createOnnxModel(path, options);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** Releases every cached session of this thread (tests, or a worker shutting down). */
export async function releaseOnnxModels(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  for (const p of all) {
    try {
      await (await p).release();
    } catch {
      // a session that failed to load has nothing to release
    }
  }
}

function tensorType(data: OnnxTensorData): Ort.Tensor.Type {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float64Array) return 'float64';
  return 'uint8';
}

function toFloat32(data: unknown): Float32Array {
  if (data instanceof Float32Array) return data;
  if (data instanceof BigInt64Array) return Float32Array.from(data, (v) => Number(v));
  if (ArrayBuffer.isView(data)) return Float32Array.from(data as unknown as ArrayLike<number>);
  if (Array.isArray(data)) return Float32Array.from(data as number[], (v) => Number(v));
  throw new Error('output is not a numeric tensor');
}

/**
 * An ONNX Runtime CPU session from a file or from model bytes (`source` names it in errors): one worker,
 * one thread each, every graph optimisation unless asked otherwise.
 */
export async function createOnnxSession(
  model: string | Uint8Array,
  source: string,
  options: OnnxSessionOptions = {},
): Promise<Ort.InferenceSession> {
  const o = await ort();
  try {
    // the overloads take a path or bytes: one call per kind keeps the types exact
    const sessionOptions: Ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: options.graphOptimization ?? 'all',
      executionProviders: ['cpu'],
      ...(options.quiet ? { logSeverityLevel: 3 as const } : {}),
      enableCpuMemArena: options.memoryArena ?? true,
    };
    return typeof model === 'string'
      ? await o.InferenceSession.create(model, sessionOptions)
      : await o.InferenceSession.create(model, sessionOptions);
  } catch (err) {
    throw new ParseposeError(
      'BAD_MODEL',
      `not a loadable ONNX model (${String(err).split('\n')[0]})`,
      source,
    );
  }
}

/** Runs a session (only `fetches` when given), its time counted as inference; failures are BAD_MODEL. */
export async function runOnnxSession(
  session: Ort.InferenceSession,
  feeds: Record<string, Ort.Tensor>,
  fetches: readonly string[] | undefined,
  source: string,
): Promise<Record<string, Ort.Tensor>> {
  const start = performance.now();
  try {
    return fetches ? await session.run(feeds, [...fetches]) : await session.run(feeds);
  } catch (err) {
    throw new ParseposeError('BAD_MODEL', `inference failed (${String(err).split('\n')[0]})`, source);
  } finally {
    addInferenceTime(performance.now() - start);
  }
}

async function createOnnxModel(path: string, options: OnnxSessionOptions): Promise<OnnxModel> {
  try {
    await stat(path);
  } catch {
    throw new ParseposeError('MODEL_MISSING', 'ONNX model file not found', path);
  }
  const o = await ort();
  const session = await createOnnxSession(path, path, options);
  const s = session as Ort.InferenceSession & {
    inputMetadata?: readonly unknown[];
    outputMetadata?: readonly unknown[];
  };
  const inputs = describe(s.inputMetadata, session.inputNames);
  const outputs = describe(s.outputMetadata, session.outputNames);

  async function runRaw(feeds: Record<string, OnnxFeed>): Promise<Record<string, Ort.Tensor>> {
    const t: Record<string, Ort.Tensor> = {};
    for (const [name, v] of Object.entries(feeds)) {
      if (!session.inputNames.includes(name)) {
        throw new ParseposeError(
          'BAD_MODEL',
          `the model has no input "${name}" (inputs: ${session.inputNames.join(', ')})`,
          path,
        );
      }
      t[name] = new o.Tensor(tensorType(v.data), v.data, v.dims);
    }
    return runOnnxSession(session, t, undefined, path);
  }

  return {
    path,
    inputs,
    outputs,
    async run(feeds) {
      const out = await runRaw(feeds);
      const res: Record<string, { data: Float32Array; dims: number[] }> = {};
      for (const [name, v] of Object.entries(out)) res[name] = { data: toFloat32(v.data), dims: [...v.dims] };
      return res;
    },
    async runTyped(feeds) {
      const out = await runRaw(feeds);
      const res: Record<string, OnnxResult> = {};
      for (const [name, v] of Object.entries(out)) {
        res[name] = { data: v.data as OnnxTensorData, dims: [...v.dims], type: v.type };
      }
      return res;
    },
    release: () => session.release(),
  };
}

function listTensors(list: readonly OnnxTensorInfo[]): string {
  return list.map((i) => `${i.name}${JSON.stringify(i.shape)}`).join(', ');
}

/** Checks that a model has the named inputs/outputs a preset expects; a clear error otherwise. */
export function expectSignature(model: OnnxModel, inputs: readonly string[] | number, outputs: number): void {
  const nIn = typeof inputs === 'number' ? inputs : inputs.length;
  if (model.inputs.length < nIn || model.outputs.length < outputs) {
    throw new ParseposeError(
      'BAD_MODEL',
      `expected ${nIn} input(s) and ${outputs} output(s), the file has inputs [${listTensors(model.inputs)}] and outputs [${listTensors(model.outputs)}]`,
      model.path,
    );
  }
}

/**
 * What a preset expects of one tensor: a rank and, per axis, a fixed size (a number), "any" (-1), or a
 * set of accepted sizes. A model whose axis is symbolic (-1) matches any expected size.
 */
export interface TensorExpectation {
  /** Name the real file uses; used to pick the tensor when present, never required. */
  name?: string;
  /** Expected dimensions; -1 accepts anything. */
  shape: ReadonlyArray<number | readonly number[]>;
  /** What the tensor is, for the error message (e.g. "image 1x3x473x473"). */
  describe: string;
}

function shapeMatches(actual: readonly number[], expected: TensorExpectation['shape']): boolean {
  // Some exports declare no shape at all; they are checked at run time instead.
  if (actual.length === 0) return true;
  if (actual.length !== expected.length) return false;
  return expected.every((e, i) => {
    const a = actual[i];
    if (a === -1) return true;
    if (typeof e === 'number') return e === -1 || e === a;
    return e.includes(a);
  });
}

/**
 * Finds the tensor a preset needs among a model's inputs or outputs: by name first, else the first of
 * the right shape not already taken. Throws BAD_MODEL naming what was expected and what the file has.
 */
export function findTensor(
  model: OnnxModel,
  kind: 'input' | 'output',
  expect: TensorExpectation,
  taken: ReadonlySet<string> = new Set(),
): OnnxTensorInfo {
  const list = kind === 'input' ? model.inputs : model.outputs;
  const byName = expect.name ? list.find((t) => t.name === expect.name) : undefined;
  if (byName && shapeMatches(byName.shape, expect.shape)) return byName;
  const byShape = list.find((t) => !taken.has(t.name) && shapeMatches(t.shape, expect.shape));
  if (byShape) return byShape;
  throw new ParseposeError(
    'BAD_MODEL',
    `does not look like the expected model: no ${kind} for ${expect.describe}; the file has inputs [${listTensors(model.inputs)}] and outputs [${listTensors(model.outputs)}]`,
    model.path,
  );
}
