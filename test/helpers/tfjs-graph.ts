import type { TfGraphModelJson, TfNode, TfWeightSpec } from '../../src/runtime/tfjs-onnx.js';

/**
 * Builds tiny tfjs graph models in code, in the JSON form the tfjs converter writes (attribute strings
 * base64, integers as decimal strings, constants as weights packed into one buffer), so that the same
 * graph can be run by tfjs itself and by the tfjs -> ONNX converter.
 */

export type TfDtype = 'float32' | 'int32' | 'bool';

const DT: Record<TfDtype, string> = { float32: 'DT_FLOAT', int32: 'DT_INT32', bool: 'DT_BOOL' };

type Attr = NonNullable<TfNode['attr']>[string];

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** Attribute values in tfjs's model.json form. */
export const tfAttr = {
  i: (v: number): Attr => ({ i: String(v) }),
  f: (v: number): Attr => ({ f: v }),
  b: (v: boolean): Attr => ({ b: v }),
  s: (v: string): Attr => ({ s: b64(v) }),
  type: (t: TfDtype): Attr => ({ type: DT[t] }),
  ints: (v: readonly number[]): Attr => ({ list: { i: v.map(String) } }),
  strs: (v: readonly string[]): Attr => ({ list: { s: v.map(b64) } }),
  shape: (dims: readonly number[]): Attr => ({ shape: { dim: dims.map((d) => ({ size: String(d) })) } }),
};

export interface BuiltGraph {
  json: TfGraphModelJson;
  weights: Uint8Array;
  /** Output names in tfjs form ("node:0", "node:1"). */
  outputs: string[];
}

export class TfGraph {
  readonly nodes: TfNode[] = [];
  private readonly specs: TfWeightSpec[] = [];
  private readonly chunks: Uint8Array[] = [];

  /** A Placeholder; -1 dimensions are unknown. */
  input(name: string, dtype: TfDtype, shape: readonly number[]): string {
    this.nodes.push({
      name,
      op: 'Placeholder',
      attr: { dtype: tfAttr.type(dtype), shape: tfAttr.shape(shape) },
    });
    return name;
  }

  /** A Const node whose value is stored in the weights buffer. */
  const(name: string, dtype: TfDtype, shape: readonly number[], values: ArrayLike<number>): string {
    const n = shape.reduce((a, b) => a * b, 1);
    if (values.length !== n)
      throw new Error(`const ${name}: ${values.length} values for [${shape.join(',')}]`);
    let bytes: Uint8Array;
    if (dtype === 'float32') bytes = new Uint8Array(Float32Array.from(values).buffer);
    else if (dtype === 'int32') bytes = new Uint8Array(Int32Array.from(values).buffer);
    else bytes = Uint8Array.from(values, (v) => (v ? 1 : 0));
    this.chunks.push(bytes);
    this.specs.push({ name, shape: [...shape], dtype });
    this.nodes.push({
      name,
      op: 'Const',
      attr: { value: { tensor: { dtype: DT[dtype], tensorShape: {} } } as Attr, dtype: tfAttr.type(dtype) },
    });
    return name;
  }

  /** A float32 const (the usual case). */
  f32(name: string, shape: readonly number[], values: ArrayLike<number>): string {
    return this.const(name, 'float32', shape, values);
  }

  /** An int32 const. */
  i32(name: string, shape: readonly number[], values: ArrayLike<number>): string {
    return this.const(name, 'int32', shape, values);
  }

  node(name: string, op: string, inputs: readonly string[], attr: Record<string, Attr> = {}): string {
    this.nodes.push({ name, op, input: [...inputs], attr });
    return name;
  }

  /** The model, with `outputs` (node names, or "node:k") as its signature outputs. */
  build(outputs: readonly string[]): BuiltGraph {
    const names = outputs.map((o) => (/:\d+$/.test(o) ? o : `${o}:0`));
    const size = this.chunks.reduce((a, c) => a + c.length, 0);
    const weights = new Uint8Array(size);
    let o = 0;
    for (const c of this.chunks) {
      weights.set(c, o);
      o += c.length;
    }
    const json: TfGraphModelJson = {
      modelTopology: { node: this.nodes.map((n) => structuredClone(n)) },
      weightsManifest: [{ paths: ['weights.bin'], weights: this.specs.map((s) => ({ ...s })) }],
      signature: { outputs: Object.fromEntries(names.map((n) => [n, { name: n }])) },
    };
    return { json, weights, outputs: names };
  }
}

/** Deterministic pseudo-random values in [lo, hi) (mulberry32). */
export function randomValues(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = lo + (hi - lo) * r;
  }
  return out;
}
