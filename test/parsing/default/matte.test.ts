import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  boxMean,
  fastGuidedFilter,
  guidedFilter,
  sampleBilinear,
  sampleGrid,
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

test('limbCoverage: the fraction of a limb line inside the mask, outside the photo ignored', async () => {
  const { limbCoverage } = await import('../../../src/parsing/default/matte.js');
  const size = 64;
  const crop = { x: 0, y: 0, side: 128 }; // 2 source px per mask px
  const photo = { width: 128, height: 128 };
  const seg = new Float32Array(size * size);
  // the mask covers the top half of the crop (source y < 64)
  for (let j = 0; j < size / 2; j++) for (let i = 0; i < size; i++) seg[j * size + i] = 1;
  const vertical = [
    {
      points: [
        { x: 60, y: 10 },
        { x: 60, y: 118 },
      ],
      radius: 10,
    },
  ];
  const c = limbCoverage(seg, size, crop, vertical, photo);
  assert.ok(c > 0.4 && c < 0.6, `half the limb covered: ${c}`);
  const inside = [
    {
      points: [
        { x: 20, y: 10 },
        { x: 100, y: 40 },
      ],
      radius: 10,
    },
  ];
  assert.equal(limbCoverage(seg, size, crop, inside, photo), 1);
  // the part of a limb beyond the photo's edge does not count against the mask
  const leaving = [
    {
      points: [
        { x: 60, y: 30 },
        { x: 60, y: 230 },
      ],
      radius: 10,
    },
  ];
  assert.equal(limbCoverage(seg, size, crop, leaving, { width: 128, height: 60 }), 1);
  assert.equal(limbCoverage(seg, size, crop, [], photo), 1);
});

test('mergeNearLimbs takes the second mask only near a limb, fading with distance', async () => {
  const { mergeNearLimbs } = await import('../../../src/parsing/default/matte.js');
  const size = 50;
  const crop = { x: 0, y: 0, side: 100 };
  const seg = new Float32Array(size * size); // the first mask misses everything
  const extra = new Float32Array(size * size).fill(0.9);
  const limb = {
    points: [
      { x: 50, y: 0 },
      { x: 50, y: 100 },
    ],
    radius: 10,
  };
  const out = mergeNearLimbs(seg, extra, size, crop, [limb], 1, 1.5);
  const at = (x: number, y: number): number => out[Math.floor(y / 2) * size + Math.floor(x / 2)];
  assert.ok(Math.abs(at(51, 50) - 0.9) < 1e-6, 'on the limb: the second mask');
  assert.ok(at(63, 50) > 0 && at(63, 50) < 0.9, 'between 1 and 1.5 radii: faded');
  assert.equal(at(80, 50), 0, 'far from the limb: the first mask');
  // never lowers the first mask
  const full = new Float32Array(size * size).fill(1);
  assert.ok(mergeNearLimbs(full, extra, size, crop, [limb]).every((v) => v === 1));
  assert.equal(seg[0], 0, 'inputs untouched');
});

test('sampleGrid is sampleBilinear at every grid point, inside, across and outside the map', () => {
  const w = 7;
  const h = 5;
  const map = Float32Array.from({ length: w * h }, (_, i) => Math.sin(i * 1.7) + 1);
  const us = [-2.5, -1, -0.4, 0, 0.3, 2.75, 5.9, 6, 6.5, 8];
  const vs = [-3, -0.6, 0, 1.25, 3.999, 4, 4.5, 7];
  const grid = sampleGrid(map, w, h, us, vs);
  vs.forEach((v, y) =>
    us.forEach((u, x) => assert.equal(grid[y * us.length + x], Math.fround(sampleBilinear(map, w, h, u, v)))),
  );
});
