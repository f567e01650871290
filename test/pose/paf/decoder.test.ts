import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePafMaps, decodedToPersons } from '../../../src/pose/paf/decoder.js';
import { BODY25_LAYOUT, COCO18_LAYOUT } from '../../../src/pose/paf/layouts.js';
import { makePerson, randomScene, renderMaps, type SyntheticPerson } from './synthetic.js';
import { assertExactGrouping } from './grouping.js';

const COCO = COCO18_LAYOUT;

test('1 to 10 random people are grouped exactly (COCO-18 and BODY_25, greedy and Hungarian)', () => {
  for (const layout of [COCO18_LAYOUT, BODY25_LAYOUT]) {
    for (let count = 1; count <= 10; count++) {
      const truth = randomScene(layout, count, 160, 120, 1000 * count + layout.parts);
      const maps = renderMaps(layout, 160, 120, truth);
      for (const matching of ['greedy', 'hungarian'] as const) {
        const decoded = decodePafMaps(maps, layout, { matching, minParts: 1 });
        assertExactGrouping(decoded, truth);
      }
    }
  }
});

test('people at different scales in one map', () => {
  const truth = [
    makePerson(COCO, { x: 20, y: 4, height: 90 }),
    makePerson(COCO, { x: 50, y: 40, height: 40 }),
    makePerson(COCO, { x: 75, y: 70, height: 24 }),
    makePerson(COCO, { x: 100, y: 10, height: 60 }),
  ];
  assertExactGrouping(decodePafMaps(renderMaps(COCO, 120, 100, truth), COCO, { minParts: 1 }), truth);
});

test('missing parts stay missing and do not break grouping', () => {
  const truth = [
    makePerson(COCO, { x: 25, y: 5, height: 60, missing: [4, 7, 16, 17] }), // no wrists, no ears
    makePerson(COCO, { x: 60, y: 5, height: 60, missing: [9, 10, 12, 13] }), // legs hidden
    makePerson(COCO, { x: 95, y: 5, height: 60, missing: [0, 14, 15, 16, 17] }), // head hidden
  ];
  const decoded = decodePafMaps(renderMaps(COCO, 120, 70, truth), COCO, { minParts: 1 });
  assertExactGrouping(decoded, truth);
});

test('limbs nearly touching another person are not joined to them', () => {
  // Hands almost touching: A's left wrist 3 px from B's right wrist.
  const a = makePerson(COCO, { x: 30, y: 5, height: 60 });
  const b = makePerson(COCO, { x: 64, y: 8, height: 60 });
  a[6] = [43, 26];
  a[7] = [49, 33];
  b[3] = [53, 28];
  b[4] = [50, 35.5];
  // Same limb type side by side: C's left forearm runs parallel to B's, 4 px to its right.
  const c = makePerson(COCO, { x: 78, y: 14, height: 56 });
  c[6] = [b[6]![0] + 4, b[6]![1]];
  c[7] = [b[7]![0] + 4, b[7]![1]];
  const truth = [a, b, c];
  assert.ok(Math.hypot(a[7]![0] - b[4]![0], a[7]![1] - b[4]![1]) < 3.5, 'test setup: wrists almost touch');
  for (const matching of ['greedy', 'hungarian'] as const) {
    assertExactGrouping(
      decodePafMaps(renderMaps(COCO, 110, 75, truth), COCO, { matching, minParts: 1 }),
      truth,
    );
  }
});

/** Crossing forearms of the same limb type (left elbow -> left wrist) of two people. */
function crossingForearms(): SyntheticPerson[] {
  const a = makePerson(COCO, { x: 30, y: 10, height: 60 });
  const b = makePerson(COCO, { x: 70, y: 10, height: 60 });
  a[6] = [40, 30]; // A's left elbow; forearm points right
  a[7] = [56, 30];
  b[6] = [58, 24]; // B's left elbow (B's left is on the right); forearm reaches down-left over A's
  b[7] = [42, 38];
  return [a, b];
}

test('crossing forearms: grouped by the fields where nearest-part grouping fails', () => {
  const truth = crossingForearms();
  const [a, b] = truth;
  // Precondition: each wrist is nearer the other person's elbow than its own.
  const d = (p: readonly [number, number], q: readonly [number, number]): number =>
    Math.hypot(p[0] - q[0], p[1] - q[1]);
  assert.ok(d(a[7]!, b[6]!) < d(a[7]!, a[6]!), 'test setup: A wrist nearest to B elbow');
  assert.ok(d(b[7]!, a[6]!) < d(b[7]!, b[6]!), 'test setup: B wrist nearest to A elbow');
  const maps = renderMaps(COCO, 100, 80, truth);
  for (const matching of ['greedy', 'hungarian'] as const) {
    assertExactGrouping(decodePafMaps(maps, COCO, { matching, minParts: 1 }), truth);
  }
});

test('overlapping people (one partly in front of the other) are kept apart', () => {
  const truth = [
    makePerson(COCO, { x: 40, y: 5, height: 70, leftArm: -0.5 }),
    makePerson(COCO, { x: 52, y: 12, height: 62, rightArm: 0.6 }),
  ];
  assertExactGrouping(decodePafMaps(renderMaps(COCO, 100, 80, truth), COCO, { minParts: 1 }), truth);
});

test('zeroed PAF channels give no multi-part people', () => {
  const truth = randomScene(COCO, 5, 160, 120, 7);
  const maps = renderMaps(COCO, 160, 120, truth, { zeroLimbs: COCO.limbs.map((_, k) => k) });
  const decoded = decodePafMaps(maps, COCO, { minParts: 1, minMeanScore: 0 });
  assert.equal(decoded.filter((p) => p.partCount > 1).length, 0);
  // With default pruning nobody survives; with the fields present everyone does.
  assert.equal(decodePafMaps(maps, COCO).length, 0);
  assert.equal(decodePafMaps(renderMaps(COCO, 160, 120, truth), COCO).length, 5);
});

test('swapped PAF x/y channels break grouping (the fields are really used)', () => {
  const truth = randomScene(COCO, 4, 160, 120, 11);
  const maps = renderMaps(COCO, 160, 120, truth);
  const swapped = { ...COCO, limbs: COCO.limbs.map((l) => ({ ...l, pafX: l.pafY, pafY: l.pafX })) };
  const decoded = decodePafMaps(maps, swapped);
  const full = decoded.filter((p) => p.partCount === 18).length;
  assert.ok(full < 4, `swapped fields still gave ${full} complete people`);
});

test('pruning by part count and mean score', () => {
  const truth = [
    makePerson(COCO, { x: 20, y: 5, height: 60 }),
    makePerson(COCO, {
      x: 60,
      y: 5,
      height: 60,
      missing: [0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    }),
  ];
  // The second person has only a neck... and ears: 3 parts, but ears join the neck only through the
  // nose, so it falls apart into single parts.
  const maps = renderMaps(COCO, 90, 70, truth);
  assert.equal(decodePafMaps(maps, COCO, { minParts: 4 }).length, 1);
  assert.equal(decodePafMaps(maps, COCO, { minParts: 19 }).length, 0);
  assert.equal(decodePafMaps(maps, COCO, { minParts: 1, minMeanScore: 5 }).length, 0);
});

test('decodedToPersons maps to image pixels and converts to BODY_25', () => {
  const truth = [makePerson(COCO, { x: 30, y: 5, height: 60 })];
  const decoded = decodePafMaps(renderMaps(COCO, 60, 70, truth), COCO);
  const [person] = decodedToPersons(decoded, COCO, { width: 60, height: 70 }, { width: 480, height: 560 });
  assert.equal(person.keypoints.length, 25);
  const neck = truth[0][1]!;
  assert.ok(Math.abs(person.keypoints[1].x - ((neck[0] + 0.5) * 8 - 0.5)) < 4);
  assert.ok(Math.abs(person.keypoints[1].y - ((neck[1] + 0.5) * 8 - 0.5)) < 4);
  // MidHip (8) = midpoint of RHip (9) and LHip (12).
  assert.ok(Math.abs(person.keypoints[8].x - (person.keypoints[9].x + person.keypoints[12].x) / 2) < 1e-9);
  // COCO RHip (8) -> BODY_25 RHip (9)
  assert.ok(Math.abs(person.keypoints[9].y - ((truth[0][8]![1] + 0.5) * 8 - 0.5)) < 4);
  assert.ok(person.score > 0.5 && person.score <= 1);
  assert.ok(person.box.width > 0 && person.box.height > 300);
});
