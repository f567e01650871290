import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodePng } from '../../src/image/png.js';
import { CIHP_PALETTE, vocPalette } from '../../src/parsing/labelsets.js';
import { drawText, sMapOverlayPng, sMapPng } from '../../src/parsing/output.js';
import type { LabelMap, Photo } from '../../src/types.js';

function sampleMap(set: LabelMap['set']): LabelMap {
  const width = 7;
  const height = 5;
  const labels = new Uint8Array(width * height);
  for (let i = 0; i < labels.length; i++) labels[i] = i % 20;
  return { width, height, labels, set };
}

/** The raw PLTE chunk of a PNG (RGB triples). */
function plteChunk(png: Buffer): Buffer {
  let pos = 8;
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    if (png.toString('latin1', pos + 4, pos + 8) === 'PLTE') return png.subarray(pos + 8, pos + 8 + len);
    pos += 12 + len;
  }
  throw new Error('no PLTE chunk');
}

test('sMapPng writes an 8-bit palette PNG: size, class ids as indices, the CIHP palette', () => {
  const map = sampleMap('cihp');
  const png = sMapPng(map);
  const d = decodePng(png);
  assert.equal(d.colorType, 3);
  assert.equal(d.bitDepth, 8);
  assert.equal(d.width, 7);
  assert.equal(d.height, 5);
  assert.deepEqual(Array.from(d.data), Array.from(map.labels));
  const plte = plteChunk(png);
  assert.equal(plte.length, 256 * 3, 'a full 256-entry palette, as PIL writes');
  CIHP_PALETTE.forEach((c, i) => assert.deepEqual([plte[i * 3], plte[i * 3 + 1], plte[i * 3 + 2]], [...c]));
  // entries past the set's classes are gray i, as PIL pads them
  assert.deepEqual([plte[100 * 3], plte[100 * 3 + 1], plte[100 * 3 + 2]], [100, 100, 100]);
});

test('LIP, ATR and Pascal maps carry the VOC palette SCHP writes', () => {
  const voc = vocPalette(20);
  for (const set of ['lip', 'atr', 'pascal'] as const) {
    const d = decodePng(sMapPng(sampleMap(set)));
    assert.deepEqual(d.palette![5], [...voc[5]], set);
    assert.deepEqual(d.palette![1], [128, 0, 0]);
    assert.deepEqual(d.palette![2], [0, 128, 0]);
  }
});

test('sMapOverlayPng tints labelled pixels, keeps background, and adds a legend panel', async () => {
  const width = 40;
  const height = 30;
  const rgb = new Uint8Array(width * height * 3).fill(200);
  const photo: Photo = { id: 'p', source: 'p', width, height, rgb };
  const labels = new Uint8Array(width * height);
  for (let y = 10; y < 20; y++) for (let x = 10; x < 20; x++) labels[y * width + x] = 13; // face: (0,0,255)
  const png = await sMapOverlayPng(photo, { width, height, labels, set: 'cihp' });
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.height, height);
  assert.ok(info.width > width, 'legend panel to the right');
  const px = (x: number, y: number): number[] =>
    Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
  assert.deepEqual(px(2, 2), [200, 200, 200]);
  const face = px(15, 15);
  assert.ok(face[2] > face[0] + 80, `tinted blue ${face}`);
  // the legend holds the face colour as a swatch somewhere in the panel
  let swatch = false;
  for (let y = 0; y < height && !swatch; y++) {
    for (let x = width; x < info.width; x++) {
      const p = px(x, y);
      if (p[0] === 0 && p[1] === 0 && p[2] === 255) swatch = true;
    }
  }
  assert.ok(swatch, 'legend swatch of the face colour');
});

test('drawText draws glyph dots and clips at the image border', () => {
  const rgb = new Uint8Array(10 * 9 * 3);
  drawText(rgb, 10, 9, 'I', 0, 0, 1, [255, 255, 255]);
  // 'I' row 0 is 01110
  assert.deepEqual([rgb[0], rgb[3], rgb[6], rgb[9], rgb[12]], [0, 255, 255, 255, 0]);
  drawText(rgb, 10, 9, 'HELLO', 8, 8, 2, [255, 0, 0]); // mostly outside: must not throw
});
