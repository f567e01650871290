import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findPeaks, parabolaOffset } from '../../../src/pose/paf/peaks.js';

function gaussians(
  w: number,
  h: number,
  centres: Array<[number, number, number]>,
  sigma = 1.5,
): Float32Array {
  const m = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (const [cx, cy, a] of centres) {
        m[y * w + x] = Math.max(
          m[y * w + x],
          a * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigma * sigma)),
        );
      }
    }
  }
  return m;
}

test('parabola offset', () => {
  assert.equal(Math.abs(parabolaOffset(1, 2, 1)), 0);
  assert.ok(parabolaOffset(1, 2, 1.5) > 0);
  assert.ok(parabolaOffset(1.5, 2, 1) < 0);
  assert.equal(Math.abs(parabolaOffset(1, 1, 1)), 0);
  // exact for a parabola: vertex of -(x - 0.3)^2 sampled at -1, 0, 1
  assert.ok(Math.abs(parabolaOffset(-(1.3 ** 2), -(0.3 ** 2), -(0.7 ** 2)) - 0.3) < 1e-9);
});

test('finds separate peaks at sub-pixel positions, best first', () => {
  const truth: Array<[number, number, number]> = [
    [10.3, 7.6, 0.6],
    [25.8, 12.2, 0.9],
    [4.5, 20.45, 0.3],
  ];
  const peaks = findPeaks(gaussians(32, 24, truth), 32, 24, { threshold: 0.1 });
  assert.equal(peaks.length, 3);
  assert.ok(peaks[0].score > peaks[1].score && peaks[1].score > peaks[2].score, 'best first');
  for (const [x, y] of truth) {
    const p = peaks.find((q) => Math.hypot(q.x - x, q.y - y) < 0.2);
    assert.ok(p, `no peak within 0.2 px of (${x}, ${y}): ${JSON.stringify(peaks)}`);
  }
});

test('threshold, maxPeaks, plateaus and score maps', () => {
  const m = gaussians(20, 10, [
    [4, 4, 0.5],
    [15, 5, 0.04],
  ]);
  assert.equal(findPeaks(m, 20, 10, { threshold: 0.05 }).length, 1);
  assert.equal(findPeaks(m, 20, 10, { threshold: 0.01 }).length, 2);
  assert.equal(findPeaks(m, 20, 10, { threshold: 0.01, maxPeaks: 1 })[0].score, m[4 * 20 + 4]);
  const plateau = new Float32Array(20 * 10);
  plateau[3 * 20 + 3] = plateau[3 * 20 + 4] = plateau[4 * 20 + 3] = plateau[4 * 20 + 4] = 1;
  assert.equal(findPeaks(plateau, 20, 10, { threshold: 0.5 }).length, 1);
  const scores = new Float32Array(200).fill(0.25);
  assert.equal(findPeaks(m, 20, 10, { threshold: 0.05, scoreMap: scores })[0].score, 0.25);
});
