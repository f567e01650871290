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
