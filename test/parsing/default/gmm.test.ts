import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitGmm, gmmNll, seededRandom } from '../../../src/parsing/default/gmm.js';

function twoClusters(n: number): Float32Array {
  const rand = seededRandom(7);
  const x = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = i % 2 ? [10, 20, 30] : [60, -10, 5];
    for (let j = 0; j < 3; j++) x[i * 3 + j] = c[j] + (rand() - 0.5) * 4;
  }
  return x;
}

test('fitGmm finds both clusters of a two-colour sample', () => {
  const g = fitGmm(twoClusters(400), 400, 2)!;
  assert.equal(g.k, 2);
  const means = [0, 1].map((c) => Array.from(g.means.subarray(c * 3, c * 3 + 3))).sort((a, b) => a[0] - b[0]);
  assert.ok(Math.abs(means[0][0] - 10) < 1 && Math.abs(means[1][0] - 60) < 1, JSON.stringify(means));
  assert.ok(Math.abs(g.weights[0] - 0.5) < 0.05);
});

test('gmmNll is low on the fitted colours and high far from them', () => {
  const g = fitGmm(twoClusters(400), 400, 2)!;
  const near = gmmNll(g, 10, 20, 30);
  const between = gmmNll(g, 35, 5, 17);
  const far = gmmNll(g, 90, 60, -60);
  assert.ok(near < between && between < far, `${near} ${between} ${far}`);
});

test('fitGmm is deterministic and refuses too few samples', () => {
  const a = fitGmm(twoClusters(200), 200, 3)!;
  const b = fitGmm(twoClusters(200), 200, 3)!;
  assert.deepEqual(Array.from(a.means), Array.from(b.means));
  assert.equal(fitGmm(new Float32Array(9), 3, 2), undefined);
});
