import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BLAZEPOSE_INPUT,
  decodeBlazePose,
  mergeFeet,
  type BlazePoseLandmark,
} from '../../../src/pose/topdown/blazepose-decode.js';
import type { Keypoint } from '../../../src/types.js';

test('decodeBlazePose maps input pixels through the crop and scores by sigmoid(vis) x sigmoid(presence) x flag', () => {
  const ld = new Float32Array(39 * 5);
  ld.set([BLAZEPOSE_INPUT / 2, BLAZEPOSE_INPUT, 0, 0, 100], 0); // nose: centre-bottom, vis 0.5, presence 1
  ld.set([0, 0, 0, -100, 100], 5 * 32);
  const lm = decodeBlazePose(ld, 0.8, { cx: 100, cy: 100, size: 50 });
  assert.equal(lm.length, 33);
  assert.equal(lm[0].x, 100);
  assert.equal(lm[0].y, 125);
  assert.ok(Math.abs(lm[0].score - 0.4) < 1e-9);
  assert.ok(Math.abs(lm[0].visibility - 0.5) < 1e-9);
  assert.deepEqual([lm[32].x, lm[32].y], [75, 75]);
  assert.ok(lm[32].score < 1e-6);
  assert.throws(() => decodeBlazePose(new Float32Array(20), 1, { cx: 0, cy: 0, size: 1 }));
});

const P = (x: number, y: number, score = 0.9): Keypoint => ({ x, y, score });
const L = (x: number, y: number, score = 0.9, presence = 1): BlazePoseLandmark => ({
  x,
  y,
  score: score * presence,
  visibility: score,
  presence,
});

/** BODY_25 with knees at y=600 and ankles at y=800 (left at x=520, right at x=480). */
function body(): Keypoint[] {
  const b = Array.from({ length: 25 }, () => P(0, 0, 0));
  b[13] = P(520, 600);
  b[14] = P(520, 800);
  b[10] = P(480, 600);
  b[11] = P(480, 800);
  return b;
}
/** BlazePose-33 with ankles `dy` off ours, heels 10 px behind and toes 40 px ahead (+x) of the ankles. */
function blaze(dy = 5, swap = false): BlazePoseLandmark[] {
  const lm = Array.from({ length: 33 }, () => L(0, 0, 0.9));
  const [lx, rx] = swap ? [480, 520] : [520, 480];
  lm[27] = L(lx, 800 + dy);
  lm[28] = L(rx, 800 + dy);
  lm[30] = L(rx - 10, 810 + dy);
  lm[29] = L(lx - 10, 810 + dy, 0.2); // a hidden left heel (front view): low visibility, still present
  lm[31] = L(lx + 40, 820 + dy);
  lm[32] = L(rx + 40, 820 + dy, 0.9, 0.3); // a right toe BlazePose is unsure is in the crop at all
  return lm;
}

test('mergeFeet hangs present heels and big toes from our ankles; small toes stay missing', () => {
  const b = body();
  const n = mergeFeet(b, blaze(5));
  assert.equal(n, 3);
  assert.deepEqual(b[21], P(510, 810, 0.2)); // left heel, shifted by our ankle - theirs (0, -5), own score
  assert.deepEqual(b[19], P(560, 820)); // left big toe
  assert.deepEqual(b[24], P(470, 810)); // right heel
  assert.equal(b[22].score, 0, 'unsure right toe not used');
  assert.equal(b[20].score, 0);
  assert.equal(b[23].score, 0);
});

test('mergeFeet ignores BlazePose feet whose ankle is far from ours, or whose legs have crossed sides', () => {
  const far = body();
  assert.equal(mergeFeet(far, blaze(150)), 0);
  assert.equal(far[21].score, 0);
  // BlazePose's left ankle on our right one: it took the person for a back view.
  const crossed = body();
  assert.equal(mergeFeet(crossed, blaze(0, true)), 0);
  assert.equal(crossed[21].score, 0);
  assert.equal(crossed[24].score, 0);
});

test('mergeFeet needs our ankle: a leg cut by the frame gets no foot', () => {
  const b = body();
  b[14] = P(0, 0, 0);
  mergeFeet(b, blaze(0));
  assert.equal(b[21].score, 0);
  assert.equal(b[19].score, 0);
  assert.ok(b[24].score > 0);
});
