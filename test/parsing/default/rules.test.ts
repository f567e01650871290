import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyModel } from '../../../src/parsing/default/geometry.js';
import {
  chainXAt,
  cleanDetachedTop,
  coversBetweenLegs,
  legsCross,
  partsToCihp,
} from '../../../src/parsing/default/rules.js';
import { CIHP, PART } from '../../../src/parsing/default/parts.js';
import { frontalPerson } from './fixtures.js';

const grid = { x0: 100, y0: 0, step: 2, width: 100, height: 200 };

/** A lower garment from the hips down to `bottom`, one blob (skirt) or two legs (trousers). */
function lowerGarment(bottom: number, skirt: boolean): Uint8Array {
  const parts = new Uint8Array(grid.width * grid.height);
  for (let gy = 0; gy < grid.height; gy++) {
    const y = gy * 2 + 1;
    for (let gx = 0; gx < grid.width; gx++) {
      const x = 100 + gx * 2 + 1;
      const onLeg = Math.abs(x - 184) < 12 || Math.abs(x - 216) < 12;
      if (y >= 205 && y < bottom && (skirt ? x > 165 && x < 235 : onLeg || y < 235))
        parts[gy * grid.width + gx] = PART.LOWER;
      else if (y >= bottom && y < 350 && onLeg) parts[gy * grid.width + gx] = PART.LEG_R;
    }
  }
  return parts;
}

test('chainXAt follows a limb line', () => {
  assert.equal(
    chainXAt(
      {
        points: [
          { x: 0, y: 0 },
          { x: 10, y: 10 },
        ],
        radius: 1,
      },
      5,
    ),
    5,
  );
  assert.equal(
    chainXAt(
      {
        points: [
          { x: 0, y: 0 },
          { x: 10, y: 10 },
        ],
        radius: 1,
      },
      20,
    ),
    undefined,
  );
});

test('a garment covering the space between the legs is a skirt; separate legs are trousers', () => {
  const body = bodyModel(frontalPerson());
  assert.equal(
    coversBetweenLegs(lowerGarment(300, true), grid, body, (p) => p === PART.LOWER),
    true,
  );
  assert.equal(
    coversBetweenLegs(lowerGarment(345, false), grid, body, (p) => p === PART.LOWER),
    false,
  );
  // legs together in trousers down to the ankles: no gap, but reaching both ankles means trousers
  assert.equal(
    coversBetweenLegs(lowerGarment(345, true), grid, body, (p) => p === PART.LOWER),
    false,
  );
});

test('partsToCihp applies the garment decisions', () => {
  assert.equal(partsToCihp({ dress: false, skirt: false })[PART.LOWER], CIHP.PANTS);
  assert.equal(partsToCihp({ dress: false, skirt: true })[PART.LOWER], CIHP.SKIRT);
  const dress = partsToCihp({ dress: true, skirt: true });
  assert.equal(dress[PART.UPPER], CIHP.DRESS);
  assert.equal(dress[PART.LOWER], CIHP.DRESS);
  // one colour on separate legs: a top over trousers
  assert.equal(partsToCihp({ dress: true, skirt: false })[PART.UPPER], CIHP.UPPER);
  assert.equal(partsToCihp({ dress: false, skirt: false })[PART.ARM_L], CIHP.ARM_L);
});

test('crossed legs give no skirt decision: no gap between them whatever the garment', () => {
  const straight = bodyModel(frontalPerson());
  assert.equal(legsCross(straight.legs[0]!, straight.legs[1]!), false);
  // the right knee and ankle swing over to the left of the left leg (legs crossed while seated)
  const k = frontalPerson();
  k[10] = { x: 225, y: 280, score: 0.9 };
  k[11] = { x: 230, y: 350, score: 0.9 };
  const crossed = bodyModel(k);
  assert.equal(legsCross(crossed.legs[0]!, crossed.legs[1]!), true);
  // a lower garment covering both legs as one blob is not called a skirt on crossed legs
  assert.equal(
    coversBetweenLegs(lowerGarment(300, true), grid, crossed, (p) => p === PART.LOWER),
    undefined,
  );
});

test('cleanDetachedTop: a top blob beside the head becomes its next-best part; the shirt and sleeves stay', () => {
  const body = bodyModel(frontalPerson());
  const n = grid.width * grid.height;
  const parts = new Uint8Array(n);
  const q = new Float32Array(n * 13);
  const cell = (x: number, y: number): number => Math.floor(y / 2) * grid.width + Math.floor((x - 100) / 2);
  const paint = (x0: number, x1: number, y0: number, y1: number, part: number, second: number): void => {
    for (let y = y0; y < y1; y += 2)
      for (let x = x0; x < x1; x += 2) {
        const i = cell(x, y);
        parts[i] = part;
        q.fill(0, i * 13, i * 13 + 13);
        q[i * 13 + part] = 0.7;
        q[i * 13 + second] = 0.3;
      }
  };
  paint(176, 224, 40, 84, PART.HAIR, PART.FACE);
  paint(170, 230, 110, 210, PART.UPPER, PART.NECK); // the shirt
  paint(154, 166, 130, 160, PART.UPPER, PART.ARM_R); // a sleeve, apart from the shirt, on the arm
  paint(226, 232, 40, 80, PART.UPPER, PART.HAIR); // a lit hair edge taken for the top
  const changed = cleanDetachedTop(parts, q, grid, body);
  assert.equal(parts[cell(228, 60)], PART.HAIR, 'the detached blob takes its next-best part');
  assert.equal(parts[cell(200, 160)], PART.UPPER, 'shirt');
  assert.equal(parts[cell(160, 146)], PART.UPPER, 'sleeve on the arm');
  assert.equal(changed, 3 * 20);
  // no hips, no torso polygon: nothing changes
  const noHips = frontalPerson().map((k, i) => (i === 8 || i === 9 || i === 12 ? { ...k, score: 0 } : k));
  const lone = bodyModel(noHips);
  assert.ok(lone.torso.length < 4);
  assert.equal(cleanDetachedTop(parts.fill(PART.UPPER), q, grid, lone), 0);
});
