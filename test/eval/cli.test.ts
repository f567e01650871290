import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { encodeGrayPng, encodeIndexedPng } from '../../src/image/png.js';
import { CIHP_PALETTE } from '../../src/parsing/labelsets.js';
import { writeOpenPoseJson } from '../../src/pose/openpose-json.js';
import { toBody25 } from '../../src/pose/skeletons.js';
import type { Keypoint, Person } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/images.js';
import { needShared, sharedPath } from '../helpers/paths.js';

const W = 4;
const H = 3;

/** A prediction root (image-parse-v3/, openpose_json/) and a GT root (labels/ gray, openpose_json/, image/). */
async function fixtures() {
  const dir = await tempDir();
  const pred = join(dir, 'pred');
  const gt = join(dir, 'gt');
  for (const d of [
    join(pred, 'image-parse-v3'),
    join(pred, 'openpose_json'),
    join(gt, 'labels'),
    join(gt, 'openpose_json'),
    join(gt, 'image'),
  ]) {
    await mkdir(d, { recursive: true });
  }
  // a: exact but for one pixel (GT 13 face, predicted 2 hair); b: perfect.
  const gtA = Uint8Array.from([0, 0, 5, 5, 0, 13, 13, 5, 0, 14, 15, 255]);
  const predA = Uint8Array.from([0, 0, 5, 5, 0, 2, 13, 5, 0, 14, 15, 0]);
  await writeFile(join(pred, 'image-parse-v3', 'a.png'), encodeIndexedPng(predA, W, H, CIHP_PALETTE));
  await writeFile(join(gt, 'labels', 'a.png'), encodeGrayPng(gtA, W, H));
  await writeFile(
    join(pred, 'image-parse-v3', 'b.png'),
    encodeIndexedPng(
      gtA.map((v) => (v === 255 ? 0 : v)),
      W,
      H,
      CIHP_PALETTE,
    ),
  );
  await writeFile(join(gt, 'labels', 'b.png'), encodeGrayPng(gtA, W, H));
  await sharp({ create: { width: W, height: H, channels: 3, background: '#808080' } })
    .jpeg()
    .toFile(join(gt, 'image', 'a.jpg'));
  return { dir, pred, gt };
}

function person(kps: Keypoint[]): Person {
  return { keypoints: kps, score: 0.9, box: { x: 0, y: 0, width: 1, height: 1 } };
}

test('eval parse --json: LIP-protocol keys and hand-checkable figures; exit 0', async () => {
  const { pred, gt } = await fixtures();
  const r = await runCli(['eval', 'parse', '--pred', pred, '--gt', gt, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  for (const k of ['mIoU', 'mIoU_all', 'pixelAccuracy', 'perClass']) assert.ok(k in j, k);
  // 22 scored pixels (one 255 per image ignored), one wrong: face predicted as hair.
  assert.equal(j.pixels, 22);
  assert.equal(j.pixelAccuracy, Math.round((21 / 22) * 1e6) / 1e6);
  const face = j.perClass.find((c: { name: string }) => c.name === 'Face');
  assert.equal(face.iou, Math.round((3 / 4) * 1e6) / 1e6); // TP 3, GT 4, pred 3
  const hair = j.perClass.find((c: { name: string }) => c.name === 'Hair');
  assert.equal(hair.iou, 0);
  assert.equal(j.perClass.find((c: { name: string }) => c.name === 'Hat').iou, null);
  // Present classes: bg 1, hair 0, upper 1, face 3/4, left arm 1, right arm 1.
  assert.ok(Math.abs(j.mIoU - 4.75 / 6) < 1e-6);
  assert.ok(Math.abs(j.mIoU_all - 4.75 / 20) < 1e-6);
  const human = await runCli(['eval', 'parse', '--pred', pred, '--gt', gt]);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /mIoU_all \(SCHP\)/);
  assert.match(human.stdout, /13 Face\s+75\.00/);
});

test('eval parse: a size mismatch is reported for that file and exits 1; usage errors exit 2', async () => {
  const { pred, gt } = await fixtures();
  await writeFile(
    join(pred, 'image-parse-v3', 'c.png'),
    encodeIndexedPng(new Uint8Array(6), 3, 2, CIHP_PALETTE),
  );
  await writeFile(join(gt, 'labels', 'c.png'), encodeGrayPng(new Uint8Array(12), W, H));
  const r = await runCli(['eval', 'parse', '--pred', pred, '--gt', gt, '--json']);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.stdout);
  assert.equal(j.images, 2);
  assert.match(j.failed[0].error, /size mismatch: prediction 3x2, ground truth 4x3/);
  assert.match(r.stderr, /size mismatch/);
  assert.equal((await runCli(['eval', 'parse', '--pred', pred])).code, 2);
  assert.equal((await runCli(['eval', 'nosuch', '--pred', pred, '--gt', gt])).code, 2);
  const pascal = await runCli([
    'eval',
    'parse',
    '--pred',
    pred,
    '--gt',
    gt,
    '--pred-labels',
    'pascal',
    '--gt-labels',
    'cihp',
  ]);
  assert.equal(pascal.code, 2);
  assert.match(pascal.stderr, /pascal/);
});

test('eval pose against COCO keypoints: perfect predictions give AP 1; --json keys', async () => {
  const { dir, pred } = await fixtures();
  const cocoKps = Array.from({ length: 17 }, (_, k) => [100 + 7 * k, 50 + 20 * k, 2]).flat();
  const gtFile = join(dir, 'coco.json');
  await writeFile(
    gtFile,
    JSON.stringify({
      images: [
        { id: 5, file_name: 'a.jpg' },
        { id: 9, file_name: 'b.jpg' },
      ],
      annotations: [
        {
          id: 1,
          image_id: 5,
          category_id: 1,
          keypoints: cocoKps,
          num_keypoints: 17,
          area: 20000,
          bbox: [90, 40, 130, 350],
          iscrowd: 0,
        },
        {
          id: 2,
          image_id: 9,
          category_id: 1,
          keypoints: cocoKps,
          num_keypoints: 17,
          area: 20000,
          bbox: [90, 40, 130, 350],
          iscrowd: 0,
        },
      ],
    }),
  );
  const asKeypoints: Keypoint[] = Array.from({ length: 17 }, (_, k) => ({
    x: cocoKps[3 * k],
    y: cocoKps[3 * k + 1],
    score: 1,
  }));
  const body = toBody25('coco17', asKeypoints);
  await writeFile(join(pred, 'openpose_json', 'a_keypoints.json'), writeOpenPoseJson([person(body)]));
  await writeFile(join(pred, 'openpose_json', 'b_keypoints.json'), writeOpenPoseJson([person(body)]));
  const r = await runCli(['eval', 'pose', '--pred', pred, '--gt', gtFile, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  for (const k of ['AP', 'AP50', 'AP75', 'AR']) assert.equal(j[k], 1, k);
  // Without b's prediction its person counts as missed: recall 1/2.
  await writeFile(join(pred, 'openpose_json', 'b_keypoints.json'), writeOpenPoseJson([]));
  const half = JSON.parse((await runCli(['eval', 'pose', '--pred', pred, '--gt', gtFile, '--json'])).stdout);
  assert.equal(half.AR, 0.5);
  const human = await runCli(['eval', 'pose', '--pred', pred, '--gt', gtFile]);
  assert.match(human.stdout, /AP50\s+50\.50/); // 51 of 101 recall points at precision 1
});

test('eval pose against OpenPose references: PCK per keypoint type, image height from the photo', async () => {
  const { pred, gt } = await fixtures();
  // The photo a.jpg is 4x3: image height 3 px, so alpha 0.5 -> 1.5 px.
  const ref = Array.from({ length: 25 }, () => ({ x: 1, y: 1, score: 0.9 }));
  const shifted = ref.map((k, i) => ({ ...k, x: k.x + (i < 10 ? 1 : 2) }));
  await writeFile(join(gt, 'openpose_json', 'a_keypoints.json'), writeOpenPoseJson([person(ref)]));
  await writeFile(join(pred, 'openpose_json', 'a_keypoints.json'), writeOpenPoseJson([person(shifted)]));
  const r = await runCli(['eval', 'pose', '--pred', pred, '--gt', gt, '--alpha', '0.5,1', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.PCK['0.5'], 0.4); // 10 of 25 within 1.5 px
  assert.equal(j.PCK['1'], 1);
  assert.equal(j.perKeypoint.length, 25);
  assert.equal(j.perKeypoint[0].pck['0.5'], 1);
  assert.equal(j.perKeypoint[24].pck['0.5'], 0);
  const human = await runCli(['eval', 'pose', '--pred', pred, '--gt', gt, '--alpha', '0.5']);
  assert.match(human.stdout, /RHeel\s+1\s+0\.00/);
});

test('eval report writes one HTML contact sheet with embedded PNG thumbnails and per-photo scores', async () => {
  const { dir, pred, gt } = await fixtures();
  const out = join(dir, 'report.html');
  const r = await runCli(['eval', 'report', '--pred', pred, '--gt', gt, '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  const html = await readFile(out, 'utf8');
  assert.match(html, /<th>a<\/th>/);
  assert.match(html, /<th>b<\/th>/);
  assert.ok((html.match(/data:image\/png;base64,/g) ?? []).length >= 4);
  assert.match(html, /mIoU 100\.0/); // b is perfect
  assert.equal((await runCli(['eval', 'report', '--pred', pred, '--gt', gt])).code, 2);
});

test(
  'on ../shared: VITON-HD references scored against themselves are perfect',
  { skip: needShared('eval', 'multimodal-garment-designer') },
  async () => {
    const v = sharedPath('eval', 'multimodal-garment-designer', 'assets', 'data', 'vitonhd', 'test');
    const parse = JSON.parse((await runCli(['eval', 'parse', '--pred', v, '--gt', v, '--json'])).stdout);
    assert.equal(parse.mIoU, 1);
    assert.equal(parse.images, 2);
    const pose = JSON.parse((await runCli(['eval', 'pose', '--pred', v, '--gt', v, '--json'])).stdout);
    assert.equal(pose.PCK['0.05'], 1);
    assert.equal(pose.images, 2);
  },
);
