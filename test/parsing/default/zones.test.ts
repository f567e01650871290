import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyModel } from '../../../src/parsing/default/geometry.js';
import {
  coveredFromAbove,
  DEFAULT_ZONE_WEIGHTS,
  liftedFootCost,
  positionCosts,
  shoulderOverhang,
} from '../../../src/parsing/default/zones.js';
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

test("trousers end at a lifted foot's own ankle", () => {
  const kps = frontalPerson();
  // the right foot lifted: its ankle 40 px above the left one, toes forward and down
  kps[11] = { x: 182, y: 310, score: 0.9 };
  kps[22] = { x: 172, y: 330, score: 0.9 };
  const body = bodyModel(kps);
  const lowest = 350 + 0.02 * body.scale;
  // on the lifted shoe, below its ankle: a cost growing with the distance below it
  const near = liftedFootCost(body, 178, 318, lowest, 24);
  const far = liftedFootCost(body, 174, 328, lowest, 24);
  assert.ok(near > 0);
  assert.ok(far > near);
  // above the lifted ankle, far from either foot, and on the standing foot: nothing
  assert.equal(liftedFootCost(body, 182, 300, lowest, 24), 0);
  assert.equal(liftedFootCost(body, 120, 330, lowest, 24), 0);
  assert.equal(liftedFootCost(body, 219, 360, lowest, 24), 0);
  // both feet on the ground: the lowest-ankle rule alone
  const standing = bodyModel(frontalPerson());
  assert.equal(liftedFootCost(standing, 181, 362, lowest, 24), 0);
  // in the position costs: trousers cost more on the lifted shoe than just above its ankle
  const grid = { x0: 100, y0: 0, step: 2, width: 100, height: 200 };
  const pos = positionCosts(body, grid);
  const lower = (x: number, y: number): number =>
    pos[
      (Math.floor(y / grid.step) * grid.width + Math.floor((x - grid.x0) / grid.step)) * PART_COUNT +
        PART.LOWER
    ];
  assert.ok(lower(174, 328) > lower(182, 300) + 1);
});

test('past a measured face oval the face cost grows per face radius, not per body scale', () => {
  const guessed = bodyModel(frontalPerson());
  const measured = { ...guessed, faceMeasured: true };
  const f = guessed.face!;
  const grid = { x0: f.cx, y0: f.cy, step: 1, width: 1, height: 1 };
  const faceCost = (body: typeof guessed, dx: number, dy: number): number =>
    positionCosts(body, { ...grid, x0: f.cx + dx - 0.5, y0: f.cy + dy - 0.5 })[PART.FACE];
  // inside the oval: no cost either way
  assert.equal(faceCost(measured, 0, f.ry * 0.5), 0);
  // a third of a radius below the chin: small for a guessed face, well above it for a measured one
  const below = f.ry * 1.33;
  assert.ok(faceCost(measured, 0, below) > faceCost(guessed, 0, below) + 5);
  assert.ok(faceCost(measured, 0, below) < faceCost(measured, 0, f.ry * 1.6));
});

test('coveredFromAbove: skin under the garment is covered; a neckline opening up to the neck is not', () => {
  const body = bodyModel(frontalPerson());
  const grid = { x0: 120, y0: 20, step: 2, width: 80, height: 120 };
  const n = grid.width * grid.height;
  const labels = new Uint8Array(n);
  const cell = (x: number, y: number): number =>
    Math.floor((y - grid.y0) / grid.step) * grid.width + Math.floor((x - grid.x0) / grid.step);
  for (let i = 0; i < n; i++) {
    const x = grid.x0 + ((i % grid.width) + 0.5) * grid.step;
    const y = grid.y0 + (Math.floor(i / grid.width) + 0.5) * grid.step;
    if (y < 90 && Math.abs(x - 200) < 16) labels[i] = PART.FACE;
    else if (y < 112 && Math.abs(x - 200) < 8)
      labels[i] = PART.NECK; // the neck
    else if (y >= 104 && y < 230 && x > 165 && x < 235) {
      // the top, with a V-neck under the neck and a skin-coloured patch left of it
      const inV = y < 135 && Math.abs(x - 200) < (135 - y) / 2;
      const patch = x > 172 && x < 186 && y > 122 && y < 140;
      labels[i] = inV || patch ? PART.NECK : PART.UPPER;
    }
  }
  const garment = Uint8Array.from(labels, (p) => (p === PART.UPPER ? 1 : 0));
  const o = { reach: 0.3, minRun: 0.03 };
  const start = Uint8Array.from(labels, (p) => (p === PART.NECK ? 1 : 0));
  const covered = coveredFromAbove(body, grid, labels, start, garment, o);
  assert.equal(covered[cell(179, 130)], 1, 'patch under the shoulder');
  assert.equal(covered[cell(175, 138)], 1, 'bottom of the patch');
  assert.equal(covered[cell(200, 125)], 0, 'V-neck');
  assert.equal(covered[cell(200, 100)], 0, 'neck');
  // only start cells are flagged
  for (let i = 0; i < n; i++) if (covered[i]) assert.equal(start[i], 1);
  // the same top-coloured labels that are not of the garment's colour (blonde hair labelled top) cover nothing
  const none = coveredFromAbove(body, grid, labels, start, new Uint8Array(n), o);
  assert.equal(none[cell(179, 130)], 0);
  // a thinner garment above than `minRun` covers nothing either
  const thick = coveredFromAbove(body, grid, labels, start, garment, { reach: 0.3, minRun: 0.5 });
  assert.equal(thick[cell(179, 130)], 0);
});

test('shoulderOverhang: an arm zone ends at its shoulder on the neck side, not past it', () => {
  // shoulder (170,110), elbow below it, neck base (200,110)
  const arm = {
    points: [
      { x: 170, y: 110 },
      { x: 160, y: 160 },
    ],
    radius: 15,
  };
  const neck = { x: 200, y: 110 };
  assert.equal(shoulderOverhang(arm, neck, 165, 140), 0, 'along the upper arm');
  assert.equal(shoulderOverhang(arm, neck, 160, 105), 0, 'over the outer side of the shoulder');
  assert.ok(Math.abs(shoulderOverhang(arm, neck, 182, 104) - 12) < 1e-9, 'towards the neck: 12 px past');
  assert.equal(shoulderOverhang({ points: [arm.points[0]], radius: 15 }, neck, 182, 104), 0);

  // in the position costs: the round end of the arm's zone over the collar bone costs the arm there
  const body = bodyModel(frontalPerson());
  const grid = { x0: 100, y0: 0, step: 2, width: 100, height: 150 };
  const cost = (weights: typeof DEFAULT_ZONE_WEIGHTS, x: number, y: number): number =>
    positionCosts(body, grid, weights)[
      (Math.floor(y / 2) * grid.width + Math.floor((x - 100) / 2)) * PART_COUNT + PART.ARM_R
    ];
  const off = { ...DEFAULT_ZONE_WEIGHTS, armPastShoulder: 0 };
  // inside the right arm's round end (shoulder at 170,110; radius 0.14 x scale), nearer the neck
  const [sx, sy] = [170 + 0.08 * body.scale, 106];
  assert.equal(cost(off, sx, sy), 0, 'without the rule: inside the arm zone');
  assert.ok(cost(DEFAULT_ZONE_WEIGHTS, sx, sy) > 3, 'with it: costly');
  assert.equal(cost(DEFAULT_ZONE_WEIGHTS, 163, 150), 0, 'the upper arm itself is untouched');
});
