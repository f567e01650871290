import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keypointSimilarity, oksSuppression } from '../../../src/pose/topdown/oks.js';
import type { Keypoint } from '../../../src/types.js';

const body = (dx: number): Keypoint[] =>
  Array.from({ length: 17 }, (_, i) => ({ x: 100 + dx + (i % 3) * 20, y: 50 + i * 15, score: 0.8 }));

test('OKS is 1 for identical people and falls with distance relative to scale', () => {
  assert.equal(keypointSimilarity(body(0), body(0), 100 * 300), 1);
  const near = keypointSimilarity(body(0), body(5), 100 * 300);
  const far = keypointSimilarity(body(0), body(60), 100 * 300);
  assert.ok(near > 0.7 && near < 1, `near ${near}`);
  assert.ok(far < 0.1, `far ${far}`);
  // The same offset matters less on a bigger person.
  assert.ok(
    keypointSimilarity(body(0), body(20), 400 * 1200) > keypointSimilarity(body(0), body(20), 100 * 300),
  );
});

test('oksSuppression keeps the first of duplicates and points to it', () => {
  const area = 100 * 300;
  const result = oksSuppression(
    [
      { keypoints: body(0), area },
      { keypoints: body(300), area },
      { keypoints: body(3), area },
      { keypoints: body(302), area },
    ],
    0.5,
  );
  assert.deepEqual(result, [-1, -1, 0, 1]);
});
