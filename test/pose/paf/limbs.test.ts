import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleBilinear, scoreLimbCandidates, scoreSegment } from '../../../src/pose/paf/limbs.js';

const W = 40;
const H = 40;
const opts = { samples: 10, pafThreshold: 0.05, minAboveFraction: 0.8, priorHeight: 1000 };

/** A field of unit vectors (ux, uy) on row y = 20 from x0 to x1 (inclusive), 3 px thick. */
function field(ux: number, uy: number, x0: number, x1: number): [Float32Array, Float32Array] {
  const fx = new Float32Array(W * H);
  const fy = new Float32Array(W * H);
  for (let y = 19; y <= 21; y++) {
    for (let x = x0; x <= x1; x++) {
      fx[y * W + x] = ux;
      fy[y * W + x] = uy;
    }
  }
  return [fx, fy];
}

const a = { x: 5, y: 20, score: 1 };
const b = { x: 34, y: 20, score: 1 };

test('bilinear sampling', () => {
  const m = Float32Array.from([0, 1, 2, 3]);
  assert.equal(sampleBilinear(m, 2, 2, 0.5, 0.5), 1.5);
  assert.equal(sampleBilinear(m, 2, 2, -3, 9), 2);
});

test('an aligned field scores about 1; reversed or perpendicular fields are rejected', () => {
  const [fx, fy] = field(1, 0, 0, 39);
  assert.ok(Math.abs(scoreSegment(a, b, fx, fy, W, H, opts)! - 1) < 1e-6);
  assert.equal(scoreSegment(b, a, fx, fy, W, H, opts), undefined);
  const [px, py] = field(0, 1, 0, 39);
  assert.equal(scoreSegment(a, b, px, py, W, H, opts), undefined);
  assert.equal(scoreSegment(a, a, fx, fy, W, H, opts), undefined);
});

test('more than 80% of the samples must agree', () => {
  // samples at x = 5 + 29 t, t = i/9 (..., 27.6, 30.8, 34): a field on x <= 29 holds 8 of 10; x <= 32 holds 9.
  const [fx8, fy8] = field(1, 0, 0, 29);
  assert.equal(scoreSegment(a, b, fx8, fy8, W, H, opts), undefined);
  const [fx9, fy9] = field(1, 0, 0, 32);
  const s = scoreSegment(a, b, fx9, fy9, W, H, opts);
  assert.ok(s !== undefined && s > 0.8 && s < 1);
  assert.ok(scoreSegment(a, b, fx8, fy8, W, H, { ...opts, minAboveFraction: 0.7 }) !== undefined);
});

test('distance prior penalises limbs longer than half the prior height', () => {
  const [fx, fy] = field(0.5, 0, 0, 39); // a weak field: mean alignment 0.5
  // |ab| = 29: no penalty at priorHeight 58; 0.5 + (0.5 * 40 / 29 - 1) at 40; below 0 (rejected) at 20
  assert.ok(Math.abs(scoreSegment(a, b, fx, fy, W, H, { ...opts, priorHeight: 58 })! - 0.5) < 1e-6);
  assert.ok(
    Math.abs(scoreSegment(a, b, fx, fy, W, H, { ...opts, priorHeight: 40 })! - (0.5 + 20 / 29 - 1)) < 1e-6,
  );
  assert.equal(scoreSegment(a, b, fx, fy, W, H, { ...opts, priorHeight: 20 }), undefined);
});

test('candidates of all pairs', () => {
  const [fx, fy] = field(1, 0, 0, 39);
  const c = scoreLimbCandidates([a, { x: 5, y: 5, score: 1 }], [b], fx, fy, W, H, opts);
  assert.deepEqual(
    c.map((k) => [k.a, k.b]),
    [[0, 0]],
  );
});
