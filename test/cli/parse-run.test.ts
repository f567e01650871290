import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodePng } from '../../src/image/png.js';
import { LABEL_SETS } from '../../src/parsing/labelsets.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/images.js';
import { examplePhoto } from '../helpers/paths.js';

test('run writes S-maps and P-maps in one pass; the S-map PNG is a palette PNG of the photo size', async () => {
  const out = await tempDir();
  const r = await runCli(['run', examplePhoto(1), '-o', out, '--json', '--workers', '1']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.succeeded, 1);
  assert.ok(s.results[0].labelsPresent.includes(13), 'faces labelled');
  for (const f of [
    'openpose_json/sample1_keypoints.json',
    'openpose_img/sample1_rendered.png',
    'image-parse-vis/sample1.png',
  ]) {
    assert.ok(existsSync(join(out, f)), f);
  }
  const png = decodePng(await readFile(join(out, 'image-parse-v3', 'sample1.png')));
  const meta = await sharp(examplePhoto(1)).metadata();
  assert.deepEqual([png.width, png.height, png.colorType, png.bitDepth], [meta.width, meta.height, 3, 8]);
  assert.deepEqual(png.palette!.slice(0, 20), LABEL_SETS.cihp.palette);
  const people = JSON.parse(await readFile(join(out, 'openpose_json/sample1_keypoints.json'), 'utf8')).people;
  assert.equal(people.length, s.people);
});

test('parse --labels lip --logits writes the VOC palette and C x H x W probabilities that sum to 1', async () => {
  const out = await tempDir();
  const photo = join(out, 'small.jpg');
  await sharp(examplePhoto(3)).resize(320).jpeg().toFile(photo);
  const r = await runCli(['parse', photo, '-o', out, '--labels', 'lip', '--logits', '--workers', '1']);
  assert.equal(r.code, 0, r.stderr);
  const png = decodePng(await readFile(join(out, 'image-parse-v3', 'small.png')));
  assert.deepEqual(png.palette!.slice(0, 20), LABEL_SETS.lip.palette);
  for (const v of png.data) assert.ok(v < 20 && v !== 10, `LIP label ${v} (no neck class in LIP output)`);
  const npy = await readFile(join(out, 'image-parse-prob', 'small.npy'));
  const hlen = npy.readUInt16LE(8);
  assert.match(
    npy.toString('latin1', 10, 10 + hlen),
    new RegExp(`'shape': \\(20, ${png.height}, ${png.width}\\)`),
  );
  const probs = new Float32Array(npy.buffer.slice(npy.byteOffset + 10 + hlen, npy.byteOffset + npy.length));
  const n = png.width * png.height;
  for (const i of [0, Math.floor(n / 2), n - 1]) {
    let sum = 0;
    for (let c = 0; c < 20; c++) sum += probs[c * n + i];
    assert.ok(Math.abs(sum - 1) < 1e-3, `probabilities sum to ${sum}`);
  }
  const pascal = await runCli(['parse', photo, '-o', join(out, 'p'), '--labels', 'pascal', '--workers', '1']);
  assert.equal(pascal.code, 0, pascal.stderr);
  const p = decodePng(await readFile(join(out, 'p', 'image-parse-v3', 'small.png')));
  for (const v of p.data) assert.ok(v < 7, `Pascal label ${v}`);
});
