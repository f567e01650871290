import { test } from 'node:test';
import assert from 'node:assert/strict';
import { geodesicDistance } from '../../../src/parsing/default/geodesic.js';

/** A w x h grid of one-channel features (other channels 0). */
function grid(w: number, h: number, value: (x: number, y: number) => number): Float32Array {
  const f = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) f[(y * w + x) * 3] = value(x, y);
  return f;
}

test('geodesic distance: free along a flat region, one edge costs its height, a gradual ramp costs the same', () => {
  const w = 20;
  const h = 5;
  // left half 0, right half 10: one edge between x = 9 and 10
  const step = grid(w, h, (x) => (x < 10 ? 0 : 10));
  const d = geodesicDistance(step, w, h, [2 * w + 0], undefined, { stepCost: 0 });
  assert.equal(d[2 * w + 9], 0);
  assert.ok(Math.abs(d[2 * w + 19] - 10) < 1e-4);
  // the same rise spread over 10 cells costs the same: an edge's softness does not hide it
  const ramp = grid(w, h, (x) => Math.min(10, x));
  const r = geodesicDistance(ramp, w, h, [2 * w + 0], undefined, { stepCost: 0 });
  assert.ok(Math.abs(r[2 * w + 19] - 10) < 1e-4);
  // steps below the noise floor are free
  const noisy = grid(w, h, (x) => (x % 2) * 2);
  const n = geodesicDistance(noisy, w, h, [0], undefined, { stepCost: 0, noise: 3 });
  assert.equal(n[h * w - 1], 0);
});

test('geodesic distance stays inside the mask and goes around a wall', () => {
  const w = 10;
  const h = 10;
  const flat = grid(w, h, () => 0);
  const mask = new Float32Array(w * h).fill(1);
  for (let y = 0; y < 8; y++) mask[y * w + 5] = 0; // a wall with a gap at the bottom
  const d = geodesicDistance(flat, w, h, [0], mask, { stepCost: 1 });
  assert.equal(d[5], Infinity, 'inside the wall');
  // from (0,0) to (9,0) around the wall's end at y = 8 is longer than the straight 9 steps
  assert.ok(d[9] > 9 + 1);
  const noWall = geodesicDistance(flat, w, h, [0], undefined, { stepCost: 1 });
  assert.ok(Math.abs(noWall[9] - 9) < 1e-4);
});
