import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  averageKeypoints,
  decodeMultipose,
  decodeSinglePose,
  MULTIPOSE_STRIDE,
} from '../../../src/pose/topdown/movenet-decode.js';

const region = { cx: 500, cy: 400, size: 200 }; // crop spans x 400..600, y 300..500

test('decodeSinglePose reads (y, x, score) triples normalised to the crop', () => {
  const out = new Float32Array(51);
  out.set([0.25, 0.75, 0.9], 0); // nose: y 0.25, x 0.75
  out.set([1, 0, 0.4], 3 * 16); // right ankle at the bottom-left corner
  const kps = decodeSinglePose(out, region);
  assert.equal(kps.length, 17);
  assert.deepEqual(kps[0], { x: 550, y: 350, score: out[2] });
  assert.deepEqual(kps[16], { x: 400, y: 500, score: out[50] });
  assert.throws(() => decodeSinglePose(new Float32Array(10), region));
});

test('decodeMultipose keeps people above the score, best first, with boxes in photo pixels', () => {
  const out = new Float32Array(6 * MULTIPOSE_STRIDE);
  const put = (p: number, score: number, y: number, x: number) => {
    const o = p * MULTIPOSE_STRIDE;
    for (let i = 0; i < 17; i++) out.set([y, x, 0.5], o + 3 * i);
    out.set([y - 0.1, x - 0.05, y + 0.1, x + 0.05, score], o + 51);
  };
  put(0, 0.3, 0.5, 0.5);
  put(1, 0.8, 0.2, 0.3);
  put(2, 0.05, 0.9, 0.9);
  const people = decodeMultipose(out, region, 0.1);
  assert.equal(people.length, 2);
  assert.ok(Math.abs(people[0].score - 0.8) < 1e-6);
  assert.ok(Math.abs(people[0].keypoints[0].x - 460) < 1e-4);
  assert.ok(Math.abs(people[0].keypoints[0].y - 340) < 1e-4);
  const b = people[1].box;
  assert.ok(Math.abs(b.x - 490) < 1e-4 && Math.abs(b.y - 380) < 1e-4);
  assert.ok(Math.abs(b.width - 20) < 1e-4 && Math.abs(b.height - 40) < 1e-4);
  assert.throws(() => decodeMultipose(new Float32Array(57), region, 0.1));
});

test('averageKeypoints weighs positions by score and averages scores', () => {
  const [k] = averageKeypoints([{ x: 0, y: 0, score: 0.75 }], [{ x: 100, y: 40, score: 0.25 }]);
  assert.equal(k.x, 25);
  assert.equal(k.y, 10);
  assert.equal(k.score, 0.5);
});
