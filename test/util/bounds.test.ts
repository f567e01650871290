import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pointBounds } from '../../src/util/bounds.js';

test('pointBounds: the smallest box holding the points; undefined for none', () => {
  assert.deepEqual(
    pointBounds([
      { x: 3, y: -1 },
      { x: -2, y: 4 },
      { x: 1, y: 1 },
    ]),
    { x0: -2, y0: -1, x1: 3, y1: 4 },
  );
  assert.deepEqual(pointBounds([{ x: 5, y: 6 }]), { x0: 5, y0: 6, x1: 5, y1: 6 });
  assert.equal(pointBounds([]), undefined);
});
