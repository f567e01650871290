import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  boxRegion,
  cropAndResizeBox,
  fromCrop,
  keypointBox,
  letterboxRegion,
  moveNetCropRegion,
  pyramidLevel,
  type SquareRegion,
} from '../../../src/pose/topdown/crop.js';
import type { Keypoint } from '../../../src/types.js';

/** COCO-17 keypoints: shoulders at y=100, hips at y=200 (x 80/120), everything else `rest`. */
function person(rest: Keypoint = { x: 100, y: 150, score: 0.9 }): Keypoint[] {
  const kps = Array.from({ length: 17 }, () => ({ ...rest }));
  kps[5] = { x: 120, y: 100, score: 0.9 };
  kps[6] = { x: 80, y: 100, score: 0.9 };
  kps[11] = { x: 115, y: 200, score: 0.9 };
  kps[12] = { x: 85, y: 200, score: 0.9 };
  return kps;
}

test('fromCrop maps the crop corners and centre to the region in photo pixels', () => {
  const r: SquareRegion = { cx: 300, cy: 200, size: 100 };
  assert.deepEqual(fromCrop(r, 0, 0), { x: 250, y: 150 });
  assert.deepEqual(fromCrop(r, 1, 1), { x: 350, y: 250 });
  assert.deepEqual(fromCrop(r, 0.5, 0.5), { x: 300, y: 200 });
});

test('cropAndResizeBox: output pixel j samples the centre of cell j of the region', () => {
  const W = 640;
  const H = 480;
  const S = 256;
  const r: SquareRegion = { cx: 200, cy: 300, size: 512 };
  const [y1, x1, y2, x2] = cropAndResizeBox(r, W, H, S);
  // tf's sampling position for output column j: x1*(W-1) + j*(x2-x1)*(W-1)/(S-1), in pixel-index space
  // (pixel i's centre is at continuous coordinate i + 0.5).
  for (const j of [0, 100, 255]) {
    const sampleX = x1 * (W - 1) + (j * (x2 - x1) * (W - 1)) / (S - 1) + 0.5;
    const sampleY = y1 * (H - 1) + (j * (y2 - y1) * (H - 1)) / (S - 1) + 0.5;
    const cell = r.size / S;
    assert.ok(Math.abs(sampleX - (r.cx - r.size / 2 + (j + 0.5) * cell)) < 1e-9);
    assert.ok(Math.abs(sampleY - (r.cy - r.size / 2 + (j + 0.5) * cell)) < 1e-9);
  }
});

test('cropAndResizeBox on a half-resolution level gives the same photo positions', () => {
  const r: SquareRegion = { cx: 200, cy: 300, size: 512 };
  const full = cropAndResizeBox(r, 640, 480, 256, 1);
  const half = cropAndResizeBox(r, 320, 240, 256, 0.5);
  const xFull = full[1] * 639 + 0.5;
  const xHalf = (half[1] * 319 + 0.5) * 2;
  assert.ok(Math.abs(xFull - xHalf) < 1e-9);
});

test('letterboxRegion is the centred square of the longer side', () => {
  assert.deepEqual(letterboxRegion(768, 1024), { cx: 384, cy: 512, size: 1024 });
});

test('boxRegion: centred on the box, side = scale x longer side', () => {
  assert.deepEqual(boxRegion({ x: 10, y: 20, width: 40, height: 100 }, 1.5), { cx: 30, cy: 70, size: 150 });
});

test('moveNetCropRegion centres on the hips and takes the larger of 1.9 x torso, 1.2 x body', () => {
  const r = moveNetCropRegion(person(), 1000, 1000);
  assert.ok(r);
  assert.equal(r.cx, 100);
  assert.equal(r.cy, 200);
  // Torso: shoulders are 100 px above the hip centre -> half = 190 (body extent is 100 -> 120).
  assert.equal(r.size, 380);
  // A confident ankle 300 px below the hips makes the body term win: half = 360.
  const kps = person();
  kps[15] = { x: 100, y: 500, score: 0.9 };
  assert.equal(moveNetCropRegion(kps, 1000, 1000)?.size, 720);
  // ...unless it is below MoveNet's 0.2 score.
  kps[15].score = 0.1;
  assert.equal(moveNetCropRegion(kps, 1000, 1000)?.size, 380);
});

test('moveNetCropRegion is capped by the farthest photo edge, and needs a visible torso', () => {
  const kps = person();
  kps[15] = { x: 100, y: 500, score: 0.9 }; // wants half = 360
  const r = moveNetCropRegion(kps, 150, 250);
  assert.ok(r);
  // capped at max(cx, W-cx, cy, H-cy) = 200
  assert.equal(r.size, 400);
  const noTorso = person();
  noTorso[11].score = 0.1;
  noTorso[12].score = 0.1;
  assert.equal(moveNetCropRegion(noTorso, 1000, 1000), undefined);
});

test('keypointBox spans the points above the score threshold', () => {
  const b = keypointBox(
    [
      { x: 10, y: 20, score: 0.9 },
      { x: 50, y: 5, score: 0.5 },
      { x: 999, y: 999, score: 0.1 },
    ],
    0.2,
  );
  assert.deepEqual(b, { x: 10, y: 5, width: 40, height: 15 });
  assert.equal(keypointBox([{ x: 1, y: 1, score: 0 }]), undefined);
});

test('pyramidLevel never shrinks by more than 2x from the chosen level', () => {
  assert.equal(pyramidLevel({ cx: 0, cy: 0, size: 256 }, 256, 5), 0);
  assert.equal(pyramidLevel({ cx: 0, cy: 0, size: 511 }, 256, 5), 0);
  assert.equal(pyramidLevel({ cx: 0, cy: 0, size: 512 }, 256, 5), 1);
  assert.equal(pyramidLevel({ cx: 0, cy: 0, size: 1100 }, 256, 5), 2);
  assert.equal(pyramidLevel({ cx: 0, cy: 0, size: 1100 }, 256, 1), 1);
});
