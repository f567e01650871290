import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edgeWeights, meanField } from '../../../src/parsing/default/crf.js';

// 8x4 grid, 2 labels; left half prefers label 0, right half label 1 (weakly)
function setup(colourEdge: boolean): { unary: Float32Array; lab: Float32Array } {
  const w = 8;
  const h = 4;
  const unary = new Float32Array(w * h * 2);
  const lab = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const right = x >= 4;
      unary[i * 2] = right ? 0.6 : 0;
      unary[i * 2 + 1] = right ? 0 : 0.6;
      lab[i * 3] = colourEdge && right ? 80 : 20;
    }
  }
  // one noisy cell inside the left half that prefers label 1
  unary[(1 * w + 1) * 2] = 0.5;
  unary[(1 * w + 1) * 2 + 1] = 0;
  return { unary, lab };
}

test('meanField smooths an isolated noisy cell away', () => {
  const { unary, lab } = setup(true);
  const weights = edgeWeights(lab, 8, 4, { weight: 1 });
  const { labels } = meanField(unary, weights, 8, 4, 2);
  assert.equal(labels[1 * 8 + 1], 0);
  const raw = unary[(1 * 8 + 1) * 2 + 1] < unary[(1 * 8 + 1) * 2] ? 1 : 0;
  assert.equal(raw, 1, 'without the CRF the cell would be 1');
});

test('a colour edge keeps the boundary where the costs put it', () => {
  const { unary, lab } = setup(true);
  const weights = edgeWeights(lab, 8, 4, { weight: 1 });
  const { labels, q } = meanField(unary, weights, 8, 4, 2);
  for (let y = 0; y < 4; y++) {
    assert.equal(labels[y * 8 + 3], 0);
    assert.equal(labels[y * 8 + 4], 1);
  }
  for (let i = 0; i < 32; i++) assert.ok(Math.abs(q[i * 2] + q[i * 2 + 1] - 1) < 1e-5);
  // across the edge the pull is weaker than within a region
  assert.ok(weights[(0 * 8 + 3) * 4] < weights[(0 * 8 + 1) * 4]);
});

test('labels far costlier than the best are pruned and never chosen', () => {
  const unary = Float32Array.from([0, 50, 0, 50, 50, 0, 50, 0]);
  const { labels, q } = meanField(unary, new Float32Array(16), 4, 1, 2, { prune: 10 });
  assert.deepEqual(Array.from(labels), [0, 0, 1, 1]);
  assert.equal(q[1], 0);
});
