import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyModel } from '../../../src/parsing/default/geometry.js';
import { positionCosts } from '../../../src/parsing/default/zones.js';
import { PART, PART_COUNT } from '../../../src/parsing/default/parts.js';
import { frontalPerson } from './fixtures.js';

test('position costs put each part where the skeleton says', () => {
  const body = bodyModel(frontalPerson());
  const grid = { x0: 100, y0: 0, step: 5, width: 40, height: 80 };
  const pos = positionCosts(body, grid);
  const at = (x: number, y: number, part: number): number => {
    const gx = Math.floor((x - grid.x0) / grid.step);
    const gy = Math.floor((y - grid.y0) / grid.step);
    return pos[(gy * grid.width + gx) * PART_COUNT + part];
  };
  // the person's left forearm (image right)
  assert.equal(at(242, 182, PART.ARM_L), 0);
  assert.ok(at(242, 182, PART.ARM_R) > 5);
  // face, not legs, at the nose; legs, not face, at the knees
  assert.equal(at(200, 75, PART.FACE), 0);
  assert.ok(at(200, 75, PART.LEG_L) > 5);
  assert.equal(at(217, 280, PART.LEG_L), 0);
  assert.ok(at(217, 280, PART.FACE) > 5);
  // upper garment on the chest, lower garment below the waist and not on the chest
  assert.equal(at(200, 150, PART.UPPER), 0);
  assert.ok(at(200, 150, PART.LOWER) > at(200, 250, PART.LOWER));
  // shoes at the toes only
  assert.ok(at(180, 366, PART.SHOE_R) < 1);
  assert.ok(at(182, 300, PART.SHOE_R) > 5);
});
