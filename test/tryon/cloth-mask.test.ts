import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { loadPhoto } from '../../src/image/decode.js';
import { clothMask } from '../../src/tryon/cloth-mask.js';
import { encodeMaskJpeg } from '../../src/tryon/files.js';
import { HRVITON_DIR, SKIP_HRVITON } from './helpers.js';

const W = 160;
const H = 200;

/** Deterministic pseudo-random noise in -a..a. */
function noise(seed: number, a: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.round(((s / 2 ** 32) * 2 - 1) * a);
  };
}

/** A product shot: backdrop `bg` with noise, and pixels where `inside(x, y)` painted by `paint`. */
function shot(
  bg: number,
  inside: (x: number, y: number) => boolean,
  paint: (x: number, y: number) => number[],
): Uint8Array {
  const rnd = noise(7, 3);
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const c = inside(x, y) ? paint(x, y) : [bg, bg, bg];
      for (let k = 0; k < 3; k++) rgb[(y * W + x) * 3 + k] = Math.max(0, Math.min(255, c[k] + rnd()));
    }
  }
  return rgb;
}

const shirt = (x: number, y: number): boolean => ((x - 80) / 55) ** 2 + ((y - 100) / 75) ** 2 <= 1;

function iou(mask: Uint8Array, truth: (x: number, y: number) => boolean): number {
  let inter = 0;
  let union = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const a = mask[y * W + x] > 0;
      const b = truth(x, y);
      if (a && b) inter++;
      if (a || b) union++;
    }
  }
  return inter / union;
}

test('dark garment on a near-white backdrop, with a white print inside: the print is garment', () => {
  const logo = (x: number, y: number): boolean => Math.abs(x - 80) < 12 && Math.abs(y - 90) < 8;
  const rgb = shot(245, shirt, (x, y) => (logo(x, y) ? [250, 250, 250] : [30, 40, 90]));
  const mask = clothMask(rgb, W, H);
  assert.ok(
    mask.every((v) => v === 0 || v === 255),
    'values are 0/255',
  );
  assert.ok(iou(mask, shirt) > 0.97, `IoU ${iou(mask, shirt)}`);
  assert.equal(mask[90 * W + 80], 255, 'print inside the garment');
  assert.equal(mask[5 * W + 5], 0);
});

test('white garment on a white backdrop is held by its outline', () => {
  const ring = (x: number, y: number): boolean => {
    const d = ((x - 80) / 55) ** 2 + ((y - 100) / 75) ** 2;
    return d <= 1 && d > 0.93;
  };
  // the garment (249) is within the backdrop's tolerance; only its grey outline separates them
  const rgb = shot(244, shirt, (x, y) => (ring(x, y) ? [190, 190, 190] : [249, 249, 249]));
  const mask = clothMask(rgb, W, H);
  assert.ok(iou(mask, shirt) > 0.95, `IoU ${iou(mask, shirt)}`);
});

test('specks and a backdrop gradient do not become garment', () => {
  const rgb = shot(240, shirt, () => [120, 20, 20]);
  // a slow vertical gradient of the backdrop (studio light) and a few dust specks
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (shirt(x, y)) continue;
      for (let k = 0; k < 3; k++)
        rgb[(y * W + x) * 3 + k] = Math.min(255, rgb[(y * W + x) * 3 + k] + Math.round(y / 40));
    }
  }
  for (const [x, y] of [
    [10, 10],
    [150, 190],
    [5, 100],
  ]) {
    for (let k = 0; k < 3; k++) rgb[(y * W + x) * 3 + k] = 60;
  }
  const mask = clothMask(rgb, W, H);
  assert.equal(mask[10 * W + 10], 0);
  assert.equal(mask[190 * W + 150], 0);
  assert.ok(iou(mask, shirt) > 0.97);
});

test('clothMask is deterministic and validates its input', () => {
  const rgb = shot(245, shirt, () => [10, 10, 10]);
  assert.deepEqual(clothMask(rgb, W, H), clothMask(rgb, W, H));
  assert.throws(() => clothMask(rgb, W, H + 1), /width\*height\*3/);
  assert.throws(() => clothMask(rgb, 0, H), /size/);
});

test('the written JPEG thresholded at 128 (as VITON-HD reads it) is the mask', async () => {
  const rgb = shot(245, shirt, () => [10, 10, 10]);
  const mask = clothMask(rgb, W, H);
  const jpg = await encodeMaskJpeg(mask, W, H);
  assert.equal((await sharp(jpg).metadata()).channels, 1, 'a one-channel (PIL "L") JPEG like the datasets');
  const { data } = await sharp(jpg).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  let same = 0;
  for (let p = 0; p < mask.length; p++) if (data[p] >= 128 === mask[p] > 0) same++;
  assert.equal(same, mask.length);
});

test(
  'HR-VITON sample cloth 00006_00: agreement with the released cloth-mask',
  { skip: SKIP_HRVITON },
  async (t) => {
    const cloth = await loadPhoto(resolve(HRVITON_DIR, 'cloth', '00006_00.jpg'));
    const mask = clothMask(cloth.rgb, cloth.width, cloth.height);
    const ref = await sharp(resolve(HRVITON_DIR, 'cloth-mask', '00006_00.jpg'))
      .greyscale()
      .raw()
      .toBuffer();
    let inter = 0;
    let union = 0;
    let same = 0;
    for (let p = 0; p < mask.length; p++) {
      const a = mask[p] > 0;
      const b = ref[p] >= 128;
      if (a && b) inter++;
      if (a || b) union++;
      if (a === b) same++;
    }
    t.diagnostic(
      `cloth-mask IoU ${(inter / union).toFixed(4)}, pixel agreement ${((100 * same) / mask.length).toFixed(2)}%`,
    );
    assert.ok(inter / union > 0.97);
  },
);
