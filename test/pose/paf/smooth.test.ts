import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianBlur, gaussianKernel } from '../../../src/pose/paf/smooth.js';

test('kernel is normalised and symmetric', () => {
  const k = gaussianKernel(2);
  assert.equal(k.length, 13);
  assert.ok(Math.abs(k.reduce((a, b) => a + b, 0) - 1) < 1e-6);
  assert.equal(k[0], k[12]);
  assert.ok(k[6] > k[5]);
});

test('blur spreads an impulse, keeps its mass and its centre', () => {
  const w = 21;
  const map = new Float32Array(w * w);
  map[10 * w + 10] = 1;
  const out = gaussianBlur(map, w, w, 2);
  const sum = out.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-4);
  let best = 0;
  out.forEach((v, i) => (v > out[best] ? (best = i) : 0));
  assert.equal(best, 10 * w + 10);
  assert.ok(out[10 * w + 10] < 0.1, 'the peak is lowered');
  assert.ok(Math.abs(out[10 * w + 12] - out[12 * w + 10]) < 1e-7, 'isotropic');
  assert.deepEqual([...gaussianBlur(map, w, w, 0)], [...map]);
});
