import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  derivedBody25Points,
  matchPeople,
  pckImage,
  summarizePck,
  type PckReference,
} from '../../src/eval/pck.js';
import type { Keypoint, Person } from '../../src/types.js';

const H = 1000;

/** A BODY_25 person with every point at (cx + 10 i, cy + 20 i), score `score`. */
function kps(cx: number, cy: number, score = 0.9): Keypoint[] {
  return Array.from({ length: 25 }, (_, i) => ({ x: cx + 10 * i, y: cy + 20 * i, score }));
}
const person = (k: Keypoint[]): Person => ({
  keypoints: k,
  score: 1,
  box: { x: 0, y: 0, width: 1, height: 1 },
});
const moved = (k: Keypoint[], dx: number): Keypoint[] => k.map((p) => ({ ...p, x: p.x + dx }));

test('identical prediction: PCK 1 at every alpha, per type', () => {
  const ref = kps(100, 100);
  const s = summarizePck(pckImage([person(ref)], [{ keypoints: ref }], H));
  assert.equal(s.points, 25);
  for (const a of ['0.05', '0.1', '0.2']) assert.equal(s.PCK[a], 1);
  assert.equal(s.perKeypoint.length, 25);
  assert.equal(s.PCKh, null);
});

test('a 30 px shift is within 0.05 x 1000 but not within 0.02 x 1000', () => {
  const ref = kps(100, 100);
  const s = summarizePck(
    pckImage([person(moved(ref, 30))], [{ keypoints: ref }], H, { alphas: [0.02, 0.05] }),
  );
  assert.equal(s.PCK['0.02'], 0);
  assert.equal(s.PCK['0.05'], 1);
});

test('reference points at or below the confidence threshold and skipped types are not counted; a missing prediction is a miss', () => {
  const ref = kps(100, 100);
  ref[3].score = 0.3; // not counted (needs > 0.3)
  ref[4].score = 0.31; // counted
  const pred = kps(100, 100);
  pred[4] = { x: 0, y: 0, score: 0 }; // missing -> wrong
  const s = summarizePck(
    pckImage([person(pred)], [{ keypoints: ref }], H, { skip: derivedBody25Points('coco18') }),
  );
  assert.equal(s.points, 23); // 25 - point 3 - MidHip (8)
  assert.equal(s.PCK['0.1'], 22 / 23);
  const rwrist = s.perKeypoint.find((k) => k.name === 'RWrist');
  assert.equal(rwrist?.pck['0.1'], 0);
  assert.equal(
    s.perKeypoint.find((k) => k.name === 'MidHip'),
    undefined,
  );
});

test('people are matched by mean distance whatever their order; an unmatched reference person counts all misses', () => {
  const a = kps(100, 100);
  const b = kps(600, 100);
  const pairs = matchPeople(
    [person(moved(b, 5)), person(moved(a, 5))],
    [{ keypoints: a }, { keypoints: b }],
    H,
    () => true,
  );
  assert.deepEqual(
    new Map(pairs),
    new Map([
      [0, 1],
      [1, 0],
    ]),
  );
  // Only person a predicted: b's 25 points are misses.
  const s = summarizePck(pckImage([person(a)], [{ keypoints: a }, { keypoints: b }], H));
  assert.equal(s.PCK['0.1'], 0.5);
  assert.equal(s.matchedPeople, 1);
  assert.equal(s.refPeople, 2);
  // An extra predicted person far away changes nothing.
  const extra = summarizePck(pckImage([person(a), person(kps(5000, 5000))], [{ keypoints: a }], H));
  assert.equal(extra.PCK['0.1'], 1);
  assert.equal(extra.predPeople, 2);
});

test('PCKh: within 0.5 x head size, head size = 0.6 x head-box diagonal', () => {
  const ref: PckReference = { keypoints: kps(100, 100), headBox: { x1: 0, y1: 0, x2: 30, y2: 40 } }; // diag 50 -> 30 -> 15 px
  const near = summarizePck(pckImage([person(moved(kps(100, 100), 14))], [ref], H));
  const far = summarizePck(pckImage([person(moved(kps(100, 100), 16))], [ref], H));
  assert.equal(near.PCKh, 1);
  assert.equal(far.PCKh, 0);
  assert.equal(far.PCK['0.05'], 1); // 16 px is still within 50 px
});
