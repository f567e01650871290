import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attr, buildOnnxModel, saveOnnxModel, tensor } from './onnx-builder.js';
import { loadOnnxModel } from '../../src/runtime/onnx.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, eps = 1e-5): void => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++)
    assert.ok(Math.abs(a[i] - b[i]) <= eps, `index ${i}: ${a[i]} vs ${b[i]}`);
};

test('Mul + Add with symbolic dimensions run in onnxruntime-node', async () => {
  const path = await saveOnnxModel({
    inputs: [{ name: 'x', shape: ['N', 2, 'H', 'W'] }],
    outputs: [{ name: 'y', shape: ['N', 2, 'H', 'W'] }],
    initializers: [tensor('two', [1], [2]), tensor('bias', [1, 2, 1, 1], [1, -1])],
    nodes: [
      { opType: 'Mul', inputs: ['x', 'two'], outputs: ['x2'] },
      { opType: 'Add', inputs: ['x2', 'bias'], outputs: ['y'] },
    ],
  });
  const model = await loadOnnxModel(path);
  assert.deepEqual(model.inputs[0], { name: 'x', shape: [-1, 2, -1, -1], type: 'float32' });
  assert.equal(model.outputs[0].name, 'y');
  const x = Float32Array.from([1, 2, 3, 4, 5, 6]); // N=1, C=2, H=1, W=3
  const out = await model.run({ x: { data: x, dims: [1, 2, 1, 3] } });
  assert.deepEqual(out.y.dims, [1, 2, 1, 3]);
  close(out.y.data, [3, 5, 7, 7, 9, 11]);
});

test('Transpose, Slice (int64 initializers, negative ends) and Concat', async () => {
  const path = await saveOnnxModel({
    inputs: [{ name: 'x', shape: [1, 3, 2, 2] }],
    outputs: [{ name: 'y' }],
    initializers: [
      tensor('starts', [1], [0], 'int64'),
      tensor('ends', [1], [-1], 'int64'), // all channels but the last
      tensor('axes', [1], [3], 'int64'),
    ],
    nodes: [
      { opType: 'Transpose', inputs: ['x'], outputs: ['nhwc'], attributes: { perm: [0, 2, 3, 1] } },
      { opType: 'Slice', inputs: ['nhwc', 'starts', 'ends', 'axes'], outputs: ['first2'] },
      { opType: 'Concat', inputs: ['first2', 'nhwc'], outputs: ['y'], attributes: { axis: 3 } },
    ],
  });
  const model = await loadOnnxModel(path);
  // channel c at pixel p holds 10*c + p
  const x = Float32Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 4) + (i % 4));
  const out = await model.run({ x: { data: x, dims: [1, 3, 2, 2] } });
  assert.deepEqual(out.y.dims, [1, 2, 2, 5]);
  const expected: number[] = [];
  for (let p = 0; p < 4; p++) expected.push(p, 10 + p, p, 10 + p, 20 + p);
  close(out.y.data, expected);
});

test('Resize (nearest, omitted roi input, string attributes)', async () => {
  const path = await saveOnnxModel({
    inputs: [{ name: 'x', shape: [1, 1, 2, 2] }],
    outputs: [{ name: 'y' }],
    initializers: [tensor('scales', [4], [1, 1, 2, 2])],
    nodes: [
      {
        opType: 'Resize',
        inputs: ['x', '', 'scales'],
        outputs: ['y'],
        attributes: { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' },
      },
    ],
  });
  const model = await loadOnnxModel(path);
  const out = await model.run({ x: { data: Float32Array.from([1, 2, 3, 4]), dims: [1, 1, 2, 2] } });
  assert.deepEqual(out.y.dims, [1, 1, 4, 4]);
  close(out.y.data, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
});

test('Conv with a Constant (tensor attribute) weight and float/ints attributes', async () => {
  // 3x3 box filter with padding 1, then LeakyRelu(alpha=0.5): whole-number float attribute via attr.float.
  const bytes = buildOnnxModel({
    inputs: [{ name: 'x', shape: [1, 1, 3, 3] }],
    outputs: [{ name: 'y', shape: [1, 1, 3, 3] }],
    nodes: [
      {
        opType: 'Constant',
        inputs: [],
        outputs: ['w'],
        attributes: { value: tensor('w', [1, 1, 3, 3], new Array(9).fill(1)) },
      },
      {
        opType: 'Constant',
        inputs: [],
        outputs: ['b'],
        attributes: { value: attr.tensor(tensor('b', [1], [-5])) },
      },
      {
        opType: 'Conv',
        inputs: ['x', 'w', 'b'],
        outputs: ['c'],
        attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: attr.ints([1, 1]) },
      },
      { opType: 'LeakyRelu', inputs: ['c'], outputs: ['y'], attributes: { alpha: attr.float(0.5) } },
    ],
  });
  const model = await loadOnnxModel(await saveOnnxModel(bytes, 'conv.onnx'));
  const x = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const out = await model.run({ x: { data: x, dims: [1, 1, 3, 3] } });
  // box sums: [2,2,1; 2,3,2; 1,2,2]; minus 5; negatives halved
  const sums = [2, 2, 1, 2, 3, 2, 1, 2, 2].map((s) => s - 5).map((v) => (v < 0 ? v * 0.5 : v));
  close(out.y.data, sums);
});

test('empty list attributes need an explicit type', () => {
  assert.throws(
    () =>
      buildOnnxModel({
        inputs: [{ name: 'x', shape: [1] }],
        outputs: [{ name: 'y' }],
        nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'], attributes: { bad: [] } }],
      }),
    /empty list/,
  );
});
