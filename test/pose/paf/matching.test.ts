import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchGreedy, matchHungarian } from '../../../src/pose/paf/matching.js';
import type { LimbCandidate } from '../../../src/pose/paf/limbs.js';
import { rng } from './synthetic.js';

const total = (m: LimbCandidate[]): number => m.reduce((s, c) => s + c.score, 0);

test('greedy takes the best pair first; Hungarian finds the better total', () => {
  const c: LimbCandidate[] = [
    { a: 0, b: 0, score: 0.9 },
    { a: 0, b: 1, score: 0.8 },
    { a: 1, b: 0, score: 0.8 },
  ];
  const g = matchGreedy(c, 2, 2);
  assert.deepEqual(
    g.map((k) => [k.a, k.b]),
    [[0, 0]],
  );
  const h = matchHungarian(c, 2, 2);
  assert.deepEqual(h.map((k) => [k.a, k.b]).sort(), [
    [0, 1],
    [1, 0],
  ]);
  assert.ok(total(h) > total(g));
});

function bruteForceBest(c: LimbCandidate[], nA: number, nB: number): number {
  let best = 0;
  const usedB = new Uint8Array(nB);
  const rec = (a: number, sum: number): void => {
    if (a === nA) {
      best = Math.max(best, sum);
      return;
    }
    rec(a + 1, sum);
    for (const k of c) {
      if (k.a !== a || usedB[k.b]) continue;
      usedB[k.b] = 1;
      rec(a + 1, sum + k.score);
      usedB[k.b] = 0;
    }
  };
  rec(0, 0);
  return best;
}

test('Hungarian is optimal and one-to-one on random sparse instances (incl. rectangular)', () => {
  const random = rng(42);
  for (let trial = 0; trial < 200; trial++) {
    const nA = 1 + Math.floor(random() * 6);
    const nB = 1 + Math.floor(random() * 6);
    const c: LimbCandidate[] = [];
    for (let a = 0; a < nA; a++)
      for (let b = 0; b < nB; b++) if (random() < 0.5) c.push({ a, b, score: 0.05 + random() });
    const h = matchHungarian(c, nA, nB);
    const g = matchGreedy(c, nA, nB);
    for (const m of [h, g]) {
      assert.equal(new Set(m.map((k) => k.a)).size, m.length);
      assert.equal(new Set(m.map((k) => k.b)).size, m.length);
    }
    assert.ok(Math.abs(total(h) - bruteForceBest(c, nA, nB)) < 1e-9, `trial ${trial}`);
    assert.ok(total(g) <= total(h) + 1e-9);
  }
  assert.deepEqual(matchHungarian([], 3, 3), []);
});
