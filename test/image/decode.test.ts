import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadPhoto, photoId } from '../../src/image/decode.js';
import { ParseposeError } from '../../src/errors.js';
import { tempDir, writeInputZoo } from '../helpers/images.js';

test('decodes JPEG, PNG, WebP, grayscale, CMYK, 16-bit and alpha to 8-bit RGB', async () => {
  const dir = await tempDir();
  const f = await writeInputZoo(dir);
  for (const name of ['jpeg', 'png', 'webp', 'gray', 'cmyk', 'png16', 'alpha'] as const) {
    const photo = await loadPhoto(f[name]);
    assert.equal(photo.width, 40, name);
    assert.equal(photo.height, 30, name);
    assert.equal(photo.rgb.length, 40 * 30 * 3, name);
  }
  // The gradient's red channel grows left to right in every colour variant.
  const png = await loadPhoto(f.png);
  assert.ok(png.rgb[(15 * 40 + 39) * 3] > 240 && png.rgb[15 * 40 * 3] < 15);
  const gray = await loadPhoto(f.gray);
  const i = (10 * 40 + 20) * 3;
  assert.equal(gray.rgb[i], gray.rgb[i + 1]);
  assert.equal(gray.rgb[i], gray.rgb[i + 2]);
  // Alpha 0.5 flattened on white: pixels are lighter than the opaque original.
  const alpha = await loadPhoto(f.alpha);
  assert.ok(alpha.rgb[15 * 40 * 3] > 100, 'transparent dark pixel flattened onto white');
  const p16 = await loadPhoto(f.png16);
  assert.ok(
    Math.abs(p16.rgb[(15 * 40 + 39) * 3] - png.rgb[(15 * 40 + 39) * 3]) <= 2,
    '16-bit scaled to 8-bit',
  );
});

test('applies EXIF orientation so phone photos stand up', async () => {
  const dir = await tempDir();
  const f = await writeInputZoo(dir);
  const photo = await loadPhoto(f.exif6);
  assert.equal(photo.width, 30);
  assert.equal(photo.height, 40);
  // Orientation 6: the stored left column (red 0) becomes the top row; red grows downwards.
  const top = photo.rgb[(0 * 30 + 15) * 3];
  const bottom = photo.rgb[(39 * 30 + 15) * 3];
  assert.ok(top < 40 && bottom > 210, `red top ${top} bottom ${bottom}`);
});

async function expectCode(path: string, code: string, pattern: RegExp, maxPixels?: number) {
  await assert.rejects(loadPhoto(path, { maxPixels }), (err: unknown) => {
    assert.ok(err instanceof ParseposeError);
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    assert.ok(err.message.includes(path), 'message names the file');
    return true;
  });
}

test('bad inputs get a specific error naming the file', async () => {
  const dir = await tempDir();
  const f = await writeInputZoo(dir);
  await expectCode(f.empty, 'EMPTY_FILE', /empty/);
  await expectCode(f.text, 'NOT_AN_IMAGE', /not an image/);
  await expectCode(f.truncated, 'UNREADABLE_IMAGE', /corrupt|truncated/);
  await expectCode(join(dir, 'missing.jpg'), 'NOT_FOUND', /does not exist/);
  await expectCode(f.jpeg, 'IMAGE_TOO_LARGE', /megapixels/, 1000);
});

test('refuses images over 50 megapixels by default without decoding them', async () => {
  const dir = await tempDir();
  const path = join(dir, 'huge.png');
  await sharp({ create: { width: 8000, height: 6400, channels: 3, background: '#808080' } })
    .png()
    .toFile(path);
  await expectCode(path, 'IMAGE_TOO_LARGE', /51\.2 megapixels/);
});

test('photo ids are file stems', async () => {
  assert.equal(photoId('/a/b/00006_00.jpg'), '00006_00');
  assert.equal(photoId('x.y.png'), 'x.y');
  const dir = await tempDir();
  await writeFile(join(dir, 'noext'), 'x');
  assert.equal(photoId(join(dir, 'noext')), 'noext');
});
