import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  body25Facing,
  blazeFacing,
  faceSkinFraction,
  shouldSwapSides,
  swapBlazeSides,
  swapBody25Sides,
} from '../../../src/parsing/default/facing.js';
import type { Keypoint, Photo } from '../../../src/types.js';
import { frontalPerson } from './fixtures.js';

test('a frontal skeleton faces the camera; the same with its sides exchanged reads as a back view', () => {
  const front = frontalPerson();
  assert.ok(body25Facing(front) > 0.5);
  const back = swapBody25Sides(front);
  assert.ok(body25Facing(back) < -0.5);
  // swapping exchanges pairs only
  assert.deepEqual(back[2], front[5]);
  assert.deepEqual(back[16], front[15]);
  assert.deepEqual(back[1], front[1]);
  // a person lying on their side: still a consistent sign (rotation does not change it)
  const rotated = front.map((k) => (k.score ? { ...k, x: 400 - k.y, y: k.x } : k));
  assert.ok(body25Facing(rotated) > 0.5);
});

test('BlazePose landmarks: left shoulder 11, right 12', () => {
  const lm: Keypoint[] = Array.from({ length: 33 }, () => ({ x: 0, y: 0, score: 0.9 }));
  lm[11] = { x: 230, y: 110, score: 0.9 };
  lm[12] = { x: 170, y: 110, score: 0.9 };
  lm[23] = { x: 215, y: 210, score: 0.9 };
  lm[24] = { x: 185, y: 210, score: 0.9 };
  assert.ok(blazeFacing(lm) > 0);
  const swapped = swapBlazeSides(lm);
  assert.ok(blazeFacing(swapped) < 0);
  assert.deepEqual(swapped[11], lm[12]);
  assert.deepEqual(swapped[31], lm[32]);
});

test('sides are exchanged only when the two skeletons disagree and the face sides with BlazePose', () => {
  // agreement: never
  assert.equal(shouldSwapSides(1, 1, 0.9), false);
  assert.equal(shouldSwapSides(-1, -1, 0.9), false);
  // the pose says back, BlazePose front, and the face shows skin: the pose is wrong
  assert.equal(shouldSwapSides(-1, 1, 0.7), true);
  // the pose says back, BlazePose front, but no face: the back of a head, the pose stays
  assert.equal(shouldSwapSides(-1, 1, 0.05), false);
  // the pose says front, BlazePose back, no face showing: a back view
  assert.equal(shouldSwapSides(1, -1, 0.05), true);
  assert.equal(shouldSwapSides(1, -1, 0.8), false);
  // unknown orientation: never
  assert.equal(shouldSwapSides(0, 1, 0.9), false);
});

test('face skin fraction: a skin-coloured face is high, the back of a dark-haired head is low', () => {
  const w = 60;
  const h = 60;
  const paint = (rgb: [number, number, number]): Photo => {
    const data = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++) data.set(rgb, i * 3);
    return { id: 'x', source: 'x', width: w, height: h, rgb: data };
  };
  const face = { cx: 30, cy: 30, rx: 12, ry: 16, angle: 0 };
  assert.ok(faceSkinFraction(paint([224, 172, 140]), face) > 0.9, 'light skin');
  assert.ok(faceSkinFraction(paint([120, 80, 60]), face) > 0.9, 'dark skin');
  assert.ok(faceSkinFraction(paint([25, 20, 18]), face) < 0.1, 'black hair');
  assert.ok(faceSkinFraction(paint([90, 90, 95]), face) < 0.1, 'gray');
});
