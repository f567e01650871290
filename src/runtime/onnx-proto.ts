/**
 * Encodes ONNX models (onnx.proto ModelProto) from a plain description: the few messages a graph of
 * standard operators needs, written with a small protobuf encoder (no npm dependency). Used to hand the
 * npm-shipped tfjs graph models to ONNX Runtime (src/runtime/tfjs-onnx.ts) and by tests to build models.
 *
 * Attributes: plain values are inferred (integer number -> INT, other number -> FLOAT, number[] of
 * integers -> INTS, else FLOATS, string -> STRING, tensor -> TENSOR); wrap with `attr.float(1)`,
 * `attr.floats([0, 1])`, `attr.ints([])` etc. when the inference would pick the wrong type.
 * Field numbers follow onnx/onnx.proto (IR version 8, default opset 17).
 */

export type OnnxElemType = 'float32' | 'int64' | 'int32' | 'uint8' | 'bool';

/** TensorProto.DataType codes. */
export const ONNX_ELEM_CODE: Readonly<Record<OnnxElemType, number>> = {
  float32: 1,
  uint8: 2,
  int32: 6,
  int64: 7,
  bool: 9,
};

/** A constant tensor (initializer or TENSOR attribute). Data is row-major. */
export interface OnnxTensor {
  name: string;
  type: OnnxElemType;
  dims: readonly number[];
  data: ArrayLike<number> | BigInt64Array | readonly bigint[];
}

/** Makes a tensor; `type` defaults to float32. */
export function tensor(
  name: string,
  dims: readonly number[],
  data: ArrayLike<number> | BigInt64Array | readonly bigint[],
  type: OnnxElemType = 'float32',
): OnnxTensor {
  const n = dims.reduce((a, b) => a * b, 1);
  if (data.length !== n)
    throw new Error(`tensor ${name}: ${data.length} values for dims [${dims.join(',')}]`);
  return { name, type, dims, data };
}

/** A graph input/output. Dimensions: a number, or a string for a symbolic one (e.g. 'N', 'height'). */
export interface OnnxValueInfo {
  name: string;
  /** Defaults to float32. */
  type?: OnnxElemType;
  /** Omit for "any shape" (outputs whose shape ONNX Runtime infers). */
  shape?: ReadonlyArray<number | string>;
}

export type OnnxAttribute =
  | { kind: 'int'; value: number | bigint }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: OnnxTensor }
  | { kind: 'ints'; value: ReadonlyArray<number | bigint> }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'strings'; value: readonly string[] };

/** Explicit attribute constructors, for when plain-value inference is ambiguous. */
export const attr = {
  int: (value: number | bigint): OnnxAttribute => ({ kind: 'int', value }),
  float: (value: number): OnnxAttribute => ({ kind: 'float', value }),
  string: (value: string): OnnxAttribute => ({ kind: 'string', value }),
  tensor: (value: OnnxTensor): OnnxAttribute => ({ kind: 'tensor', value }),
  ints: (value: ReadonlyArray<number | bigint>): OnnxAttribute => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): OnnxAttribute => ({ kind: 'floats', value }),
  strings: (value: readonly string[]): OnnxAttribute => ({ kind: 'strings', value }),
};

export type OnnxAttributeValue = OnnxAttribute | OnnxTensor | number | string | readonly number[];

export interface OnnxNode {
  opType: string;
  /** Input value names; '' for an omitted optional input (e.g. Resize's roi). */
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  /** Operator domain; '' (the default) is the standard ai.onnx domain. */
  domain?: string;
  attributes?: Readonly<Record<string, OnnxAttributeValue>>;
}

export interface OnnxModelSpec {
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  nodes: readonly OnnxNode[];
  initializers?: readonly OnnxTensor[];
  /** ai.onnx opset version (default 17). */
  opset?: number;
  /** Extra opset imports, e.g. `{ 'com.microsoft': 1 }`. */
  extraOpsets?: Readonly<Record<string, number>>;
  /** ModelProto.ir_version (default 8, which ONNX Runtime >= 1.10 reads). */
  irVersion?: number;
  graphName?: string;
  producer?: string;
}

// ---------------------------------------------------------------- protobuf wire format

/** Collects bytes in chunks: weights arrive as large typed arrays that are copied once, at the end. */
class Writer {
  private parts: Uint8Array[] = [];
  private small: number[] = [];
  private size = 0;

  private flush(): void {
    if (!this.small.length) return;
    this.parts.push(Uint8Array.from(this.small));
    this.small = [];
  }

  private byte(b: number): void {
    this.small.push(b);
    this.size++;
  }

  varint(v: number | bigint): this {
    if (typeof v === 'number' && v >= 0 && v < 2 ** 31) {
      let x = v;
      while (x >= 0x80) {
        this.byte((x & 0x7f) | 0x80);
        x >>>= 7;
      }
      this.byte(x);
      return this;
    }
    // int64 fields: negatives are sent as 10-byte two's complement
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.byte(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.byte(Number(x));
    return this;
  }

  private tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }

  int(field: number, v: number | bigint): this {
    return this.tag(field, 0).varint(v);
  }

  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2).varint(b.length);
    if (b.length < 64) {
      for (const x of b) this.byte(x);
    } else {
      this.flush();
      this.parts.push(b);
      this.size += b.length;
    }
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, m: Writer): this {
    return this.bytes(field, m.finish());
  }

  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    for (const x of b) this.byte(x);
    return this;
  }

  packedFloats(field: number, vs: readonly number[]): this {
    return this.bytes(field, new Uint8Array(Float32Array.from(vs).buffer));
  }

  packedInts(field: number, vs: ReadonlyArray<number | bigint>): this {
    const w = new Writer();
    for (const v of vs) w.varint(v);
    return this.bytes(field, w.finish());
  }

  finish(): Uint8Array {
    this.flush();
    if (this.parts.length === 1) return this.parts[0];
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

// ---------------------------------------------------------------- onnx.proto messages

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function rawData(t: OnnxTensor): Uint8Array {
  const d = t.data;
  // typed arrays of the tensor's own type are sent as they are (little-endian hosts)
  if (LITTLE_ENDIAN) {
    if (t.type === 'float32' && d instanceof Float32Array)
      return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    if (t.type === 'int32' && d instanceof Int32Array)
      return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    if (t.type === 'int64' && d instanceof BigInt64Array)
      return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  }
  const n = d.length;
  const size = t.type === 'int64' ? 8 : t.type === 'float32' || t.type === 'int32' ? 4 : 1;
  const b = new Uint8Array(n * size);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < n; i++) {
    const v = d[i] as number | bigint;
    if (t.type === 'float32') dv.setFloat32(i * 4, Number(v), true);
    else if (t.type === 'int64') dv.setBigInt64(i * 8, BigInt(v), true);
    else if (t.type === 'int32') dv.setInt32(i * 4, Number(v), true);
    else b[i] = Number(v) & 0xff;
  }
  return b;
}

function tensorProto(t: OnnxTensor): Writer {
  const w = new Writer();
  if (t.dims.length) w.packedInts(1, t.dims);
  w.int(2, ONNX_ELEM_CODE[t.type]);
  w.string(8, t.name);
  w.bytes(9, rawData(t));
  return w;
}

function valueInfoProto(v: OnnxValueInfo): Writer {
  const tensorType = new Writer().int(1, ONNX_ELEM_CODE[v.type ?? 'float32']);
  if (v.shape) {
    const shape = new Writer();
    for (const d of v.shape) {
      const dim = new Writer();
      if (typeof d === 'number') dim.int(1, d);
      else dim.string(2, d);
      shape.message(1, dim);
    }
    tensorType.message(2, shape);
  }
  return new Writer().string(1, v.name).message(2, new Writer().message(1, tensorType));
}

function isTensor(v: OnnxAttributeValue): v is OnnxTensor {
  return typeof v === 'object' && !Array.isArray(v) && 'dims' in v;
}

function normaliseAttribute(name: string, v: OnnxAttributeValue): OnnxAttribute {
  if (typeof v === 'number') return Number.isInteger(v) ? attr.int(v) : attr.float(v);
  if (typeof v === 'string') return attr.string(v);
  if (Array.isArray(v)) {
    if (v.length === 0)
      throw new Error(`attribute ${name}: empty list, use attr.ints([]) or attr.floats([])`);
    return (v as number[]).every(Number.isInteger) ? attr.ints(v as number[]) : attr.floats(v as number[]);
  }
  if (isTensor(v)) return attr.tensor(v);
  return v as OnnxAttribute;
}

/** AttributeProto.AttributeType codes. */
const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7, strings: 8 } as const;

function attributeProto(name: string, value: OnnxAttributeValue): Writer {
  const a = normaliseAttribute(name, value);
  const w = new Writer().string(1, name);
  switch (a.kind) {
    case 'float':
      w.float(2, a.value);
      break;
    case 'int':
      w.int(3, a.value);
      break;
    case 'string':
      w.string(4, a.value);
      break;
    case 'tensor':
      w.message(5, tensorProto(a.value));
      break;
    case 'floats':
      if (a.value.length) w.packedFloats(7, a.value);
      break;
    case 'ints':
      if (a.value.length) w.packedInts(8, a.value);
      break;
    case 'strings':
      for (const s of a.value) w.string(9, s);
      break;
  }
  return w.int(20, ATTR_TYPE[a.kind]);
}

function nodeProto(n: OnnxNode, index: number): Writer {
  const w = new Writer();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name ?? `${n.opType}_${index}`);
  w.string(4, n.opType);
  for (const [k, v] of Object.entries(n.attributes ?? {})) w.message(5, attributeProto(k, v));
  if (n.domain) w.string(7, n.domain);
  return w;
}

/** Encodes a ModelProto. */
export function buildOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const graph = new Writer();
  spec.nodes.forEach((n, i) => graph.message(1, nodeProto(n, i)));
  graph.string(2, spec.graphName ?? 'graph');
  for (const t of spec.initializers ?? []) graph.message(5, tensorProto(t));
  for (const v of spec.inputs) graph.message(11, valueInfoProto(v));
  for (const v of spec.outputs) graph.message(12, valueInfoProto(v));

  const model = new Writer().int(1, spec.irVersion ?? 8).string(2, spec.producer ?? 'parsepose');
  model.message(7, graph);
  model.message(8, new Writer().string(1, '').int(2, spec.opset ?? 17));
  for (const [domain, version] of Object.entries(spec.extraOpsets ?? {})) {
    model.message(8, new Writer().string(1, domain).int(2, version));
  }
  return model.finish();
}
