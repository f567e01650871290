import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { evalStem, pairByStem, readLabelFile } from '../../src/eval/files.js';
import { encodeGrayPng, encodeIndexedPng } from '../../src/image/png.js';
import { CIHP_PALETTE } from '../../src/parsing/labelsets.js';
import { tempDir } from '../helpers/images.js';

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** A 4-bit grayscale PNG (two samples per byte, MSB first), which sharp does not write. */
function gray4Png(rows: number[][]): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const w = rows[0].length;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(rows.length, 4);
  ihdr[8] = 4; // bit depth
  ihdr[9] = 0; // gray
  const raw = Buffer.concat(
    rows.map((r) => {
      const line = Buffer.alloc(1 + Math.ceil(w / 2));
      r.forEach((v, x) => (line[1 + (x >> 1)] |= x % 2 ? v : v << 4));
      return line;
    }),
  );
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('stems drop the extension and OpenPose suffixes', () => {
  assert.equal(evalStem('/a/03191_00_keypoints.json'), '03191_00');
  assert.equal(evalStem('x/03191_00_rendered.png'), '03191_00');
  assert.equal(evalStem('a.b.png'), 'a.b');
});

test("pairing by stem, with Dress Code's _0/_2/_4 naming as a fallback only when unambiguous", () => {
  const p = pairByStem(
    ['p/03191_00_keypoints.json', 'p/052012_0_keypoints.json', 'p/777_0.json', 'p/lonely.json'],
    ['g/03191_00_keypoints.json', 'g/052012_2.json', 'g/777_2.json', 'g/777_4.json', 'g/other.json'],
  );
  assert.deepEqual(
    p.pairs.map((x) => [x.pred, x.gt]),
    [
      ['p/03191_00_keypoints.json', 'g/03191_00_keypoints.json'],
      ['p/052012_0_keypoints.json', 'g/052012_2.json'],
    ],
  );
  assert.deepEqual(p.predOnly, ['p/777_0.json', 'p/lonely.json']); // 777 is ambiguous on the GT side
  assert.deepEqual(p.gtOnly, ['g/777_2.json', 'g/777_4.json', 'g/other.json']);
});

test('label files keep class ids: palette indices, gray values, RGB through the set palette', async () => {
  const dir = await tempDir();
  const ids = Uint8Array.from([0, 5, 10, 19, 255, 2]);
  const palette = Array.from({ length: 256 }, (_, i): [number, number, number] => [i, 0, 0]);
  await writeFile(join(dir, 'p.png'), encodeIndexedPng(ids, 3, 2, palette));
  await writeFile(join(dir, 'g.png'), encodeGrayPng(ids, 3, 2));
  const rgb = Buffer.alloc(6 * 3);
  [0, 5, 10, 13, 14, 2].forEach((c, i) => rgb.set(CIHP_PALETTE[c], i * 3));
  await sharp(rgb, { raw: { width: 3, height: 2, channels: 3 } })
    .png()
    .toFile(join(dir, 'rgb.png'));
  // 4-bit gray: decodePng stretches it to 0..255; the reader must give back the raw ids.
  await writeFile(
    join(dir, 'gray-any.png'),
    gray4Png([
      [0, 3, 7],
      [15, 1, 2],
    ]),
  );
  assert.deepEqual([...(await readLabelFile(join(dir, 'p.png'))).labels], [...ids]);
  assert.deepEqual([...(await readLabelFile(join(dir, 'g.png'))).labels], [...ids]);
  const r = await readLabelFile(join(dir, 'rgb.png'), 'cihp');
  assert.deepEqual([...r.labels], [0, 5, 10, 13, 14, 2]);
  assert.equal(r.width, 3);
  assert.deepEqual([...(await readLabelFile(join(dir, 'gray-any.png'))).labels], [0, 3, 7, 15, 1, 2]);
  await assert.rejects(readLabelFile(join(dir, 'rgb.png')), /label set/);
});
