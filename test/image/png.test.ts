import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { decodePng, encodeGrayPng, encodeIndexedPng } from '../../src/image/png.js';
import { needShared, sharedPath } from '../helpers/paths.js';

test('palette PNG keeps indices and palette exactly, and sharp reads it as the palette colours', async () => {
  const w = 7;
  const h = 5;
  const idx = new Uint8Array(w * h).map((_, i) => i % 4);
  const palette: Array<[number, number, number]> = [
    [0, 0, 0],
    [255, 0, 0],
    [0, 128, 0],
    [10, 20, 30],
  ];
  const png = encodeIndexedPng(idx, w, h, palette);
  const d = decodePng(png);
  assert.equal(d.colorType, 3);
  assert.equal(d.bitDepth, 8);
  assert.deepEqual([d.width, d.height], [w, h]);
  assert.deepEqual([...d.data], [...idx]);
  assert.deepEqual(d.palette, palette);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 3);
  assert.deepEqual([...data.subarray(9, 12)], [10, 20, 30]); // pixel 3 has index 3
});

test('gray PNG round trip, and decoding of PNGs written by other encoders (filters)', async () => {
  const v = new Uint8Array(64 * 3).map((_, i) => (i * 7) % 256);
  assert.deepEqual([...decodePng(encodeGrayPng(v, 64, 3)).data], [...v]);
  // sharp uses adaptive filters (sub/up/avg/paeth): decoding must undo all of them.
  const rgb = Buffer.alloc(33 * 17 * 3).map((_, i) => (i * 31 + (i >> 5)) % 256);
  const png = await sharp(rgb, { raw: { width: 33, height: 17, channels: 3 } })
    .png({ adaptiveFiltering: true })
    .toBuffer();
  const d = decodePng(png);
  assert.equal(d.channels, 3);
  assert.deepEqual(Buffer.from(d.data), rgb);
});

test(
  'reads the reference VITON-HD S-map as class ids',
  { skip: needShared('eval', 'multimodal-garment-designer') },
  async () => {
    const file = sharedPath(
      'eval/multimodal-garment-designer/assets/data/vitonhd/test/image-parse-v3/03191_00.png',
    );
    const d = decodePng(await readFile(file));
    assert.deepEqual([d.width, d.height], [768, 1024]);
    assert.equal(d.colorType, 3);
    const present = new Set(d.data);
    for (const id of present) assert.ok(id < 20, `label ${id} is a CIHP id`);
    assert.ok(present.has(0) && present.has(13), 'background and face present');
  },
);
