import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/io/atomic.js';
import { encodeNpyFloat32 } from '../../src/io/npy.js';
import { tempDir } from '../helpers/images.js';

test('atomic writes create folders, replace files and leave no temp files', async () => {
  const dir = await tempDir();
  const f = join(dir, 'a', 'b', 'x.txt');
  await writeFileAtomic(f, 'one');
  await writeFileAtomic(f, 'two');
  assert.equal(await readFile(f, 'utf8'), 'two');
  assert.deepEqual(await readdir(join(dir, 'a', 'b')), ['x.txt']);
});

test('npy header is numpy format 1.0, 64-byte aligned, with the shape', () => {
  const b = encodeNpyFloat32(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
  assert.equal(b.toString('latin1', 0, 6), '\x93NUMPY');
  const hlen = b.readUInt16LE(8);
  assert.equal((10 + hlen) % 64, 0);
  assert.match(
    b.toString('latin1', 10, 10 + hlen),
    /'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\)/,
  );
  assert.equal(new Float32Array(b.buffer.slice(b.byteOffset + 10 + hlen, b.byteOffset + b.length))[5], 6);
});
