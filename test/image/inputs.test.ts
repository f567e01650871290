import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expandInputs, globToRegExp } from '../../src/image/inputs.js';
import { tempDir } from '../helpers/images.js';

test('globs translate to anchored regular expressions', () => {
  assert.ok(globToRegExp('a/*.jpg').test('a/x.jpg'));
  assert.ok(!globToRegExp('a/*.jpg').test('a/b/x.jpg'));
  assert.ok(globToRegExp('a/**/*.jpg').test('a/b/c/x.jpg'));
  assert.ok(globToRegExp('a/**/*.jpg').test('a/x.jpg'));
  assert.ok(globToRegExp('p/img?.{png,jpg}').test('p/img1.png'));
  assert.ok(!globToRegExp('p/img?.{png,jpg}').test('p/img12.png'));
});

test('files, folders and globs expand in a stable, de-duplicated order', async () => {
  const dir = await tempDir();
  await mkdir(join(dir, 'sub'));
  for (const n of ['b.jpg', 'a.png', 'c.webp', 'notes.txt', 'sub/d.jpg', 'sub/e.JPG']) {
    await writeFile(join(dir, n), 'x');
  }
  const folder = await expandInputs([dir]);
  assert.deepEqual(
    folder.files.map((f) => f.slice(dir.length + 1)),
    ['a.png', 'b.jpg', 'c.webp'],
  );
  const rec = await expandInputs([dir], { recursive: true });
  assert.equal(rec.files.length, 5);
  const glob = await expandInputs([`${dir}/**/*.{jpg,JPG}`, join(dir, 'b.jpg')]);
  assert.deepEqual(
    glob.files.map((f) => f.slice(dir.length + 1)),
    ['b.jpg', 'sub/d.jpg', 'sub/e.JPG'],
  );
  // An explicitly named file is kept whatever its extension, so it gets its own error later.
  const explicit = await expandInputs([join(dir, 'notes.txt'), join(dir, 'nope.jpg'), `${dir}/*.gif`]);
  assert.deepEqual(explicit.files, [join(dir, 'notes.txt')]);
  assert.deepEqual(explicit.missing, [join(dir, 'nope.jpg'), `${dir}/*.gif`]);
});
