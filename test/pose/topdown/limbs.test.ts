import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discountImplausibleLimbs } from '../../../src/pose/topdown/limbs.js';
import type { Keypoint } from '../../../src/types.js';

/** A standing figure (COCO-17), torso 100 px, upper arms 60 px, forearms 55, thighs 80, shins 75. */
function figure(): Keypoint[] {
  const k: Keypoint[] = Array.from({ length: 17 }, () => ({ x: 0, y: 0, score: 0.9 }));
  const set = (i: number, x: number, y: number) => (k[i] = { x, y, score: 0.9 });
  set(0, 200, 60);
  set(5, 230, 100); // left shoulder (image right: a front view)
  set(6, 170, 100);
  set(7, 235, 160);
  set(8, 165, 160);
  set(9, 238, 215);
  set(10, 162, 215);
  set(11, 220, 200);
  set(12, 180, 200);
  set(13, 222, 280);
  set(14, 178, 280);
  set(15, 224, 355);
  set(16, 176, 355);
  return k;
}

test('a plausible figure keeps every confidence', () => {
  const k = figure();
  assert.deepEqual(discountImplausibleLimbs(k), k);
});

test("an elbow on the neighbour's body (a far too long upper arm) loses most of its confidence", () => {
  const k = figure();
  k[8] = { x: 40, y: 260, score: 0.6 }; // right upper arm now ~190 px: 3x the left one, 1.9x the torso
  const out = discountImplausibleLimbs(k);
  assert.ok(out[8].score < 0.2, `elbow score ${out[8].score}`);
  assert.equal(out[8].x, 40, 'the position is kept');
  assert.equal(out[7].score, 0.9, 'the other elbow is untouched');
  assert.equal(k[8].score, 0.6, 'the input is not changed');
});

test('a long segment is kept when the mirror side is not confident, or the torso is short for it', () => {
  const k = figure();
  k[8] = { x: 40, y: 260, score: 0.6 };
  k[7].score = 0.2; // no confident mirror: no evidence against the long arm
  assert.equal(discountImplausibleLimbs(k)[8].score, 0.6);
  // a foreshortened mirror (arm pointing at the camera) but an upper arm shorter than the torso: kept
  const f = figure();
  f[7] = { x: 236, y: 125, score: 0.9 }; // left upper arm 25 px
  f[8] = { x: 150, y: 185, score: 0.8 }; // right upper arm ~87 px < 1.1 x torso
  assert.equal(discountImplausibleLimbs(f)[8].score, 0.8);
});

test('without a confident torso nothing is judged', () => {
  const k = figure();
  k[8] = { x: 40, y: 260, score: 0.6 };
  k[11].score = 0.1;
  assert.equal(discountImplausibleLimbs(k)[8].score, 0.6);
});
