import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyModel, ellipseRadius } from '../../../src/parsing/default/geometry.js';
import { positionCosts } from '../../../src/parsing/default/zones.js';
import { meshCrop } from '../../../src/parsing/default/facemesh.js';
import { PART, PART_COUNT } from '../../../src/parsing/default/parts.js';
import { frontalPerson } from './fixtures.js';

test('a measured chin and jaw end the face zone below them, not beside the ears', () => {
  const body = bodyModel(frontalPerson());
  const f = body.face!;
  const grid = { x0: 100, y0: 0, step: 2, width: 100, height: 100 };
  const at = (b: typeof body, x: number, y: number): number => {
    const gx = Math.floor((x - grid.x0) / grid.step);
    const gy = Math.floor((y - grid.y0) / grid.step);
    return positionCosts(b, grid)[(gy * grid.width + gx) * PART_COUNT + PART.FACE];
  };
  // a jaw narrower and shorter than the ellipse: a V from the ears' height to a chin above the ellipse's bottom
  const chinY = f.cy + 0.6 * f.ry;
  const jaw = [
    { x: f.cx - f.rx * 0.75, y: f.cy - f.ry },
    { x: f.cx + f.rx * 0.75, y: f.cy - f.ry },
    { x: f.cx + f.rx * 0.75, y: f.cy },
    { x: f.cx, y: chinY },
    { x: f.cx - f.rx * 0.75, y: f.cy },
  ];
  const measured = { ...body, chin: { x: f.cx, y: chinY }, jaw };
  // inside the ellipse, below the chin: free before, costly now
  const belowChin = { x: f.cx, y: f.cy + 0.9 * f.ry };
  assert.equal(at(body, belowChin.x, belowChin.y), 0);
  assert.ok(at(measured, belowChin.x, belowChin.y) > 1);
  // the jaw's corner, inside the ellipse but outside the V
  const corner = { x: f.cx + 0.7 * f.rx, y: f.cy + 0.55 * f.ry };
  assert.ok(ellipseRadius(corner.x, corner.y, f) < 1);
  assert.equal(at(body, corner.x, corner.y), 0);
  assert.ok(at(measured, corner.x, corner.y) > 1);
  // beside the outline at the ears' height (the ears are face): no added cost; the middle of the face: none
  assert.equal(
    at(measured, f.cx + 0.88 * f.rx, f.cy + 0.1 * f.ry),
    at(body, f.cx + 0.88 * f.rx, f.cy + 0.1 * f.ry),
  );
  assert.equal(at(measured, f.cx, f.cy), 0);
});

test("the second FaceMesh crop is square around the first pass's landmarks", () => {
  const pts = [
    { x: 100, y: 50 },
    { x: 140, y: 50 },
    { x: 120, y: 110 },
  ];
  const c = meshCrop(pts, 1.5);
  assert.equal(c.side, 90);
  assert.equal(c.x + c.side / 2, 120);
  assert.equal(c.y + c.side / 2, 80);
});
