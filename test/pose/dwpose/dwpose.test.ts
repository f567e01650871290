import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnnxModel, saveOnnxModel, tensor } from '../../helpers/onnx-builder.js';
import { decodeYolox, nms, yoloxLetterbox } from '../../../src/pose/dwpose/yolox.js';
import { cropAffine, cropBox, decodeSimcc } from '../../../src/pose/dwpose/rtmpose.js';
import { openPoseFace } from '../../../src/pose/dwpose/wholebody.js';
import { applyAffine } from '../../../src/parsing/schp/affine.js';
import { createPoseEstimator } from '../../../src/pose/registry.js';
import { ParseposeError } from '../../../src/errors.js';
import type { Keypoint, Photo } from '../../../src/types.js';

const near = (a: number, b: number, eps = 1e-3): void => assert.ok(Math.abs(a - b) <= eps, `${a} vs ${b}`);

test('YOLOX letterbox: resized into the top-left corner, padded with 114', () => {
  // 4x2 photo into 8x8: ratio min(8/2, 8/4) = 2 -> 8x4 image in rows 0-3, rows 4-7 grey
  const rgb = new Uint8Array(4 * 2 * 3).fill(200);
  const { image, ratio } = yoloxLetterbox(rgb, 4, 2, 8, 114);
  assert.equal(ratio, 2);
  assert.equal(image[(3 * 8 + 7) * 3], 200);
  assert.equal(image[(4 * 8 + 0) * 3], 114);
  assert.equal(image[(7 * 8 + 7) * 3 + 2], 114);
});

/** A raw YOLOX output for a size-64 input (strides 8/16/32 -> 64 + 16 + 4 anchors), 2 classes. */
function yoloxRaw(set: (anchor: number, row: Float32Array) => void, anchors = 84, classes = 2): Float32Array {
  const stride = 5 + classes;
  const out = new Float32Array(anchors * stride);
  for (let a = 0; a < anchors; a++) {
    const row = out.subarray(a * stride, (a + 1) * stride);
    set(a, row);
  }
  return out;
}

test('YOLOX decoding: grid offset and exp size per stride, score = objectness x class', () => {
  // stride-16 grid is 4x4 starting at anchor 64; cell (gx=1, gy=2) is anchor 64 + 2*4 + 1 = 73
  const raw = yoloxRaw((a, r) => {
    if (a === 73) r.set([0.5, 0.5, Math.log(2), Math.log(3), 0.9, 0.8, 0.1]);
    if (a === 5) r.set([0, 0, 0, 0, 0.9, 0.05, 0.9]); // another class: person score 0.045
  });
  const dets = decodeYolox(raw, 64, [8, 16, 32], 0.5, 0, 0.1);
  assert.equal(dets.length, 1);
  // centre (1.5*16, 2.5*16) = (24, 40), size (32, 48); divided by the ratio 0.5
  const d = dets[0];
  near(d.x1, (24 - 16) / 0.5);
  near(d.y1, (40 - 24) / 0.5);
  near(d.x2, (24 + 16) / 0.5);
  near(d.y2, (40 + 24) / 0.5);
  near(d.score, 0.72);
});

test('NMS keeps the best of overlapping boxes and separate boxes', () => {
  const kept = nms(
    [
      { x1: 0, y1: 0, x2: 99, y2: 99, score: 0.5 },
      { x1: 5, y1: 5, x2: 104, y2: 104, score: 0.9 },
      { x1: 200, y1: 0, x2: 299, y2: 99, score: 0.4 },
    ],
    0.45,
  );
  assert.deepEqual(
    kept.map((d) => d.score),
    [0.9, 0.4],
  );
});

test('RTMPose crop: box x1.25, widened to 3:4, centred in the 288x384 input', () => {
  const b = cropBox(10, 20, 50, 100, 1.25, 288, 384);
  // 40x80 -> 50x100 -> width raised to 75 (3:4)
  assert.deepEqual(b, { cx: 30, cy: 60, sw: 75, sh: 100 });
  const m = cropAffine(b, 288, 384);
  assert.deepEqual(applyAffine(m, 30, 60), [144, 192]);
  const [x, y] = applyAffine(m, 30 - 37.5, 60 - 50);
  near(x, 0);
  near(y, 0);
});

test('SimCC decoding: argmax / 2, score = min of the two maxima, no score -> missing', () => {
  const kx = new Float32Array(2 * 576);
  const ky = new Float32Array(2 * 768);
  kx[100] = 0.9; // keypoint 0 at x bin 100
  ky[300] = 0.7; // ... y bin 300
  // keypoint 1: all zero -> missing
  const box = { cx: 144, cy: 192, sw: 288, sh: 384 }; // the crop is the input itself
  const [k0, k1] = decodeSimcc(kx, ky, 2, 2, box, 288, 384);
  assert.deepEqual(k0, { x: 50, y: 150, score: Math.fround(0.7) });
  assert.deepEqual(k1, { x: 0, y: 0, score: 0 });
});

test('the OpenPose face: 68 points then the pupils as eye-contour centroids', () => {
  const face68: Keypoint[] = Array.from({ length: 68 }, (_, i) => ({ x: i, y: 2 * i, score: 0.5 + i / 200 }));
  const face = openPoseFace(face68);
  assert.equal(face.length, 70);
  assert.deepEqual(face[67], face68[67]);
  assert.deepEqual(face[68], { x: 38.5, y: 77, score: 0.5 + 36 / 200 });
  assert.deepEqual(face[69], { x: 44.5, y: 89, score: 0.5 + 42 / 200 });
});

/**
 * YOLOX shaped like yolox_l.onnx (input `images` 1x3x640x640, output `output` 1x8400x85) returning fixed
 * predictions: a person at stride-32 cell (5, 10) spanning (40, 80)-(280, 560) with score 0.81, a weaker
 * duplicate at the next cell, and a confident non-person.
 */
function yoloxModel(withPerson: boolean): Uint8Array {
  const raw = yoloxRaw(
    (a, r) => {
      if (!withPerson) return;
      const s32 = 6400 + 1600; // first stride-32 anchor; the grid is 20x20
      if (a === s32 + 10 * 20 + 5) r.set([0, 0, Math.log(7.5), Math.log(15), 0.9, 0.9], 0);
      if (a === s32 + 10 * 20 + 6) r.set([-1, 0, Math.log(7), Math.log(15), 0.8, 0.7], 0);
      if (a === 100) r.set([0, 0, 0, 0, 0.95, 0.0, 0.99], 0);
    },
    8400,
    80,
  );
  return buildOnnxModel({
    inputs: [{ name: 'images', shape: [1, 3, 640, 640] }],
    outputs: [{ name: 'output', shape: [1, 8400, 85] }],
    initializers: [tensor('pred', [1, 8400, 85], raw)],
    nodes: [{ opType: 'Identity', inputs: ['pred'], outputs: ['output'] }],
  });
}

/** RTMPose shaped like dw-ll_ucoco_384.onnx with fixed SimCC peaks: keypoint -> [x bin, y bin, score]. */
function rtmposeModel(peaks: Record<number, [number, number, number]>): Uint8Array {
  const x = new Float32Array(133 * 576);
  const y = new Float32Array(133 * 768);
  for (const [k, [bx, by, s]] of Object.entries(peaks)) {
    assert.ok(
      Number.isInteger(bx) && Number.isInteger(by),
      `keypoint ${k}: bins must be whole (${bx}, ${by})`,
    );
    x[Number(k) * 576 + bx] = s;
    y[Number(k) * 768 + by] = s;
  }
  return buildOnnxModel({
    inputs: [{ name: 'input', shape: [1, 3, 384, 288] }],
    outputs: [
      { name: 'simcc_x', shape: [1, 133, 576] },
      { name: 'simcc_y', shape: [1, 133, 768] },
    ],
    initializers: [tensor('cx', [1, 133, 576], x), tensor('cy', [1, 133, 768], y)],
    nodes: [
      { opType: 'Identity', inputs: ['cx'], outputs: ['simcc_x'] },
      { opType: 'Identity', inputs: ['cy'], outputs: ['simcc_y'] },
    ],
  });
}

async function modelDir(det: Uint8Array, pose: Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parsepose-dwpose-'));
  await writeFile(join(dir, 'yolox_l.onnx'), det);
  await writeFile(join(dir, 'dw-ll_ucoco_384.onnx'), pose);
  return dir;
}

const blank = (w: number, h: number): Photo => ({
  id: 'p',
  source: 'p',
  width: w,
  height: h,
  rgb: new Uint8Array(w * h * 3),
});

test('dwpose end to end: one person, keypoints mapped back through the crop, BODY_25 + hands + face', async () => {
  // Box (40,80)-(280,560) -> x1.25 = 300x600 -> 450x600 (3:4), centre (160, 320).
  // Photo x = bin/2/288*450 + 160 - 225 = 0.78125*bin - 65; y = bin/2/384*600 + 320 - 300 = 0.78125*bin + 20
  // (coordinates below are chosen so that the bins are whole).
  const X = (px: number): number => (px + 65) / 0.78125;
  const Y = (py: number): number => (py - 20) / 0.78125;
  const peaks: Record<number, [number, number, number]> = {
    0: [X(160), Y(120), 0.9], // nose
    5: [X(235), Y(220), 0.8], // left shoulder
    6: [X(85), Y(220), 0.6], // right shoulder
    18: [X(210), Y(545), 0.7], // left small toe (COCO-WholeBody 18)
    91: [X(260), Y(395), 0.5], // left-hand wrist
    132: [X(60), Y(420), 0.4], // right-hand little fingertip
    [23 + 30]: [X(160), Y(145), 0.9], // face point 30 (nose tip)
  };
  for (let i = 36; i <= 47; i++) peaks[23 + i] = [X(i < 42 ? 135 : 185), Y(95), 0.8];
  const dir = await modelDir(yoloxModel(true), rtmposeModel(peaks));
  const est = await createPoseEstimator(`dwpose:${dir}`, { quality: 'balanced' });
  assert.equal(est.id, 'dwpose');
  const people = await est.estimate(blank(320, 640));
  assert.equal(people.length, 1, 'the duplicate box is suppressed, the non-person ignored');
  const [p] = people;
  near(p.score, 0.81);
  near(p.box.x, 40);
  near(p.box.y, 80);
  near(p.box.width, 240);
  near(p.box.height, 480);
  const k = p.keypoints;
  assert.equal(k.length, 25);
  near(k[0].x, 160);
  near(k[0].y, 120);
  near(k[5].x, 235); // LShoulder
  near(k[2].x, 85); // RShoulder
  near(k[1].x, 160); // Neck = shoulders' midpoint
  near(k[1].y, 220);
  near(k[1].score, 0.6);
  near(k[20].x, 210); // LSmallToe: a real toe, not a copy of the big toe
  near(k[20].y, 545);
  assert.equal(k[19].score, 0); // LBigToe not predicted
  assert.equal(k[8].score, 0); // MidHip needs both hips
  assert.equal(p.handLeft?.length, 21);
  near(p.handLeft![0].x, 260);
  assert.equal(p.handRight?.length, 21);
  near(p.handRight![20].y, 420);
  assert.equal(p.face?.length, 70);
  near(p.face![30].x, 160);
  near(p.face![68].x, 135); // right pupil
  near(p.face![69].x, 185); // left pupil
  assert.equal(p.extra?.skeleton, 'wholebody133');
  assert.equal(p.extra?.keypoints.length, 133);
});

test('dwpose: no detection -> the whole photo is tried, and dropped when no body shows', async () => {
  const weak = await modelDir(yoloxModel(false), rtmposeModel({ 0: [10, 10, 0.9] }));
  assert.deepEqual(
    await (await createPoseEstimator(`dwpose:${weak}`, { quality: 'fast' })).estimate(blank(64, 64)),
    [],
  );
  // every body point confidently found -> one person over the whole photo
  const body: Record<number, [number, number, number]> = {};
  for (let i = 0; i < 17; i++) body[i] = [100 + i, 200 + i, 0.9];
  const strong = await modelDir(yoloxModel(false), rtmposeModel(body));
  const people = await (
    await createPoseEstimator(`dwpose:${strong}`, { quality: 'fast' })
  ).estimate(blank(288, 384));
  assert.equal(people.length, 1);
  // the whole-photo box 288x384 x1.25 -> 360x480, centre (144, 192): x = bin/2 * 1.25 - 36
  near(people[0].keypoints[0].x, 100 * 0.625 - 36);
});

test('dwpose: wrong files and missing files are explained', async () => {
  const swapped = await modelDir(rtmposeModel({}), yoloxModel(true));
  await assert.rejects(createPoseEstimator(`dwpose:${swapped}`, { quality: 'fast' }), (err: unknown) => {
    assert.ok(err instanceof ParseposeError);
    assert.equal(err.code, 'BAD_MODEL');
    assert.match(err.message, /YOLOX/);
    return true;
  });
  const saved = process.env.PARSEPOSE_CACHE;
  process.env.PARSEPOSE_CACHE = await mkdtemp(join(tmpdir(), 'parsepose-cache-'));
  try {
    await assert.rejects(
      createPoseEstimator('dwpose', { quality: 'fast' }),
      /yolox_l\.onnx.*parsepose models pull dwpose/s,
    );
  } finally {
    if (saved === undefined) delete process.env.PARSEPOSE_CACHE;
    else process.env.PARSEPOSE_CACHE = saved;
  }
  const path = await saveOnnxModel(rtmposeModel({}), 'dw-ll_ucoco_384.onnx');
  assert.ok(path.endsWith('dw-ll_ucoco_384.onnx'));
});
