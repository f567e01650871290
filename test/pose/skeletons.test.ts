import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BODY_25, COCO_17, COCO_18, BLAZEPOSE_33, fromBody25, toBody25 } from '../../src/pose/skeletons.js';
import type { Keypoint } from '../../src/types.js';

const kp = (x: number, y: number, score = 0.9): Keypoint => ({ x, y, score });

test('skeleton data is consistent', () => {
  for (const s of [BODY_25, COCO_18, COCO_17, BLAZEPOSE_33]) {
    assert.equal(s.colors.length, s.names.length, s.id);
    for (const [a, b] of s.limbs) assert.ok(a < s.names.length && b < s.names.length, s.id);
  }
  assert.equal(BODY_25.names.length, 25);
  assert.equal(BODY_25.limbs.length, 24);
  assert.equal(COCO_18.limbs.length, 17);
});

test('COCO-17 -> BODY_25 puts sides right and derives Neck and MidHip as midpoints', () => {
  const coco = Array.from({ length: 17 }, (_, i) => kp(i * 10, i * 10 + 1));
  const b = toBody25('coco17', coco);
  assert.deepEqual(b[2], coco[6]); // RShoulder = right_shoulder
  assert.deepEqual(b[5], coco[5]); // LShoulder = left_shoulder
  assert.deepEqual(b[15], coco[2]); // REye = right_eye
  assert.deepEqual(b[14], coco[15]); // LAnkle = left_ankle
  assert.deepEqual(b[1], { x: 55, y: 56, score: 0.9 }); // Neck = mid of shoulders 5, 6
  assert.deepEqual(b[8], { x: 115, y: 116, score: 0.9 }); // MidHip = mid of hips 11, 12
  for (const i of [19, 20, 21, 22, 23, 24]) assert.equal(b[i].score, 0, 'no feet in COCO-17');
});

test('a missing shoulder gives a missing neck, never an invented one', () => {
  const coco = Array.from({ length: 17 }, (_, i) => kp(i, i));
  coco[6] = { x: 0, y: 0, score: 0 };
  assert.equal(toBody25('coco17', coco)[1].score, 0);
});

test('BlazePose-33 gives heels and big toes; small toes stay missing', () => {
  const bp = Array.from({ length: 33 }, (_, i) => kp(i, 100 + i));
  const b = toBody25('blazepose33', bp);
  assert.deepEqual(b[21], bp[29]); // LHeel
  assert.deepEqual(b[24], bp[30]); // RHeel
  assert.deepEqual(b[19], bp[31]); // LBigToe = left_foot_index
  assert.deepEqual(b[22], bp[32]);
  assert.equal(b[20].score, 0);
  assert.equal(b[23].score, 0);
});

test('BODY_25 -> COCO-18 -> BODY_25 and -> COCO-17 -> BODY_25 keep the shared points', () => {
  const body = Array.from({ length: 25 }, (_, i) => kp(i * 3, i * 5));
  const c18 = fromBody25('coco18', body);
  assert.equal(c18.length, 18);
  assert.deepEqual(c18[8], body[9]); // RHip
  const back = toBody25('coco18', c18);
  for (let i = 0; i < 19; i++) if (i !== 8) assert.deepEqual(back[i], body[i], `point ${i}`);
  const c17 = fromBody25('coco17', body);
  assert.deepEqual(c17[1], body[16]); // left_eye
  assert.deepEqual(c17[12], body[9]); // right_hip
});
