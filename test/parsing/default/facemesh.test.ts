import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FACE_OVAL, faceCrop, meshEllipse } from '../../../src/parsing/default/facemesh.js';
import { ellipseRadius, type Point } from '../../../src/parsing/default/geometry.js';
import { refineFace } from '../../../src/parsing/default/parser.js';
import { bodyModel } from '../../../src/parsing/default/geometry.js';
import { frontalPerson } from './fixtures.js';

/** 468 mesh points whose face oval is an ellipse (centre, half axes, tilt); the rest sit at the centre. */
function ovalMesh(cx: number, cy: number, rx: number, ry: number, angle: number): Point[] {
  const pts: Point[] = Array.from({ length: 468 }, () => ({ x: cx, y: cy }));
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const place = (i: number, u: number, v: number): void => {
    // u across, v down the face, rotated like geometry's Ellipse (angle from image-down)
    pts[i] = { x: cx + c * u - s * v, y: cy + s * u + c * v };
  };
  FACE_OVAL.forEach((idx, k) => {
    const t = (2 * Math.PI * k) / FACE_OVAL.length; // k = 0: top (10), half way: chin (152)
    place(idx, rx * Math.sin(t), -ry * Math.cos(t));
  });
  return pts;
}

test('meshEllipse recovers an upright face oval (ears widen it a little)', () => {
  const e = meshEllipse(ovalMesh(100, 200, 30, 40, 0), 1);
  assert.ok(Math.abs(e.cx - 100) < 1e-6 && Math.abs(e.cy - 200) < 1e-6);
  assert.ok(Math.abs(e.ry - 40) < 1e-6);
  assert.ok(Math.abs(e.rx - 30) < 1, `rx ${e.rx}`);
  assert.ok(Math.abs(e.angle) < 1e-9);
  assert.ok(meshEllipse(ovalMesh(100, 200, 30, 40, 0)).rx > e.rx);
});

test('meshEllipse follows a tilted head', () => {
  const e = meshEllipse(ovalMesh(50, 60, 20, 30, 0.3), 1);
  assert.ok(Math.abs(e.angle - 0.3) < 1e-6, `angle ${e.angle}`);
  // the oval's own points lie on the fitted ellipse
  const pts = ovalMesh(50, 60, 20, 30, 0.3);
  assert.ok(Math.abs(ellipseRadius(pts[152].x, pts[152].y, e) - 1) < 1e-6);
});

test('faceCrop is a square around the face with a margin', () => {
  const c = faceCrop({ cx: 100, cy: 100, rx: 20, ry: 30, angle: 0 });
  assert.ok(c.side > 60);
  assert.ok(Math.abs(c.x + c.side / 2 - 100) < 1e-9 && Math.abs(c.y + c.side / 2 - 100) < 1e-9);
});

test('refineFace takes the mesh face only where the pose put a face', () => {
  const body = bodyModel(frontalPerson());
  const f = body.face!;
  const near = ovalMesh(f.cx + 2, f.cy + 3, f.rx * 0.9, f.ry * 1.1, 0.05);
  const b1 = { ...body };
  assert.equal(refineFace(b1, { points: near, score: 0.99 }), true);
  assert.ok(Math.abs(b1.face!.cy - (f.cy + 3)) < 1e-6);
  assert.equal(b1.faceMeasured, true);
  // no face found, or one elsewhere: the pose's ellipse stays
  const b2 = { ...body };
  assert.equal(refineFace(b2, { points: near, score: 0.1 }), false);
  assert.equal(b2.face, f);
  assert.notEqual(b2.faceMeasured, true);
  const b3 = { ...body };
  const far = ovalMesh(f.cx + 10 * f.rx, f.cy, f.rx, f.ry, 0);
  assert.equal(refineFace(b3, { points: far, score: 0.99 }), false);
  assert.equal(b3.face, f);
});
