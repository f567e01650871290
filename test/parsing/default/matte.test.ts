import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  boxMean,
  fastGuidedFilter,
  guidedFilter,
  sampleBilinear,
} from '../../../src/parsing/default/matte.js';

test('boxMean averages over the window clipped at the borders', () => {
  const src = Float32Array.from([1, 2, 3, 4, 5, 6]); // 3x2
  const m = boxMean(src, 3, 2, 1);
  // corner (0,0): mean of 1,2,4,5 = 3; centre (1,0): mean of all = 3.5
  assert.ok(Math.abs(m[0] - 3) < 1e-6);
  assert.ok(Math.abs(m[1] - 3.5) < 1e-6);
  assert.ok(Math.abs(m[5] - 4) < 1e-6);
});

test('the guided filter moves a blurred mask edge onto the guide image edge', () => {
  const w = 40;
  const h = 8;
  const I = new Float32Array(w * h);
  const p = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      I[y * w + x] = x < 20 ? 0.9 : 0.1; // the photo's edge at x = 20
      p[y * w + x] = Math.min(1, Math.max(0, (26 - x) / 12)); // soft mask centred at x = 20
    }
  }
  for (const out of [guidedFilter(I, p, w, h, 4, 1e-3), fastGuidedFilter(I, p, w, h, 4, 1e-3, 2)]) {
    const row = 4 * w;
    // the input falls by 0.08 per pixel everywhere; the output drops sharply at the photo's edge
    assert.ok(out[row + 19] - out[row + 20] > 0.3, `step ${out[row + 19]} -> ${out[row + 20]}`);
    assert.ok(out[row + 16] - out[row + 17] < 0.06 && out[row + 22] - out[row + 23] < 0.06);
    assert.ok(out[row + 19] > 0.6 && out[row + 20] < 0.4);
  }
});

test('sampleBilinear interpolates and is 0 outside', () => {
  const m = Float32Array.from([0, 1, 2, 3]); // 2x2
  assert.equal(sampleBilinear(m, 2, 2, 0.5, 0.5), 1.5);
  assert.equal(sampleBilinear(m, 2, 2, 1, 0), 1);
  assert.equal(sampleBilinear(m, 2, 2, -5, 0), 0);
});
