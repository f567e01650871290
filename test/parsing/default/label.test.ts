import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bodyModel,
  chainDistance,
  ellipseRadius,
  polygonSignedDistance,
} from '../../../src/parsing/default/geometry.js';
import { labelPerson } from '../../../src/parsing/default/label.js';
import { PART } from '../../../src/parsing/default/parts.js';
import { frontalPerson } from './fixtures.js';

/**
 * A drawn person on the grid (Lab colours): skin face and forearms, dark hair, a red T-shirt with short
 * sleeves, blue trousers, black shoes, on a light gray background.
 */
test("labelPerson labels a drawn person part by part, with the person's own sides", () => {
  const body = bodyModel(frontalPerson());
  const grid = { x0: 120, y0: 20, step: 2, width: 80, height: 180 };
  const n = grid.width * grid.height;
  const lab = new Float32Array(n * 3);
  const matte = new Float32Array(n);
  const SKIN = [68, 16, 20];
  const HAIR = [20, 4, 8];
  const SHIRT = [50, 60, 40];
  const PANTS = [32, 8, -40];
  const SHOE = [8, 0, 0];
  const BG = [92, 0, 2];
  const torso = body.torso;
  for (let gy = 0; gy < grid.height; gy++) {
    for (let gx = 0; gx < grid.width; gx++) {
      const x = grid.x0 + (gx + 0.5) * grid.step;
      const y = grid.y0 + (gy + 0.5) * grid.step;
      const i = gy * grid.width + gx;
      let c = BG;
      const dArm = Math.min(chainDistance(x, y, body.arms[0]!), chainDistance(x, y, body.arms[1]!));
      const dLeg = Math.min(
        chainDistance(x, y, { points: body.legs[0]!.points.slice(0, 3), radius: 0 }),
        chainDistance(x, y, { points: body.legs[1]!.points.slice(0, 3), radius: 0 }),
      );
      const dFoot = Math.min(chainDistance(x, y, body.feet[0]!), chainDistance(x, y, body.feet[1]!));
      if (Math.hypot(x - body.head!.cx, y - body.head!.cy) < body.head!.r * 0.9 && y < body.face!.cy)
        c = HAIR;
      if (ellipseRadius(x, y, body.face!) < 0.9) c = SKIN;
      if (Math.abs(x - 200) < 8 && y > 90 && y < 112) c = SKIN; // neck
      if (dArm < 9) c = y < 150 ? SHIRT : SKIN;
      if (polygonSignedDistance(x, y, torso) < 4 && y < 215) c = SHIRT;
      if (dLeg < 12 || (y >= 205 && y < 240 && x > 172 && x < 228)) c = PANTS;
      if (dFoot < 7 && y > 352) c = SHOE;
      lab.set(c, i * 3);
      matte[i] = c === BG ? 0 : 1;
    }
  }
  const { parts } = labelPerson({ grid, lab, matte, body });
  const at = (x: number, y: number): number =>
    parts[Math.floor((y - grid.y0) / grid.step) * grid.width + Math.floor((x - grid.x0) / grid.step)];
  assert.equal(at(200, 160), PART.UPPER, 'chest');
  assert.equal(at(200, 75), PART.FACE, 'face');
  assert.equal(at(200, 45), PART.HAIR, 'top of the head');
  assert.equal(at(244, 190), PART.ARM_L, 'left forearm (image right)');
  assert.equal(at(157, 190), PART.ARM_R, 'right forearm (image left)');
  assert.equal(at(184, 250), PART.LOWER, 'right thigh');
  assert.equal(at(217, 320), PART.LOWER, 'left shin');
  assert.equal(at(220, 366), PART.SHOE_L, 'left shoe');
  assert.equal(at(180, 366), PART.SHOE_R, 'right shoe');
  assert.equal(at(130, 300), PART.BG, 'background');
});
