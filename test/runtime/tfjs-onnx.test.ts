import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tfconv from '@tensorflow/tfjs-converter';
import * as ort from 'onnxruntime-node';
import { ParseposeError } from '../../src/errors.js';
import { initTfjs, tf } from '../../src/runtime/tfjs.js';
import {
  convertTfjsGraph,
  convertTfjsGraphOrThrow,
  decodeWeights,
  type TfGraphModelJson,
} from '../../src/runtime/tfjs-onnx.js';
import { randomValues, TfGraph, tfAttr as A, type BuiltGraph, type TfDtype } from '../helpers/tfjs-graph.js';

/**
 * Operator semantics of the tfjs -> ONNX converter, checked against tfjs itself: each tiny graph runs
 * in tfjs (wasm backend, the engine the shipped models were made for) and, converted, in ONNX Runtime;
 * every output must agree in dtype, shape and values (float within 1e-4, integers and booleans exactly).
 */

interface Feed {
  name: string;
  dtype: TfDtype;
  shape: number[];
  data: ArrayLike<number>;
}

interface Result {
  dtype: string;
  shape: number[];
  data: number[];
}

const FLOAT_TOL = 1e-4;

async function runTfjs(g: BuiltGraph, feeds: Feed[]): Promise<Result[]> {
  await initTfjs();
  const artifacts: tf.io.ModelArtifacts = {
    format: 'graph-model',
    // tfjs reads the graph's version record
    modelTopology: {
      ...g.json.modelTopology,
      versions: {},
    } as unknown as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: g.json.weightsManifest[0].weights as tf.io.WeightsManifestEntry[],
    weightData: g.weights.slice().buffer,
    signature: g.json.signature as tf.io.ModelArtifacts['signature'],
  };
  const model = new tfconv.GraphModel({ load: async () => artifacts });
  await model.load();
  const inputs: tf.NamedTensorMap = {};
  for (const f of feeds) inputs[f.name] = tf.tensor(Array.from(f.data), f.shape, f.dtype);
  try {
    const out = model.execute(inputs, g.outputs);
    const list = Array.isArray(out) ? out : [out];
    const results = await Promise.all(
      list.map(async (t) => ({ dtype: t.dtype, shape: t.shape, data: Array.from(await t.data(), Number) })),
    );
    tf.dispose(list);
    return results;
  } finally {
    tf.dispose(Object.values(inputs));
    model.dispose();
  }
}

async function runOnnx(g: BuiltGraph, feeds: Feed[]): Promise<Result[]> {
  const converted = convertTfjsGraph(g.json, g.weights);
  const session = await ort.InferenceSession.create(converted.bytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    logSeverityLevel: 3,
  });
  try {
    const feed: Record<string, ort.Tensor> = {};
    for (const f of feeds) {
      const input = converted.inputs.find((i) => i.name === f.name);
      assert.ok(input, `converted model has no input ${f.name}`);
      const data =
        f.dtype === 'float32'
          ? Float32Array.from(f.data)
          : f.dtype === 'int32'
            ? Int32Array.from(f.data)
            : Uint8Array.from(f.data);
      feed[f.name] = new ort.Tensor(f.dtype, data, f.shape);
    }
    const names = g.outputs.map((tfName) => {
      const o = converted.outputs.find((x) => x.tfName === tfName);
      assert.ok(o, `converted model has no output ${tfName}`);
      return o.name;
    });
    const res = await session.run(feed, names);
    return names.map((n) => ({
      dtype: res[n].type,
      shape: [...res[n].dims].map(Number),
      data: Array.from(res[n].data as ArrayLike<number>, Number),
    }));
  } finally {
    await session.release();
  }
}

function same(a: number, b: number, tol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol;
}

/** Runs the graph both ways and asserts every output agrees; returns tfjs's results for extra checks. */
async function agree(g: BuiltGraph, feeds: Feed[], tol = FLOAT_TOL): Promise<Result[]> {
  const expected = await runTfjs(g, feeds);
  const actual = await runOnnx(g, feeds);
  assert.equal(actual.length, expected.length);
  expected.forEach((e, k) => {
    const a = actual[k];
    const what = `output ${g.outputs[k]}`;
    assert.equal(a.dtype, e.dtype, `${what}: dtype`);
    assert.deepEqual(a.shape, e.shape, `${what}: shape`);
    const t = e.dtype === 'float32' ? tol : 0;
    for (let i = 0; i < e.data.length; i++) {
      if (!same(a.data[i], e.data[i], t))
        assert.fail(
          `${what}: element ${i} is ${a.data[i]}, tfjs gives ${e.data[i]} (shape [${e.shape.join(',')}])`,
        );
    }
  });
  return expected;
}

const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** A float input with deterministic values in [-1, 1). */
function floatFeed(name: string, shape: number[], seed: number, lo = -1, hi = 1): Feed {
  return { name, dtype: 'float32', shape, data: randomValues(count(shape), seed, lo, hi) };
}

const strides2d = (s: number): ReturnType<typeof A.ints> => A.ints([1, s, s, 1]);
const convAttrs = (padding: string, s = 1, d = 1): Record<string, ReturnType<typeof A.s>> => ({
  T: A.type('float32'),
  data_format: A.s('NHWC'),
  padding: A.s(padding),
  strides: strides2d(s),
  dilations: A.ints([1, d, d, 1]),
});

before(async () => {
  await initTfjs();
});

describe('StridedSlice', () => {
  const shape = [2, 5, 6, 3];
  const x = floatFeed('x', shape, 1);
  const slice = (
    g: TfGraph,
    name: string,
    input: string,
    begin: number[],
    end: number[],
    strides: number[],
    masks: { begin?: number; end?: number; shrink?: number; newAxis?: number } = {},
  ): string => {
    const n = begin.length;
    return g.node(
      name,
      'StridedSlice',
      [input, g.i32(`${name}/b`, [n], begin), g.i32(`${name}/e`, [n], end), g.i32(`${name}/s`, [n], strides)],
      {
        T: A.type('float32'),
        Index: A.type('int32'),
        begin_mask: A.i(masks.begin ?? 0),
        end_mask: A.i(masks.end ?? 0),
        ellipsis_mask: A.i(0),
        new_axis_mask: A.i(masks.newAxis ?? 0),
        shrink_axis_mask: A.i(masks.shrink ?? 0),
      },
    );
  };

  test('begin and end masks with a stride: x[:, 1:4, ::2, :]', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', shape);
    slice(g, 'y', 'x', [0, 1, 0, 0], [0, 4, 0, 0], [1, 1, 2, 1], { begin: 0b1101, end: 0b1101 });
    // fewer spec entries than dimensions: the rest are taken whole
    slice(g, 'z', 'x', [1, 2], [2, 5], [1, 2]);
    const [y, z] = await agree(g.build(['y', 'z']), [x]);
    assert.deepEqual(y.shape, [2, 3, 3, 3]);
    assert.deepEqual(z.shape, [1, 2, 6, 3]);
  });

  test('shrink_axis_mask, including index -1: x[0, 2] and x[:, -1]', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', shape);
    slice(g, 'a', 'x', [0, 2], [1, 3], [1, 1], { shrink: 0b11 });
    slice(g, 'b', 'x', [0, -1, 0], [0, 0, 0], [1, 1, 1], { begin: 0b101, end: 0b101, shrink: 0b010 });
    slice(g, 'c', 'x', [0, 0, 0, -1], [0, 0, 0, 0], [1, 1, 1, 1], {
      begin: 0b0111,
      end: 0b0111,
      shrink: 0b1000,
    });
    // a begin mask on a shrunk axis is ignored: x[1]
    slice(g, 'd', 'x', [1], [2], [1], { begin: 1, shrink: 1 });
    const [a, b, c, d] = await agree(g.build(['a', 'b', 'c', 'd']), [x]);
    assert.deepEqual(a.shape, [6, 3]);
    assert.deepEqual(b.shape, [2, 6, 3]);
    assert.deepEqual(c.shape, [2, 5, 6]);
    assert.deepEqual(d.data, Array.from(x.data).slice(90, 180));
  });

  test('new_axis_mask: x[:, newaxis], x[newaxis, :, 1:3]', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', shape);
    slice(g, 'a', 'x', [0, 0, 0], [0, 0, 0], [1, 1, 1], { begin: 0b101, end: 0b101, newAxis: 0b010 });
    slice(g, 'b', 'x', [0, 0, 1], [0, 0, 3], [1, 1, 1], { begin: 0b010, end: 0b010, newAxis: 0b001 });
    // a new axis next to a shrunk one: x[1, newaxis, 2]
    slice(g, 'c', 'x', [1, 0, 2], [2, 0, 3], [1, 1, 1], { newAxis: 0b010, shrink: 0b101 });
    const [a, b, c] = await agree(g.build(['a', 'b', 'c']), [x]);
    assert.deepEqual(a.shape, [2, 1, 5, 6, 3]);
    assert.deepEqual(b.shape, [1, 2, 2, 6, 3]);
    assert.deepEqual(c.shape, [1, 6, 3]);
  });

  test('negative begin and end: x[:, -3:-1], x[:, :, -4:]', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', shape);
    slice(g, 'a', 'x', [0, -3], [0, -1], [1, 1], { begin: 0b1, end: 0b1 });
    slice(g, 'b', 'x', [0, 0, -4], [0, 0, 0], [1, 1, 1], { begin: 0b011, end: 0b111 });
    const [a, b] = await agree(g.build(['a', 'b']), [x]);
    assert.deepEqual(a.shape, [2, 2, 6, 3]);
    assert.deepEqual(b.shape, [2, 5, 4, 3]);
  });

  test('negative strides: x[::-1], x[:, -1:0:-1, 4::-2], x[:, 3:-6:-1]', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', shape);
    slice(g, 'a', 'x', [0], [0], [-1], { begin: 1, end: 1 });
    slice(g, 'b', 'x', [0, -1, 4], [0, 0, 0], [1, -1, -2], { begin: 0b001, end: 0b101 });
    slice(g, 'c', 'x', [0, 3], [0, -6], [1, -1], { begin: 0b01, end: 0b01 });
    const [a, b, c] = await agree(g.build(['a', 'b', 'c']), [x]);
    assert.deepEqual(a.shape, shape);
    assert.deepEqual(b.shape, [2, 4, 3, 3]);
    assert.deepEqual(c.shape, [2, 4, 6, 3]);
  });

  test('int32 shape vectors, as the models slice Shape outputs', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', [1, -1, -1, 3]);
    g.node('shape', 'Shape', ['x'], { T: A.type('float32'), out_type: A.type('int32') });
    const n = (name: string, b: number, e: number, shrink: number): string =>
      g.node(
        name,
        'StridedSlice',
        ['shape', g.i32(`${name}/b`, [1], [b]), g.i32(`${name}/e`, [1], [e]), g.i32(`${name}/s`, [1], [1])],
        { T: A.type('int32'), Index: A.type('int32'), shrink_axis_mask: A.i(shrink) },
      );
    n('hw', 1, 3, 0);
    n('w', 2, 3, 1);
    const [hw, w] = await agree(g.build(['hw', 'w']), [floatFeed('x', [1, 5, 6, 3], 7)]);
    assert.deepEqual(hw.data, [5, 6]);
    assert.deepEqual(w.shape, []);
  });
});

describe('arithmetic', () => {
  test('FloorDiv rounds toward -inf for int32 and float', async () => {
    const g = new TfGraph();
    g.input('a', 'int32', [10]);
    g.input('b', 'int32', [10]);
    g.input('p', 'float32', [6]);
    g.input('q', 'float32', [6]);
    g.node('i', 'FloorDiv', ['a', 'b'], { T: A.type('int32') });
    // a constant divisor, as multipose divides TopK indices by the heatmap width
    g.node('k', 'FloorDiv', ['a', g.i32('three', [], [3])], { T: A.type('int32') });
    g.node('f', 'FloorDiv', ['p', 'q'], { T: A.type('float32') });
    const [i, k] = await agree(g.build(['i', 'k', 'f']), [
      { name: 'a', dtype: 'int32', shape: [10], data: [-7, -6, -1, 0, 1, 7, 8, -8, 7, -9] },
      { name: 'b', dtype: 'int32', shape: [10], data: [2, -2, 3, 3, -3, -2, 3, 3, 7, 4] },
      { name: 'p', dtype: 'float32', shape: [6], data: [-7.5, 7.5, -0.5, 3, -3, 9.25] },
      { name: 'q', dtype: 'float32', shape: [6], data: [2, -2, 4, 1.5, 1.5, -0.5] },
    ]);
    assert.deepEqual(i.data.slice(0, 3), [-4, 3, -1]); // the cases truncation gets wrong
    assert.equal(k.data[0], -3);
  });

  test('Select / SelectV2, comparisons and logical ops', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', [3, 4]);
    g.input('y', 'float32', [3, 4]);
    g.node('gt', 'Greater', ['x', 'y'], { T: A.type('float32') });
    g.node('lt', 'Less', ['x', g.f32('c', [], [0.25])], { T: A.type('float32') });
    g.node('and', 'LogicalAnd', ['gt', 'lt']);
    g.node('sel', 'Select', ['gt', 'x', 'y'], { T: A.type('float32') });
    g.node('sel2', 'SelectV2', ['and', 'x', g.f32('zero', [], [0])], { T: A.type('float32') });
    const [gt, , , sel] = await agree(g.build(['gt', 'and', 'lt', 'sel', 'sel2']), [
      floatFeed('x', [3, 4], 2),
      floatFeed('y', [3, 4], 3),
    ]);
    assert.equal(gt.dtype, 'bool');
    assert.equal(sel.dtype, 'float32');
  });

  test('Sum and Max with keep_dims, Sum of int32, ArgMax with int32 output', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', [2, 3, 4]);
    g.input('n', 'int32', [2, 3]);
    const red = (
      name: string,
      op: string,
      input: string,
      axes: number[],
      keep: boolean,
      t: TfDtype = 'float32',
    ) =>
      g.node(name, op, [input, g.i32(`${name}/axes`, [axes.length], axes)], {
        T: A.type(t),
        Tidx: A.type('int32'),
        keep_dims: A.b(keep),
      });
    red('sum12', 'Sum', 'x', [1, 2], true);
    red('sum0', 'Sum', 'x', [0], false);
    red('max', 'Max', 'x', [-1], true);
    red('maxall', 'Max', 'x', [0, 1, 2], false);
    red('isum', 'Sum', 'n', [1], false, 'int32');
    // no axes: TF reduces nothing
    red('none', 'Sum', 'x', [], false);
    red('nonemax', 'Max', 'x', [], true);
    g.node('am', 'ArgMax', ['x', g.i32('am/axis', [], [-1])], {
      T: A.type('float32'),
      Tidx: A.type('int32'),
      output_type: A.type('int32'),
    });
    g.node('am1', 'ArgMax', ['n', g.i32('am1/axis', [], [1])], {
      T: A.type('int32'),
      Tidx: A.type('int32'),
      output_type: A.type('int32'),
    });
    const out = await agree(
      g.build(['sum12', 'sum0', 'max', 'maxall', 'isum', 'am', 'am1', 'none', 'nonemax']),
      [
        floatFeed('x', [2, 3, 4], 4),
        // ties: the first index wins
        { name: 'n', dtype: 'int32', shape: [2, 3], data: [5, 9, 9, -1, -1, -3] },
      ],
    );
    assert.deepEqual(out[0].shape, [2, 1, 1]);
    assert.deepEqual(out[2].shape, [2, 3, 1]);
    assert.deepEqual(out[3].shape, []);
    assert.equal(out[5].dtype, 'int32');
    assert.deepEqual(out[6].data, [1, 0]);
    assert.deepEqual(out[7].shape, [2, 3, 4]);
  });

  test('Cast between int32 and float (truncating toward zero)', async () => {
    const g = new TfGraph();
    g.input('f', 'float32', [6]);
    g.input('i', 'int32', [4]);
    g.node('f2i', 'Cast', ['f'], { SrcT: A.type('float32'), DstT: A.type('int32'), Truncate: A.b(false) });
    g.node('i2f', 'Cast', ['i'], { SrcT: A.type('int32'), DstT: A.type('float32'), Truncate: A.b(false) });
    const feeds: Feed[] = [
      { name: 'f', dtype: 'float32', shape: [6], data: [-2.7, -0.5, 0, 0.5, 2.7, 255.9] },
      { name: 'i', dtype: 'int32', shape: [4], data: [-3, 0, 7, 16777215] },
    ];
    const [f2i] = await agree(g.build(['f2i', 'i2f']), feeds);
    assert.deepEqual(f2i.data, [-2, 0, 0, 0, 2, 255]);
  });

  test('Cast to and from bool follows TensorFlow (x != 0)', async () => {
    // tfjs-wasm itself casts float -> bool by wrapping to a byte (-2.7 -> 254, -0.5 -> 0), so this
    // one is checked against TensorFlow's definition instead
    const g = new TfGraph();
    g.input('f', 'float32', [6]);
    g.node('f2b', 'Cast', ['f'], { SrcT: A.type('float32'), DstT: A.type('bool'), Truncate: A.b(false) });
    g.node('b2f', 'Cast', ['f2b'], { SrcT: A.type('bool'), DstT: A.type('float32'), Truncate: A.b(false) });
    const [f2b, b2f] = await runOnnx(g.build(['f2b', 'b2f']), [
      { name: 'f', dtype: 'float32', shape: [6], data: [-2.7, -0.5, 0, 0.5, 2.7, -0] },
    ]);
    assert.equal(f2b.dtype, 'bool');
    assert.deepEqual(f2b.data, [1, 1, 0, 1, 1, 0]);
    assert.equal(b2f.dtype, 'float32');
    assert.deepEqual(b2f.data, [1, 1, 0, 1, 1, 0]);
  });

  test('element-wise ops the models use (AddN, SquaredDifference, Rsqrt, Square, Relu6, Prelu...)', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', [2, 3, 4]);
    g.input('y', 'float32', [2, 3, 4]);
    const T = { T: A.type('float32') };
    g.node('addn', 'AddN', ['x', 'y', 'x'], { ...T, N: A.i(3) });
    g.node('sqd', 'SquaredDifference', ['x', 'y'], T);
    g.node('abs', 'Abs', ['x'], T);
    g.node('rsq', 'Rsqrt', [g.node('absy', 'Abs', ['y'], T)], T);
    g.node('sq', 'Square', ['x'], T);
    g.node('relu6', 'Relu6', [g.node('big', 'Mul', ['x', g.f32('ten', [], [10])], T)], T);
    g.node('prelu', 'Prelu', ['x', g.f32('alpha', [4], [0.1, -0.2, 0.3, 2])], T);
    g.node('leaky', 'LeakyRelu', ['x'], { ...T, alpha: A.f(0.3) });
    g.node('bias', 'BiasAdd', ['x', g.f32('b', [4], [1, 2, 3, 4])], { ...T, data_format: A.s('NHWC') });
    g.node('div', 'RealDiv', ['x', g.node('pos', 'Add', ['absy', g.f32('one', [], [1])], T)], T);
    g.node('rec', 'Reciprocal', ['pos'], T);
    g.node('exp', 'Exp', ['x'], T);
    g.node('sig', 'Sigmoid', ['x'], T);
    g.node('mx', 'Maximum', ['x', 'y'], T);
    g.node('mn', 'Minimum', ['x', g.f32('c', [], [0.1])], T);
    g.node('sm', 'Softmax', ['x'], T);
    await agree(
      g.build([
        'addn',
        'sqd',
        'abs',
        'rsq',
        'sq',
        'relu6',
        'prelu',
        'leaky',
        'bias',
        'div',
        'rec',
        'exp',
        'sig',
        'mx',
        'mn',
        'sm',
      ]),
      [floatFeed('x', [2, 3, 4], 5), floatFeed('y', [2, 3, 4], 6)],
    );
  });
});

describe('convolutions', () => {
  test('depthwise convolution: channel multiplier 2, stride 2, SAME, odd input (7x9)', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', [1, 7, 9, 3]);
    const w = g.f32('w', [3, 3, 3, 2], randomValues(54, 11));
    g.node('dw', 'DepthwiseConv2dNative', ['x', w], convAttrs('SAME', 2));
    // the fused form with bias and Relu6, stride 1
    g.node('fdw', 'FusedDepthwiseConv2dNative', ['x', w, g.f32('b', [6], randomValues(6, 12))], {
      ...convAttrs('SAME', 1),
      fused_ops: A.strs(['BiasAdd', 'Relu6']),
      num_args: A.i(1),
    });
    // VALID with dilation 2
    g.node('vdw', 'DepthwiseConv2dNative', ['x', w], convAttrs('VALID', 1, 2));
    const [dw, fdw, vdw] = await agree(g.build(['dw', 'fdw', 'vdw']), [
      floatFeed('x', [1, 7, 9, 3], 13, -3, 3),
    ]);
    assert.deepEqual(dw.shape, [1, 4, 5, 6]);
    assert.deepEqual(fdw.shape, [1, 7, 9, 6]);
    assert.deepEqual(vdw.shape, [1, 3, 5, 6]);
  });

  test('Conv2D with EXPLICIT padding and dilation 2; SAME with dilation', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', [1, 8, 7, 3]);
    const w = g.f32('w', [3, 3, 3, 4], randomValues(108, 21));
    g.node('c', 'Conv2D', ['x', w], {
      ...convAttrs('EXPLICIT', 1, 2),
      explicit_paddings: A.ints([0, 0, 1, 2, 3, 0, 0, 0]),
    });
    g.node('s', 'Conv2D', ['x', w], convAttrs('SAME', 2));
    // SAME with dilation: ONNX Runtime has no auto_pad for it, so the converter spells the pads out
    g.node('sd', 'Conv2D', ['x', w], convAttrs('SAME', 1, 2));
    g.node(
      'dwd',
      'DepthwiseConv2dNative',
      ['x', g.f32('wd', [2, 2, 3, 1], randomValues(12, 23))],
      convAttrs('SAME', 1, 3),
    );
    const [c, s, sd] = await agree(g.build(['c', 's', 'sd', 'dwd']), [floatFeed('x', [1, 8, 7, 3], 22)]);
    // (8 + 1 + 2 - 5) + 1 = 7 rows, (7 + 3 + 0 - 5) + 1 = 6 columns
    assert.deepEqual(c.shape, [1, 7, 6, 4]);
    assert.deepEqual(s.shape, [1, 4, 4, 4]);
    assert.deepEqual(sd.shape, [1, 8, 7, 4]);
  });

  test('_FusedConv2D with BiasAdd+Relu6, BiasAdd+Prelu (num_args 2), BiasAdd+LeakyRelu; fused depthwise Prelu', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', [1, 7, 9, 3]);
    const w = g.f32('w', [3, 3, 3, 4], randomValues(108, 31));
    const b = g.f32('b', [4], randomValues(4, 32));
    g.node('relu6', '_FusedConv2D', ['x', w, b], {
      ...convAttrs('SAME', 2),
      fused_ops: A.strs(['BiasAdd', 'Relu6']),
      num_args: A.i(1),
      epsilon: A.f(0),
    });
    // alpha shaped [1, 1, C] as facemesh stores it
    const alpha = g.f32('alpha', [1, 1, 4], [0.25, -0.5, 2, 0]);
    g.node('prelu', '_FusedConv2D', ['x', w, b, alpha], {
      ...convAttrs('VALID', 1),
      fused_ops: A.strs(['BiasAdd', 'Prelu']),
      num_args: A.i(2),
      epsilon: A.f(0),
    });
    g.node('bias', '_FusedConv2D', ['x', w, b], {
      ...convAttrs('SAME', 1),
      fused_ops: A.strs(['BiasAdd']),
      num_args: A.i(1),
      epsilon: A.f(0),
    });
    g.node('leaky', '_FusedConv2D', ['x', w, b], {
      ...convAttrs('SAME', 1),
      fused_ops: A.strs(['BiasAdd', 'LeakyRelu']),
      num_args: A.i(1),
      epsilon: A.f(0),
      leakyrelu_alpha: A.f(0.3),
    });
    // and a depthwise one with Prelu, alpha per output channel (3 x multiplier 2)
    g.node(
      'dwprelu',
      'FusedDepthwiseConv2dNative',
      [
        'x',
        g.f32('dw', [3, 3, 3, 2], randomValues(54, 34)),
        g.f32('db', [6], randomValues(6, 35)),
        g.f32('da', [6], [0.1, 0.2, -0.3, 0.4, 1.5, 0]),
      ],
      {
        ...convAttrs('SAME', 2),
        fused_ops: A.strs(['BiasAdd', 'Prelu']),
        num_args: A.i(2),
      },
    );
    const [r6] = await agree(g.build(['relu6', 'prelu', 'bias', 'leaky', 'dwprelu']), [
      floatFeed('x', [1, 7, 9, 3], 33, -4, 4),
    ]);
    assert.ok(
      r6.data.some((v) => v === 6) && r6.data.some((v) => v === 0),
      'the input should reach both clips',
    );
  });

  const backprop =
    (padding: 'SAME' | 'VALID', out: number[], k: number, s: number, seed: number) => async () => {
      const ci = 4;
      const co = out[3];
      const inH = padding === 'SAME' ? Math.ceil(out[1] / s) : Math.ceil((out[1] - k + 1) / s);
      const inW = padding === 'SAME' ? Math.ceil(out[2] / s) : Math.ceil((out[2] - k + 1) / s);
      const g = new TfGraph();
      g.input('x', 'float32', [1, inH, inW, ci]);
      g.node(
        'y',
        'Conv2DBackpropInput',
        [g.i32('sizes', [4], out), g.f32('w', [k, k, co, ci], randomValues(k * k * co * ci, seed)), 'x'],
        convAttrs(padding, s),
      );
      const [y] = await agree(g.build(['y']), [floatFeed('x', [1, inH, inW, ci], seed + 1)]);
      assert.deepEqual(y.shape, out);
    };
  test(
    'Conv2DBackpropInput SAME to an odd size (7x9, stride 2, kernel 3)',
    backprop('SAME', [1, 7, 9, 2], 3, 2, 41),
  );
  test(
    'Conv2DBackpropInput VALID to an odd size (7x9, stride 2, kernel 3)',
    backprop('VALID', [1, 7, 9, 2], 3, 2, 42),
  );
  test(
    'Conv2DBackpropInput SAME to an even size (8x10: uneven crop)',
    backprop('SAME', [1, 8, 10, 2], 3, 2, 46),
  );
  test(
    'Conv2DBackpropInput VALID to an even size (8x10: output padding)',
    backprop('VALID', [1, 8, 10, 2], 3, 2, 43),
  );
  test('Conv2DBackpropInput SAME, kernel 2 stride 2 (selfie)', backprop('SAME', [1, 8, 10, 1], 2, 2, 44));
  test('Conv2DBackpropInput SAME, kernel smaller than stride', backprop('SAME', [1, 8, 7, 2], 1, 2, 45));
});

describe('pooling and resizing', () => {
  test('AvgPool SAME stride 2 on an odd size excludes the padding; AvgPool VALID', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', [1, 7, 9, 2]);
    const pool = (name: string, op: string, padding: string, k: number, s: number) =>
      g.node(name, op, ['x'], {
        T: A.type('float32'),
        data_format: A.s('NHWC'),
        padding: A.s(padding),
        ksize: A.ints([1, k, k, 1]),
        strides: strides2d(s),
      });
    pool('avg', 'AvgPool', 'SAME', 3, 2);
    pool('avgv', 'AvgPool', 'VALID', 2, 2);
    pool('max', 'MaxPool', 'SAME', 3, 2);
    pool('max5', 'MaxPool', 'SAME', 5, 1);
    const [avg, , max] = await agree(g.build(['avg', 'avgv', 'max', 'max5']), [
      // all positive: padding zeros counted in the mean or the max would show
      floatFeed('x', [1, 7, 9, 2], 51, 1, 2),
    ]);
    assert.deepEqual(avg.shape, [1, 4, 5, 2]);
    assert.ok(
      avg.data.every((v) => v >= 1),
      'the mean of values >= 1 cannot be below 1',
    );
    assert.ok(max.data.every((v) => v >= 1));
  });

  const resize = (op: string, flags: { align?: boolean; half?: boolean }) => async () => {
    const g = new TfGraph();
    g.input('x', 'float32', [1, 5, 7, 2]);
    g.input('s', 'float32', [1, 3, 5, 1]);
    g.input('e', 'float32', [1, 4, 6, 1]);
    g.input('w', 'float32', [1, 14, 9, 1]);
    g.input('v', 'float32', [1, 14, 12, 1]);
    const a = {
      T: A.type('float32'),
      align_corners: A.b(flags.align ?? false),
      half_pixel_centers: A.b(flags.half ?? false),
    };
    g.node('up', op, ['x', g.i32('up/size', [2], [8, 11])], a);
    g.node('down', op, ['x', g.i32('down/size', [2], [3, 4])], a);
    // 3 -> 5 with aligned corners hits source coordinates of exactly .5
    g.node('tie', op, ['s', g.i32('tie/size', [2], [5, 9])], a);
    // halving an even size puts half-pixel source coordinates on whole numbers
    g.node('half', op, ['e', g.i32('half/size', [2], [2, 3])], a);
    // a single output row: each mode puts it somewhere else
    g.node('row', op, ['x', g.i32('row/size', [2], [1, 3])], a);
    // 14 -> 2 and 9 -> 3: source coordinates that are whole numbers in TF's in/out arithmetic, but
    // fall just short of them when divided by an out/in scale (ONNX Resize)
    g.node('whole', op, ['w', g.i32('whole/size', [2], [2, 3])], a);
    g.node('whole2', op, ['v', g.i32('whole2/size', [2], [23, 37])], a);
    const [up, down] = await agree(g.build(['up', 'down', 'tie', 'half', 'row', 'whole', 'whole2']), [
      floatFeed('x', [1, 5, 7, 2], 61, 0, 10),
      floatFeed('s', [1, 3, 5, 1], 62, 0, 10),
      floatFeed('e', [1, 4, 6, 1], 63, 0, 10),
      floatFeed('w', [1, 14, 9, 1], 64, 0, 10),
      floatFeed('v', [1, 14, 12, 1], 65, 0, 10),
    ]);
    assert.deepEqual(up.shape, [1, 8, 11, 2]);
    assert.deepEqual(down.shape, [1, 3, 4, 2]);
  };
  test('ResizeBilinear, legacy (neither flag)', resize('ResizeBilinear', {}));
  test('ResizeBilinear, align_corners', resize('ResizeBilinear', { align: true }));
  test('ResizeBilinear, half_pixel_centers', resize('ResizeBilinear', { half: true }));
  test('ResizeNearestNeighbor, legacy (neither flag)', resize('ResizeNearestNeighbor', {}));
  test('ResizeNearestNeighbor, align_corners', resize('ResizeNearestNeighbor', { align: true }));
  test('ResizeNearestNeighbor, half_pixel_centers', resize('ResizeNearestNeighbor', { half: true }));
});

describe('shapes and indexing', () => {
  test('Pad and PadV2', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', [1, 3, 4, 2]);
    const p = g.i32('p', [4, 2], [0, 0, 1, 2, 2, 0, 0, 1]);
    g.node('pad', 'Pad', ['x', p], { T: A.type('float32'), Tpaddings: A.type('int32') });
    g.node('pad2', 'PadV2', ['x', p, g.f32('v', [], [-7])], {
      T: A.type('float32'),
      Tpaddings: A.type('int32'),
    });
    const [pad] = await agree(g.build(['pad', 'pad2']), [floatFeed('x', [1, 3, 4, 2], 71)]);
    assert.deepEqual(pad.shape, [1, 6, 6, 3]);
  });

  test('Pack and Unpack on axis 1 (and Pack on axis -1)', async () => {
    const g = new TfGraph();
    g.input('a', 'float32', [2, 3]);
    g.input('b', 'float32', [2, 3]);
    g.input('c', 'float32', [2, 3, 4]);
    g.node('pack', 'Pack', ['a', 'b', 'a'], { T: A.type('float32'), N: A.i(3), axis: A.i(1) });
    g.node('packl', 'Pack', ['a', 'b'], { T: A.type('float32'), N: A.i(2), axis: A.i(-1) });
    g.node('un', 'Unpack', ['c'], { T: A.type('float32'), num: A.i(3), axis: A.i(1) });
    const [pack, packl, u0, , u2] = await agree(g.build(['pack', 'packl', 'un', 'un:1', 'un:2']), [
      floatFeed('a', [2, 3], 72),
      floatFeed('b', [2, 3], 73),
      floatFeed('c', [2, 3, 4], 74),
    ]);
    assert.deepEqual(pack.shape, [2, 3, 3]);
    assert.deepEqual(packl.shape, [2, 3, 2]);
    assert.deepEqual(u0.shape, [2, 4]);
    assert.notDeepEqual(u0.data, u2.data);
  });

  test('Pack of int32 scalars into a shape for Reshape (multipose)', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', [2, 3, 4]);
    g.node('shape', 'Shape', ['x'], { T: A.type('float32'), out_type: A.type('int32') });
    g.node('dims', 'Unpack', ['shape'], { T: A.type('int32'), num: A.i(3), axis: A.i(0) });
    g.node('newshape', 'Pack', ['dims:2', 'dims', g.i32('m1', [], [-1])], {
      T: A.type('int32'),
      N: A.i(3),
      axis: A.i(0),
    });
    g.node('r', 'Reshape', ['x', 'newshape'], { T: A.type('float32'), Tshape: A.type('int32') });
    const [r] = await agree(g.build(['r']), [floatFeed('x', [2, 3, 4], 75)]);
    assert.deepEqual(r.shape, [4, 2, 3]);
  });

  test('ConcatV2 with a negative axis, Split', async () => {
    const g = new TfGraph();
    g.input('a', 'float32', [2, 3, 4]);
    g.input('b', 'float32', [2, 5, 4]);
    g.node('cat', 'ConcatV2', ['a', 'b', g.i32('axis', [], [-2])], {
      T: A.type('float32'),
      N: A.i(2),
      Tidx: A.type('int32'),
    });
    g.node('split', 'Split', [g.i32('sd', [], [-1]), 'a'], { T: A.type('float32'), num_split: A.i(2) });
    const [cat] = await agree(g.build(['cat', 'split', 'split:1']), [
      floatFeed('a', [2, 3, 4], 81),
      floatFeed('b', [2, 5, 4], 82),
    ]);
    assert.deepEqual(cat.shape, [2, 8, 4]);
  });

  test('TopKV2: values and int32 indices, ties in index order', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', [2, 10]);
    g.node('topk', 'TopKV2', ['x', g.i32('k', [], [4])], { T: A.type('float32'), sorted: A.b(true) });
    const [v, i] = await agree(g.build(['topk', 'topk:1']), [
      {
        name: 'x',
        dtype: 'float32',
        shape: [2, 10],
        data: [0.5, 0.9, 0.1, 0.9, 0.3, 0.9, 0.2, 0.8, 0, 0.7, ...randomValues(10, 83)],
      },
    ]);
    assert.deepEqual(v.shape, [2, 4]);
    assert.equal(i.dtype, 'int32');
    assert.deepEqual(i.data.slice(0, 4), [1, 3, 5, 7]);
  });

  test('GatherNd (index depth 1, 2 and 3) and GatherV2', async () => {
    const g = new TfGraph();
    g.input('p', 'float32', [4, 5, 3]);
    g.input('i2', 'int32', [3, 2]);
    const gnd = (name: string, idx: string) =>
      g.node(name, 'GatherNd', ['p', idx], { Tparams: A.type('float32'), Tindices: A.type('int32') });
    gnd('g2', 'i2');
    gnd('g1', g.i32('i1', [2, 1], [3, 0]));
    gnd('g3', g.i32('i3', [2, 2, 3], [0, 0, 0, 3, 4, 2, 1, 2, 1, 2, 3, 0]));
    g.node('gv', 'GatherV2', ['p', g.i32('gi', [2], [2, 0]), g.i32('ga', [], [1])], {
      Tparams: A.type('float32'),
      Tindices: A.type('int32'),
      Taxis: A.type('int32'),
      batch_dims: A.i(0),
    });
    const [g2, g1, g3, gv] = await agree(g.build(['g2', 'g1', 'g3', 'gv']), [
      floatFeed('p', [4, 5, 3], 84),
      { name: 'i2', dtype: 'int32', shape: [3, 2], data: [1, 2, 3, 0, 0, 4] },
    ]);
    assert.deepEqual(g2.shape, [3, 3]);
    assert.deepEqual(g1.shape, [2, 5, 3]);
    assert.deepEqual(g3.shape, [2, 2]);
    assert.deepEqual(gv.shape, [4, 2, 3]);
  });

  test('Squeeze, ExpandDims with negative axes, Reshape with -1', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', [1, 3, 1, 4]);
    g.node('sq', 'Squeeze', ['x'], { T: A.type('float32'), squeeze_dims: A.ints([]) });
    g.node('sq2', 'Squeeze', ['x'], { T: A.type('float32'), squeeze_dims: A.ints([-2]) });
    const ed = (name: string, axis: number) =>
      g.node(name, 'ExpandDims', ['sq', g.i32(`${name}/dim`, [], [axis])], {
        T: A.type('float32'),
        Tdim: A.type('int32'),
      });
    ed('e1', -1);
    ed('e2', -2);
    ed('e0', 0);
    g.node('r', 'Reshape', ['x', g.i32('rs', [3], [2, -1, 3])], {
      T: A.type('float32'),
      Tshape: A.type('int32'),
    });
    const [sq, sq2, e1, e2, e0, r] = await agree(g.build(['sq', 'sq2', 'e1', 'e2', 'e0', 'r']), [
      floatFeed('x', [1, 3, 1, 4], 91),
    ]);
    assert.deepEqual(sq.shape, [3, 4]);
    assert.deepEqual(sq2.shape, [1, 3, 4]);
    assert.deepEqual(e1.shape, [3, 4, 1]);
    assert.deepEqual(e2.shape, [3, 1, 4]);
    assert.deepEqual(e0.shape, [1, 3, 4]);
    assert.deepEqual(r.shape, [2, 2, 3]);
  });

  test('Fill, Tile, Range (int32 and float), Shape and Size', async () => {
    const g = new TfGraph();
    g.input('x', 'float32', [2, 3]);
    g.input('n', 'int32', []);
    g.node('shape', 'Shape', ['x'], { T: A.type('float32'), out_type: A.type('int32') });
    g.node('size', 'Size', ['x'], { T: A.type('float32'), out_type: A.type('int32') });
    g.node('fill', 'Fill', ['shape', g.f32('v', [], [2.5])], {
      T: A.type('float32'),
      index_type: A.type('int32'),
    });
    g.node('tile', 'Tile', ['x', g.i32('mult', [2], [2, 3])], {
      T: A.type('float32'),
      Tmultiples: A.type('int32'),
    });
    g.node('irange', 'Range', [g.i32('r0', [], [1]), 'n', g.i32('rd', [], [2])], { Tidx: A.type('int32') });
    g.node('frange', 'Range', [g.f32('f0', [], [0.5]), g.f32('f1', [], [3]), g.f32('fd', [], [0.75])], {
      Tidx: A.type('float32'),
    });
    const [shape, size, fill, tile, irange, frange] = await agree(
      g.build(['shape', 'size', 'fill', 'tile', 'irange', 'frange']),
      [floatFeed('x', [2, 3], 92), { name: 'n', dtype: 'int32', shape: [], data: [8] }],
    );
    assert.deepEqual(shape.data, [2, 3]);
    assert.equal(shape.dtype, 'int32');
    assert.deepEqual(size.data, [6]);
    assert.deepEqual(fill.shape, [2, 3]);
    assert.deepEqual(tile.shape, [4, 9]);
    assert.deepEqual(irange.data, [1, 3, 5, 7]);
    assert.deepEqual(frange.data, [0.5, 1.25, 2, 2.75]);
  });
});

describe('errors', () => {
  test('an unsupported operator is a BAD_MODEL error naming it', () => {
    const g = new TfGraph();
    g.input('x', 'float32', [4]);
    g.node('cum', 'Cumsum', ['x', g.i32('axis', [], [0])], { T: A.type('float32') });
    const { json, weights } = g.build(['cum']);
    assert.throws(
      () => convertTfjsGraphOrThrow(json, weights, '/models/x.json'),
      (err: unknown) =>
        err instanceof ParseposeError &&
        err.code === 'BAD_MODEL' &&
        /Cumsum/.test(err.message) &&
        err.message.includes('/models/x.json'),
    );
  });

  test('an output referring to a node that does not exist is an error', () => {
    const g = new TfGraph();
    g.input('x', 'float32', [4]);
    g.node('y', 'Relu', ['nothere'], { T: A.type('float32') });
    const { json, weights } = g.build(['y']);
    assert.throws(() => convertTfjsGraphOrThrow(json, weights, 'm.json'), /nothere/);
  });
});

describe('weights', () => {
  const manifest = (weights: TfGraphModelJson['weightsManifest'][number]['weights']) => [
    { paths: ['w.bin'], weights },
  ];
  const halves = (hs: number[]) => new Uint8Array(Uint16Array.from(hs).buffer);

  test('float16 decoding: known values incl. subnormals, negatives, infinities and NaN', () => {
    const cases: Array<[number, number]> = [
      [0x0000, 0],
      [0x3c00, 1],
      [0xc000, -2],
      [0x3555, 0.333251953125],
      [0x7bff, 65504], // largest finite
      [0x0400, 2 ** -14], // smallest normal
      [0x0001, 2 ** -24], // smallest subnormal
      [0x03ff, 1023 * 2 ** -24], // largest subnormal
      [0x8001, -(2 ** -24)],
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
    ];
    const hs = [...cases.map((c) => c[0]), 0x7e00, 0x8000];
    const w = decodeWeights(
      manifest([{ name: 'h', shape: [hs.length], dtype: 'float32', quantization: { dtype: 'float16' } }]),
      halves(hs),
    ).get('h');
    assert.ok(w);
    assert.equal(w.dtype, 'float32');
    cases.forEach(([h, v], i) => assert.equal(w.data[i], v, `half 0x${h.toString(16)}`));
    assert.ok(Number.isNaN(w.data[cases.length]));
    assert.ok(Object.is(w.data[cases.length + 1], -0));
  });

  test('float16 decoding matches tfjs on all 65536 half values', async () => {
    await initTfjs();
    const all = Array.from({ length: 65536 }, (_, i) => i);
    const spec = {
      name: 'h',
      shape: [65536],
      dtype: 'float32' as const,
      quantization: { dtype: 'float16' as const },
    };
    const ours = decodeWeights(manifest([spec]), halves(all)).get('h')!.data;
    const theirs = tf.io.decodeWeights(halves(all).buffer, [spec]).h;
    const ref = theirs.dataSync();
    theirs.dispose();
    for (let i = 0; i < 65536; i++) {
      if (!Object.is(ours[i], ref[i]) && !(Number.isNaN(ours[i]) && Number.isNaN(ref[i])))
        assert.fail(`half 0x${i.toString(16)}: ${ours[i]} vs tfjs ${ref[i]}`);
    }
  });

  test('uint8/uint16 affine quantisation (value * scale + min), rounded for int32 weights', async () => {
    await initTfjs();
    const scale = 2 / 255;
    const specs = [
      {
        name: 'u8',
        shape: [5],
        dtype: 'float32' as const,
        quantization: { dtype: 'uint8' as const, min: -1, scale },
      },
      {
        name: 'u16',
        shape: [3],
        dtype: 'float32' as const,
        quantization: { dtype: 'uint16' as const, min: 0.5, scale: 0.001 },
      },
      {
        name: 'i8',
        shape: [3],
        dtype: 'int32' as const,
        quantization: { dtype: 'uint8' as const, min: -10, scale: 0.7 },
      },
    ];
    const bytes = new Uint8Array(5 + 6 + 3);
    bytes.set([0, 1, 128, 254, 255], 0);
    new DataView(bytes.buffer).setUint16(5, 0, true);
    new DataView(bytes.buffer).setUint16(7, 1000, true);
    new DataView(bytes.buffer).setUint16(9, 65535, true);
    bytes.set([0, 14, 15], 11);
    const w = decodeWeights(manifest(specs), bytes);
    const u8 = Array.from(w.get('u8')!.data);
    const expected = [-1, -1 + scale, -1 + 128 * scale, -1 + 254 * scale, 1];
    u8.forEach((v, i) =>
      assert.ok(Math.abs(v - expected[i]) < 1e-6, `u8[${i}] = ${v}, expected ${expected[i]}`),
    );
    const u16 = Array.from(w.get('u16')!.data);
    [0.5, 1.5, 66.035].forEach((e, i) => assert.ok(Math.abs(u16[i] - e) < 1e-4, `u16[${i}] = ${u16[i]}`));
    assert.equal(w.get('i8')!.dtype, 'int32');
    assert.deepEqual(Array.from(w.get('i8')!.data), [-10, 0, 1]); // -10 + 14*0.7 = -0.2 -> 0; -10 + 10.5 = 0.5 -> 1
    // and tfjs decodes the same bytes the same way
    const ref = tf.io.decodeWeights(bytes.buffer, specs);
    for (const s of specs) {
      const r = Array.from(ref[s.name].dataSync());
      const ours = Array.from(w.get(s.name)!.data);
      ours.forEach((v, i) => assert.ok(Math.abs(v - r[i]) < 1e-6, `${s.name}[${i}]: ${v} vs tfjs ${r[i]}`));
    }
    tf.dispose(Object.values(ref));
  });

  test('mixed weights at unaligned offsets keep their order; a short buffer is a clear error', () => {
    const specs = [
      { name: 'h', shape: [3], dtype: 'float32', quantization: { dtype: 'float16' } },
      { name: 'f', shape: [2], dtype: 'float32' },
      { name: 'i', shape: [2], dtype: 'int32' },
      { name: 'b', shape: [3], dtype: 'bool' },
      { name: 'q', shape: [1], dtype: 'float32', quantization: { dtype: 'uint8', min: 0, scale: 0.5 } },
    ];
    const bytes = new Uint8Array(6 + 8 + 8 + 3 + 1);
    const dv = new DataView(bytes.buffer);
    [0x3c00, 0xc000, 0x3800].forEach((h, k) => dv.setUint16(k * 2, h, true));
    dv.setFloat32(6, 1.25, true);
    dv.setFloat32(10, -3.5, true);
    dv.setInt32(14, -7, true);
    dv.setInt32(18, 123456, true);
    bytes.set([1, 0, 1], 22);
    bytes[25] = 9;
    const w = decodeWeights(manifest(specs), bytes);
    assert.deepEqual(Array.from(w.get('h')!.data), [1, -2, 0.5]);
    assert.deepEqual(Array.from(w.get('f')!.data), [1.25, -3.5]);
    assert.deepEqual(Array.from(w.get('i')!.data), [-7, 123456]);
    assert.deepEqual(Array.from(w.get('b')!.data), [1, 0, 1]);
    assert.equal(w.get('b')!.dtype, 'bool');
    assert.deepEqual(Array.from(w.get('q')!.data), [4.5]);
    assert.throws(() => decodeWeights(manifest(specs), bytes.subarray(0, 20)), /26 bytes.*20/);
    assert.throws(() => decodeWeights(manifest(specs), new Uint8Array(30)), /26 bytes.*30/);
  });
});

test('a constant or an input can be a model output', async () => {
  const g = new TfGraph();
  g.input('x', 'float32', [2, 3]);
  g.f32('c', [2], [1.5, -2]);
  g.i32('k', [], [7]);
  const [x, c, k] = await agree(g.build(['x', 'c', 'k']), [floatFeed('x', [2, 3], 93)]);
  assert.equal(x.data.length, 6);
  assert.deepEqual(c.data, [1.5, -2]);
  assert.deepEqual(k.data, [7]);
});

test('convertTfjsGraph keeps the NHWC placeholder shape, fixing an unknown batch to 1', () => {
  const g = new TfGraph();
  g.input('x', 'float32', [-1, 8, -1, 3]);
  g.node('y', 'Relu', ['x'], { T: A.type('float32') });
  const { json, weights } = g.build(['y']);
  const c = convertTfjsGraph(json, weights);
  assert.deepEqual(c.inputs, [{ name: 'x', tfName: 'x:0', dtype: 'float32', shape: [1, 8, -1, 3] }]);
  assert.deepEqual(c.outputs, [{ name: 'y', tfName: 'y:0' }]);
  assert.deepEqual(convertTfjsGraph(json, weights, { batch: 2 }).inputs[0].shape, [2, 8, -1, 3]);
});
