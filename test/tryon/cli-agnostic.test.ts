import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { main } from '../../src/cli/main.js';
import { decodePng, encodeIndexedPng } from '../../src/image/png.js';
import { LABEL_SETS } from '../../src/parsing/labelsets.js';
import { writeOpenPoseJson } from '../../src/pose/openpose-json.js';
import { parseAgnostic } from '../../src/tryon/agnostic.js';
import type { Keypoint, LabelMap } from '../../src/types.js';

const W = 192;
const H = 256;

function keypoints(): Keypoint[] {
  const pts: Record<number, [number, number]> = {
    1: [96, 60],
    2: [70, 62],
    3: [58, 110],
    4: [55, 150],
    5: [122, 62],
    6: [136, 110],
    7: [140, 150],
    8: [96, 140],
    9: [80, 140],
    12: [112, 140],
  };
  return Array.from({ length: 25 }, (_, i) =>
    pts[i] ? { x: pts[i][0], y: pts[i][1], score: 0.8 } : { x: 0, y: 0, score: 0 },
  );
}

function parseMap(): LabelMap {
  const labels = new Uint8Array(W * H);
  const fill = (x0: number, y0: number, x1: number, y1: number, l: number): void => {
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) labels[y * W + x] = l;
  };
  fill(80, 20, 112, 55, 13);
  fill(88, 56, 104, 61, 10);
  fill(66, 62, 126, 145, 5);
  fill(50, 62, 65, 160, 15);
  fill(127, 62, 145, 160, 14);
  fill(72, 146, 120, 250, 9);
  return { width: W, height: H, labels, set: 'cihp' };
}

/** Writes a person photo, its S-map and pose, and a product shot into a fresh folder. */
async function fixture(): Promise<{
  dir: string;
  image: string;
  parse: string;
  pose: string;
  cloth: string;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'parsepose-agnostic-'));
  const rgb = new Uint8Array(W * H * 3);
  for (let p = 0; p < W * H; p++) rgb.set([200, (p * 3) % 255, 90], p * 3);
  const image = join(dir, 'person 01.jpg');
  await sharp(rgb, { raw: { width: W, height: H, channels: 3 } })
    .jpeg()
    .toFile(image);
  const parse = join(dir, 'person 01.png');
  const map = parseMap();
  writeFileSync(parse, encodeIndexedPng(map.labels, W, H, LABEL_SETS.cihp.palette));
  const pose = join(dir, 'person 01_keypoints.json');
  writeFileSync(
    pose,
    writeOpenPoseJson([{ keypoints: keypoints(), score: 0.8, box: { x: 0, y: 0, width: 1, height: 1 } }]),
  );
  const clothRgb = new Uint8Array(W * H * 3).fill(245);
  for (let y = 60; y < 200; y++) for (let x = 40; x < 150; x++) clothRgb.set([20, 20, 120], (y * W + x) * 3);
  const cloth = join(dir, 'shirt.jpg');
  await sharp(clothRgb, { raw: { width: W, height: H, channels: 3 } })
    .jpeg({ quality: 95 })
    .toFile(cloth);
  return { dir, image, parse, pose, cloth };
}

/** Runs the CLI in-process, capturing stdout and stderr. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    return { code: await main(['agnostic', ...args]), out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test('agnostic CLI writes the three files in the dataset layout, named after the photo', async () => {
  const f = await fixture();
  try {
    const outDir = join(f.dir, 'out');
    const r = await cli([
      '--image',
      f.image,
      '--parse',
      f.parse,
      '--pose',
      f.pose,
      '--cloth',
      f.cloth,
      '-o',
      outDir,
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    const summary = JSON.parse(r.out) as {
      stem: string;
      variant: string;
      outputs: Record<string, string>;
      missingKeypoints: string[];
    };
    assert.equal(summary.stem, 'person 01');
    assert.equal(summary.variant, 'hr-viton');
    assert.deepEqual(summary.missingKeypoints, []);
    const paPath = join(outDir, 'image-parse-agnostic-v3.2', 'person 01.png');
    const agPath = join(outDir, 'agnostic-v3.2', 'person 01.jpg');
    const cmPath = join(outDir, 'cloth-mask', 'shirt.jpg');
    assert.deepEqual(summary.outputs, { parseAgnostic: paPath, agnostic: agPath, clothMask: cmPath });
    // the S-map is a palette PNG in CIHP colours holding exactly the library's labels
    const png = decodePng(readFileSync(paPath));
    assert.equal(png.colorType, 3);
    assert.deepEqual(
      png.palette?.slice(0, 20),
      LABEL_SETS.cihp.palette.map((c) => [...c]),
    );
    assert.deepEqual(png.data, parseAgnostic(parseMap(), keypoints()).labels);
    const meta = await sharp(agPath).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', W, H]);
    const cm = await sharp(cmPath).extractChannel(0).raw().toBuffer();
    assert.ok(cm[100 * W + 100] >= 128 && cm[10 * W + 10] < 128);

    // a second run gives byte-identical files
    const before = [paPath, agPath, cmPath].map((p) => readFileSync(p));
    assert.equal(
      (
        await cli([
          '--image',
          f.image,
          '--parse',
          f.parse,
          '--pose',
          f.pose,
          '--cloth',
          f.cloth,
          '-o',
          outDir,
        ])
      ).code,
      0,
    );
    [paPath, agPath, cmPath].forEach((p, i) => assert.ok(readFileSync(p).equals(before[i]), p));
    // the other variant draws a different shape
    assert.equal(
      (
        await cli([
          '--image',
          f.image,
          '--parse',
          f.parse,
          '--pose',
          f.pose,
          '--variant',
          'viton-hd',
          '-o',
          outDir,
        ])
      ).code,
      0,
    );
    assert.ok(!readFileSync(agPath).equals(before[1]));
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test('agnostic CLI: usage errors exit 2, unreadable or mismatched inputs exit 1 naming the file', async () => {
  const f = await fixture();
  try {
    const outDir = join(f.dir, 'out');
    const usage = [
      ['--image', f.image, '--parse', f.parse, '--pose', f.pose],
      ['--image', f.image, '-o', outDir],
      ['-o', outDir],
      ['--image', f.image, '--parse', f.parse, '--pose', f.pose, '--variant', 'cp-vton', '-o', outDir],
      ['--image', f.image, '--parse', f.parse, '--pose', f.pose, '--parse-unit', 'wide', '-o', outDir],
      ['--image', f.image, '--parse', f.parse, '--pose', f.pose, '--bogus', '-o', outDir],
    ];
    for (const args of usage) assert.equal((await cli(args)).code, 2, args.join(' '));

    const bad = join(f.dir, 'bad.json');
    writeFileSync(bad, '{"people": [');
    const empty = join(f.dir, 'empty.json');
    writeFileSync(empty, '{"version":1.3,"people":[]}');
    const rgbParse = join(f.dir, 'rgb.png');
    await sharp(Buffer.alloc(W * H * 3, 9), { raw: { width: W, height: H, channels: 3 } })
      .png()
      .toFile(rgbParse);
    const small = join(f.dir, 'small.png');
    writeFileSync(small, encodeIndexedPng(new Uint8Array(10 * 10), 10, 10, LABEL_SETS.cihp.palette));
    const cases: Array<[string[], RegExp]> = [
      [
        ['--image', join(f.dir, 'nope.jpg'), '--parse', f.parse, '--pose', f.pose],
        /nope\.jpg: file does not exist/,
      ],
      [['--image', f.image, '--parse', f.image, '--pose', f.pose], /not a readable PNG/],
      [['--image', f.image, '--parse', rgbParse, '--pose', f.pose], /palette or grayscale/],
      [['--image', f.image, '--parse', small, '--pose', f.pose], /small\.png: S-map is 10x10/],
      [['--image', f.image, '--parse', f.parse, '--pose', bad], /bad\.json: not an OpenPose JSON file/],
      [['--image', f.image, '--parse', f.parse, '--pose', empty], /empty\.json: no person/],
    ];
    for (const [args, message] of cases) {
      const r = await cli([...args, '-o', outDir]);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.err, message);
    }
    assert.ok(!existsSync(join(outDir, 'agnostic-v3.2')), 'nothing written for failed inputs');
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});
