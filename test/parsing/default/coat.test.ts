import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findCoat } from '../../../src/parsing/default/coat.js';
import { bodyModel } from '../../../src/parsing/default/geometry.js';
import { PART } from '../../../src/parsing/default/parts.js';
import { frontalPerson } from './fixtures.js';

const body = bodyModel(frontalPerson()); // shoulders x 170..230 at y 110, hips x 185..215 at y 210
const grid = { x0: 140, y0: 100, step: 2, width: 60, height: 60 };

/** An upper garment over the torso region; `colour(x, y)` gives each cell's Lab. */
function draw(colour: (x: number, y: number) => number[]): { parts: Uint8Array; lab: Float32Array } {
  const n = grid.width * grid.height;
  const parts = new Uint8Array(n);
  const lab = new Float32Array(n * 3);
  for (let gy = 0; gy < grid.height; gy++) {
    for (let gx = 0; gx < grid.width; gx++) {
      const x = grid.x0 + (gx + 0.5) * grid.step;
      const y = grid.y0 + (gy + 0.5) * grid.step;
      const i = gy * grid.width + gx;
      if (y < 105 || y > 215 || x < 160 || x > 240) continue;
      parts[i] = PART.UPPER;
      lab.set(colour(x, y), i * 3);
    }
  }
  return { parts, lab };
}

const BLACK = [12, 0, 0];
const GRAY = [45, 0, 2];

test('an open coat: the inner top shows down the middle, the coat on both flanks', () => {
  const { parts, lab } = draw((x) => (Math.abs(x - 200) < 12 ? BLACK : GRAY));
  const coat = findCoat(parts, lab, grid, body);
  assert.ok(coat, 'coat found');
  const at = (x: number, y: number): number =>
    coat[Math.floor((y - grid.y0) / grid.step) * grid.width + Math.floor((x - grid.x0) / grid.step)];
  assert.equal(at(171, 160), 1, 'right flank is coat');
  assert.equal(at(229, 160), 1, 'left flank is coat');
  assert.equal(at(200, 160), 0, 'the top in the opening is not');
});

test('no coat: a plain top, a print on the chest, a garment of one colour on one side only', () => {
  assert.equal(findCoat(...args(draw(() => GRAY))), undefined, 'plain');
  // a print on the chest: the middle differs only over part of the torso's height
  const print = draw((x, y) => (Math.abs(x - 200) < 15 && y > 130 && y < 165 ? BLACK : GRAY));
  assert.equal(findCoat(...args(print)), undefined, 'print');
  // a jacket over one shoulder: the other flank shows the top
  const oneSide = draw((x) => (x > 212 ? GRAY : BLACK));
  assert.equal(findCoat(...args(oneSide)), undefined, 'one side');
});

function args(d: { parts: Uint8Array; lab: Float32Array }): Parameters<typeof findCoat> {
  return [d.parts, d.lab, grid, body];
}
