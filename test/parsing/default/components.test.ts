import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelComponents, mergeComponents } from '../../../src/parsing/default/components.js';

test('labelComponents separates equal labels that do not touch (4-connected)', () => {
  // prettier-ignore
  const labels = Uint8Array.from([
    1, 1, 0, 2,
    0, 0, 0, 2,
    1, 0, 1, 0,
  ]);
  const c = labelComponents(labels, 4, 3, (l) => l !== 0);
  assert.equal(c.count, 4); // top-left 1s, the 2s, and two single 1s (diagonal does not connect)
  assert.deepEqual([...c.sizes].sort(), [1, 1, 2, 2]);
  assert.equal(c.ids[2], -1);
});

test('mergeComponents gives a speck its surroundings label', () => {
  const labels = new Uint8Array(25).fill(3);
  labels[12] = 7;
  labels[13] = 7;
  const c = labelComponents(labels, 5, 5);
  const changed = mergeComponents(labels, 5, 5, c, (k) => c.sizes[k] < 3);
  assert.equal(changed, 2);
  assert.ok(labels.every((l) => l === 3));
});
