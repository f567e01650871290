import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  averageMaps,
  mapChannel,
  planarFromChannelsLast,
  planarMaps,
  resizeMaps,
  selectChannels,
} from '../../../src/pose/paf/maps.js';

test('channels-last to planar', () => {
  // 2x1 image, 3 channels: pixel p channel c = 10p + c
  const hwc = Float32Array.from([0, 1, 2, 10, 11, 12]);
  const m = planarFromChannelsLast(hwc, 2, 1, 3);
  assert.deepEqual([...m.data], [0, 10, 1, 11, 2, 12]);
  assert.deepEqual([...mapChannel(m, 2)], [2, 12]);
  assert.throws(() => planarFromChannelsLast(hwc, 2, 2, 3), /values/);
  assert.throws(() => planarMaps(hwc, 4, 1, 3), /values/);
});

test('bilinear resize keeps pixel centres aligned (a linear ramp stays the same ramp)', () => {
  // value = image x coordinate of the pixel centre in a 64-px-wide image
  const w = 8;
  const src = Float32Array.from({ length: w * 2 }, (_, i) => ((i % w) + 0.5) * (64 / w) - 0.5);
  const up = resizeMaps(planarMaps(src, w, 1 * 2, 1), 16, 4);
  for (let x = 2; x < 14; x++) {
    const expected = (x + 0.5) * (64 / 16) - 0.5;
    assert.ok(Math.abs(up.data[x] - expected) < 1e-4, `x=${x}: ${up.data[x]} vs ${expected}`);
  }
  // constant stays constant, channels stay separate
  const two = planarMaps(Float32Array.from([...new Array(4).fill(1), ...new Array(4).fill(3)]), 2, 2, 2);
  const r = resizeMaps(two, 5, 3);
  assert.ok([...mapChannel(r, 0)].every((v) => Math.abs(v - 1) < 1e-6));
  assert.ok([...mapChannel(r, 1)].every((v) => Math.abs(v - 3) < 1e-6));
  assert.equal(resizeMaps(two, 2, 2), two);
});

test('averageMaps', () => {
  const a = planarMaps(Float32Array.from([1, 2]), 2, 1, 1);
  const b = planarMaps(Float32Array.from([3, 6]), 2, 1, 1);
  assert.deepEqual([...averageMaps([a, b]).data], [2, 4]);
  assert.throws(() => averageMaps([a, planarMaps(Float32Array.from([1, 2]), 1, 2, 1)]), /differ/);
});

test('resizeMaps from a sub-extent (letterboxed content) and selectChannels', () => {
  // 4 px wide source whose left 2 px hold the content: the ramp 0,1 must stretch over the output.
  const src = planarMaps(Float32Array.from([0, 1, 9, 9]), 4, 1, 1);
  const r = resizeMaps(src, 4, 1, { width: 2, height: 1 });
  assert.ok(r.data[0] === 0 && r.data[3] === 1, `${[...r.data]}`);
  assert.ok(
    [...r.data].every((v) => v <= 1),
    'padding never leaks in',
  );
  const two = planarMaps(Float32Array.from([1, 2, 3, 4]), 2, 1, 2);
  assert.deepEqual([...selectChannels(two, [1]).data], [3, 4]);
});

/** A heatmap blob as tf-pose trains it: a Gaussian of sigma 8 input px, box-averaged over 8x8 px cells. */
function strideEightBlob(cells: number, cx: number, cy: number): Float32Array {
  const m = new Float32Array(cells * cells);
  for (let y = 0; y < cells * 8; y++)
    for (let x = 0; x < cells * 8; x++)
      m[Math.floor(y / 8) * cells + Math.floor(x / 8)] +=
        Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 128) / 64;
  return m;
}

test('cubic resize: constants stay, channels stay separate, pixel centres aligned', () => {
  const two = planarMaps(Float32Array.from([...new Array(9).fill(1), ...new Array(9).fill(3)]), 3, 3, 2);
  const r = resizeMaps(two, 7, 5, undefined, 'cubic');
  assert.ok([...mapChannel(r, 0)].every((v) => Math.abs(v - 1) < 1e-6));
  assert.ok([...mapChannel(r, 1)].every((v) => Math.abs(v - 3) < 1e-6));
  // A symmetric bump centred on source pixel 4 stays centred on the matching output position.
  const src = Float32Array.from({ length: 9 }, (_, x) => Math.exp(-((x - 4) ** 2) / 2));
  const up = resizeMaps(planarMaps(src, 9, 1, 1), 36, 1, undefined, 'cubic');
  // source x = 4 is output x = (4 + 0.5) * 4 - 0.5 = 17.5: outputs 17 and 18 are equal, and the largest
  assert.ok(Math.abs(up.data[17] - up.data[18]) < 1e-6);
  assert.ok([...up.data].every((v, x) => x === 17 || x === 18 || v < up.data[17]));
});

test('cubic upsampling keeps the height of peaks between map pixels; bilinear flattens them', () => {
  // The score the network gives a peak centred on a map pixel: what a peak's score should be anywhere.
  const centred = strideEightBlob(12, 43.5, 43.5)[5 * 12 + 5];
  const peak = (m: Float32Array): number => m.reduce((a, b) => Math.max(a, b), 0);
  // Peaks at every sub-pixel phase, upsampled 2x as the estimator does (stride 8 -> 4 px grid).
  for (let phase = 0; phase < 8; phase++) {
    const cx = 44 + phase; // input px; map pixel centres are at 8i + 3.5
    const blob = planarMaps(strideEightBlob(12, cx, cx), 12, 12, 1);
    const cubic = resizeMaps(blob, 24, 24, undefined, 'cubic');
    const bilinear = resizeMaps(blob, 24, 24, undefined, 'bilinear');
    assert.ok(peak(cubic.data) > 0.95 * centred, `phase ${phase}: cubic ${peak(cubic.data)} vs ${centred}`);
    assert.ok(peak(bilinear.data) < 0.87 * centred, `phase ${phase}: bilinear ${peak(bilinear.data)}`);
    // and the cubic maximum is the grid pixel nearest the true centre
    let best = 0;
    cubic.data.forEach((v, i) => (v > cubic.data[best] ? (best = i) : 0));
    const gx = best % 24;
    assert.ok(Math.abs((gx + 0.5) * 4 - 0.5 - cx) <= 2, `phase ${phase}: peak at grid x ${gx}`);
  }
});

test('cubic resize from a sub-extent never reads the padding', () => {
  const src = planarMaps(Float32Array.from([0, 1, 0.5, 9, 9, 9]), 6, 1, 1);
  const r = resizeMaps(src, 9, 1, { width: 3, height: 1 }, 'cubic');
  assert.ok(
    [...r.data].every((v) => v <= 1.2),
    `${[...r.data]}`,
  );
  assert.equal(r.data[0], 0);
  assert.equal(r.data[8], 0.5);
});
