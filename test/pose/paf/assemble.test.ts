import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemblePeople } from '../../../src/pose/paf/assemble.js';
import type { PafLayout } from '../../../src/pose/paf/layouts.js';

// A toy chain 0-1-2-3 plus a redundant 0-3 limb.
const LAYOUT: PafLayout = {
  id: 'coco18',
  skeleton: 'coco18',
  parts: 4,
  heatmapChannels: 5,
  pafChannels: 8,
  limbs: [
    { a: 0, b: 1, pafX: 0, pafY: 1 },
    { a: 2, b: 3, pafX: 2, pafY: 3 },
    { a: 1, b: 2, pafX: 4, pafY: 5 },
    { a: 0, b: 3, pafX: 6, pafY: 7, redundant: true },
  ],
};
const scores = [
  [0.9, 0.8],
  [0.9, 0.8],
  [0.9, 0.8],
  [0.9, 0.8],
];
const keep = { minParts: 1, minMeanScore: 0 };
const parts = (p: { parts: Int32Array }): number[] => [...p.parts];

test('partial people sharing a limb are merged', () => {
  const people = assemblePeople(
    LAYOUT,
    scores,
    [[{ a: 0, b: 0, score: 1 }], [{ a: 1, b: 1, score: 1 }], [{ a: 0, b: 1, score: 1 }], []],
    keep,
  );
  assert.equal(people.length, 1);
  assert.deepEqual(parts(people[0]), [0, 0, 1, 1]);
  assert.equal(people[0].partCount, 4);
  assert.ok(Math.abs(people[0].partScore - (0.9 + 0.9 + 0.8 + 0.8)) < 1e-9);
  assert.equal(people[0].limbCount, 3);
});

test('people that would hold the same part twice are not merged', () => {
  // Two chains 0-1 and 2-3, plus a person holding part 1 (peak 1) and 2 (peak 0) via limb 1-2: conflict.
  const people = assemblePeople(
    LAYOUT,
    scores,
    [
      [
        { a: 0, b: 0, score: 1 },
        { a: 1, b: 1, score: 1 },
      ],
      [{ a: 0, b: 0, score: 1 }],
      [
        { a: 0, b: 0, score: 1 }, // merges person (0,0,-,-) with (-,-,0,0)
        { a: 1, b: 0, score: 0.5 }, // part 2 peak 0 is taken by a person that already has part 1: skipped
      ],
      [],
    ],
    keep,
  );
  assert.deepEqual(people.map(parts), [
    [0, 0, 0, 0],
    [1, 1, -1, -1],
  ]);
});

test('redundant limbs only fill a missing end', () => {
  const people = assemblePeople(
    LAYOUT,
    scores,
    [
      [{ a: 0, b: 0, score: 1 }],
      [],
      [],
      [
        { a: 0, b: 0, score: 1 },
        { a: 1, b: 1, score: 1 },
      ],
    ],
    keep,
  );
  assert.deepEqual(people.map(parts), [[0, 0, -1, 0]]);
});

test('pruning by part count and mean score', () => {
  const matched = [[{ a: 0, b: 0, score: 1 }], [{ a: 1, b: 1, score: 0.1 }], [], []];
  assert.equal(assemblePeople(LAYOUT, scores, matched, keep).length, 2);
  assert.equal(assemblePeople(LAYOUT, scores, matched, { minParts: 3, minMeanScore: 0 }).length, 0);
  // means: (0.9+0.9+1)/2 = 1.4 and (0.8+0.8+0.1)/2 = 0.85
  assert.equal(assemblePeople(LAYOUT, scores, matched, { minParts: 2, minMeanScore: 1 }).length, 1);
});
