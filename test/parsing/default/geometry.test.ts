import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bodyModel,
  chainDistance,
  ellipseRadius,
  polygonSignedDistance,
  segmentDistance2,
} from '../../../src/parsing/default/geometry.js';
import { frontalPerson } from './fixtures.js';

test('distances to segments, chains, ellipses and polygons', () => {
  assert.equal(segmentDistance2(5, 3, 0, 0, 10, 0), 9);
  assert.equal(segmentDistance2(-4, 3, 0, 0, 10, 0), 25);
  assert.equal(
    chainDistance(10, 5, {
      points: [
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 10, y: 10 },
      ],
      radius: 1,
    }),
    0,
  );
  const e = { cx: 0, cy: 0, rx: 2, ry: 4, angle: 0 };
  assert.equal(ellipseRadius(2, 0, e), 1);
  assert.equal(ellipseRadius(0, 2, e), 0.5);
  // rotated a quarter turn: the long axis lies along x
  assert.ok(Math.abs(ellipseRadius(4, 0, { ...e, angle: Math.PI / 2 }) - 1) < 1e-9);
  const square = [
    { x: 0, y: 0 },
    { x: 10, y: 0 },
    { x: 10, y: 10 },
    { x: 0, y: 10 },
  ];
  assert.equal(polygonSignedDistance(5, 3, square), -3);
  assert.equal(polygonSignedDistance(13, 5, square), 3);
});

test("bodyModel keeps the person's own sides and finds face, scale and feet", () => {
  const body = bodyModel(frontalPerson());
  assert.ok(body.scale >= 100 && body.scale < 110, `scale ${body.scale}`);
  // arms[0] is the person's right arm: on the image left in a frontal view
  assert.equal(body.arms[0]!.points[0].x, 170);
  assert.equal(body.arms[1]!.points[0].x, 230);
  assert.ok(body.arms[0]!.points.length === 4, 'the hand extends the forearm');
  assert.ok(body.face && Math.abs(body.face.cx - 200) < 1 && body.face.cy > 62 && body.face.cy < 90);
  assert.ok(body.head!.cy < body.face!.cy);
  assert.equal(body.legs[1]!.points.at(-1)!.x, 220, 'legs reach the toes');
  assert.ok(body.feet[0]!.points[1].x === 180 && body.kneesSeen);
});

test('a leg cut off above the knee still goes down from the hip', () => {
  const k = frontalPerson();
  for (const i of [10, 11, 13, 14, 19, 22]) k[i] = { x: 0, y: 0, score: 0 };
  const body = bodyModel(k);
  const leg = body.legs[0]!;
  assert.equal(leg.points.length, 2);
  assert.ok(leg.points[1].y > 280 && Math.abs(leg.points[1].x - 185) < 1);
  assert.equal(body.kneesSeen, false);
  assert.equal(body.feet[0], undefined);
});

test('a barely-seen ankle gives no foot (no shoe zone from a guessed ankle)', () => {
  const kps = frontalPerson();
  kps[11] = { ...kps[11], score: 0.12 };
  const body = bodyModel(kps);
  assert.equal(body.feet[0], undefined, 'right ankle at 0.12');
  assert.ok(body.feet[1], 'left ankle at 0.9 keeps its foot');
  assert.ok(body.legs[0], 'the leg itself stays');
});
