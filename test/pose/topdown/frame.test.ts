import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dropOutOfFrameGuesses, keepInFrame } from '../../../src/pose/topdown/frame.js';
import type { Keypoint } from '../../../src/types.js';

test('keepInFrame: inside kept, outside missing, within the margin moved onto the edge', () => {
  assert.deepEqual(keepInFrame({ x: 10, y: 20, score: 0.4 }, 100, 200), { x: 10, y: 20, score: 0.4 });
  assert.deepEqual(keepInFrame({ x: 10, y: -5, score: 0.4 }, 100, 200), { x: 0, y: 0, score: 0 });
  assert.deepEqual(keepInFrame({ x: 10, y: -5, score: 0.4 }, 100, 200, 6), { x: 10, y: 0, score: 0.4 });
  assert.deepEqual(keepInFrame({ x: 104, y: 50, score: 0.4 }, 100, 200, 6), { x: 99, y: 50, score: 0.4 });
  assert.deepEqual(keepInFrame({ x: 10, y: -7, score: 0.4 }, 100, 200, 6), { x: 0, y: 0, score: 0 });
  assert.deepEqual(keepInFrame({ x: 10, y: 20, score: 0 }, 100, 200), { x: 0, y: 0, score: 0 });
  assert.deepEqual(keepInFrame({ x: NaN, y: 20, score: 0.5 }, 100, 200), { x: 0, y: 0, score: 0 });
});

/** A standing person in a 1000 x 1000 photo, every point score 0.9. */
function standing(): Keypoint[] {
  const k = (x: number, y: number): Keypoint => ({ x, y, score: 0.9 });
  return [
    k(500, 100),
    k(510, 90),
    k(490, 90),
    k(520, 95),
    k(480, 95),
    k(550, 200),
    k(450, 200),
    k(560, 300),
    k(440, 300),
    k(565, 400),
    k(435, 400),
    k(530, 450),
    k(470, 450),
    k(530, 650),
    k(470, 650),
    k(530, 850),
    k(470, 850),
  ];
}

test('dropOutOfFrameGuesses keeps a fully visible person untouched, low scores included', () => {
  const kps = standing();
  kps[9].score = 0.05; // a weak wrist inside the photo keeps its own confidence
  const before = kps.map((p) => ({ ...p }));
  dropOutOfFrameGuesses(kps, 1000, 1000);
  assert.deepEqual(kps, before);
});

test('a leg leaving the bottom edge: weak guesses beyond it are removed, confident ones kept', () => {
  const kps = standing();
  // Frame ends at the thigh: knees guessed on the bottom edge, ankles folded back inside.
  kps[13] = { x: 530, y: 995, score: 0.08 };
  kps[14] = { x: 470, y: 990, score: 0.7 };
  kps[15] = { x: 520, y: 700, score: 0.03 };
  kps[16] = { x: 480, y: 700, score: 0.12 };
  dropOutOfFrameGuesses(kps, 1000, 1000);
  assert.equal(kps[13].score, 0, 'weak knee on the edge');
  assert.equal(kps[14].score, 0.7, 'confident knee on the edge stays');
  assert.equal(kps[15].score, 0, 'ankle beyond a missing knee');
  assert.equal(kps[16].score, 0, 'weak ankle beyond a knee on the edge');
  // A confident ankle beyond an edge knee is a real sighting and stays.
  const k2 = standing();
  k2[14] = { x: 470, y: 995, score: 0.7 };
  k2[16] = { x: 480, y: 900, score: 0.6 };
  dropOutOfFrameGuesses(k2, 1000, 1000);
  assert.equal(k2[16].score, 0.6);
});

test('an arm beyond a missing elbow loses its weak wrist', () => {
  const kps = standing();
  kps[7] = { x: 0, y: 0, score: 0 };
  kps[9] = { x: 565, y: 400, score: 0.2 };
  dropOutOfFrameGuesses(kps, 1000, 1000);
  assert.equal(kps[9].score, 0);
  assert.equal(kps[10].score, 0.9, 'the other arm is untouched');
});
