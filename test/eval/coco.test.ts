import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  evaluateKeypoints,
  oks,
  personToCocoDet,
  type CocoKeypointsGt,
  type CocoKeypointsDet,
} from '../../src/eval/coco.js';
import type { Keypoint } from '../../src/types.js';

// Hand-computed cases following pycocotools' computeOks / evaluateImg / accumulate. The AP of one
// threshold is the mean of the interpolated precision at the 101 recall points 0, 0.01, ..., 1.

const SIGMAS = [
  0.026, 0.025, 0.025, 0.035, 0.035, 0.079, 0.079, 0.072, 0.072, 0.062, 0.062, 0.107, 0.107, 0.087, 0.087,
  0.089, 0.089,
];

/** A standing person: 17 labelled points around (cx, cy), spread over about 100 x 300 px. */
function body(cx: number, cy: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < 17; k++) out.push(cx + ((k % 5) - 2) * 20, cy + (k - 8) * 18, 2);
  return out;
}

const shift = (kps: readonly number[], dx: number, dy = 0): number[] =>
  kps.map((v, i) => (i % 3 === 0 ? v + dx : i % 3 === 1 ? v + dy : v));

function ann(imageId: number, kps: number[], extra: Partial<CocoKeypointsGt['annotations'][number]> = {}) {
  return {
    image_id: imageId,
    keypoints: kps,
    num_keypoints: 17,
    area: 30000,
    bbox: [0, 0, 100, 300],
    iscrowd: 0,
    ...extra,
  };
}

const images = (...ids: number[]) => ids.map((id) => ({ id, file_name: `${id}.jpg` }));
/** Equal up to float rounding (precision is tp / (tp + fp + eps), as in pycocotools). */
function close(actual: number, expected: number, what = ''): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what} ${actual} vs ${expected}`);
}

const det = (imageId: number, keypoints: number[], score: number): CocoKeypointsDet => ({
  image_id: imageId,
  keypoints,
  score,
});

test('perfect prediction: AP = AR = 1 at every threshold', () => {
  const a = body(200, 300);
  const b = body(600, 300);
  const gt: CocoKeypointsGt = { images: images(1, 2), annotations: [ann(1, a), ann(1, b), ann(2, a)] };
  const s = evaluateKeypoints(gt, [det(1, a, 0.9), det(1, b, 0.8), det(2, a, 0.7)]);
  for (const k of ['AP', 'AP50', 'AP75', 'AR', 'AR50', 'AR75', 'APl'] as const) close(s[k], 1, k);
  assert.equal(s.APm, -1, 'no GT in the medium range (area 30000 > 96^2): -1 as in pycocotools');
});

test('shifted keypoints: OKS follows exp(-d^2 / (2 area (2 sigma)^2)) and AP counts the thresholds it passes', () => {
  const g = body(300, 300);
  const area = 10000;
  const d = 10;
  const expected = SIGMAS.reduce((s, sg) => s + Math.exp(-(d * d) / (2 * area * (2 * sg) ** 2)), 0) / 17;
  const value = oks(shift(g, d), { keypoints: g, area });
  assert.ok(Math.abs(value - expected) < 1e-12, `${value} vs ${expected}`);
  // By hand: 0.6468 -> passes 0.50, 0.55, 0.60 of the ten thresholds.
  assert.ok(value > 0.64 && value < 0.65);
  const s = evaluateKeypoints({ images: images(1), annotations: [ann(1, g, { area })] }, [
    det(1, shift(g, d), 1),
  ]);
  assert.ok(Math.abs(s.AP - 0.3) < 1e-12, `AP ${s.AP}`);
  close(s.AP50, 1, 'AP50');
  assert.equal(s.AP75, 0);
  assert.ok(Math.abs(s.AR - 0.3) < 1e-12);
  close(s.AR50, 1, 'AR50');
  assert.equal(s.AR75, 0);
});

test('only labelled GT points count in OKS; a point the detection lacks (0,0) scores about 0', () => {
  const g = body(300, 300);
  for (let k = 10; k < 17; k++) g[3 * k + 2] = 0; // 10 labelled points
  const dk = [...g];
  dk[0] = 0; // nose missing in the detection: far from the GT nose
  dk[1] = 0;
  const value = oks(dk, { keypoints: g, area: 30000 });
  assert.ok(Math.abs(value - 9 / 10) < 1e-6, `${value}`);
});

test('missing and extra detections: precision interpolated over 101 recall points', () => {
  const a = body(200, 300);
  const b = body(600, 300);
  const gt: CocoKeypointsGt = { images: images(1), annotations: [ann(1, a), ann(1, b)] };
  const far = body(2000, 2000);
  // TP (0.9) then FP (0.8); b missed: recall 0.5, precision 1 up to it -> 51 of 101 points at 1.
  let s = evaluateKeypoints(gt, [det(1, a, 0.9), det(1, far, 0.8)]);
  assert.ok(Math.abs(s.AP - 51 / 101) < 1e-12, `AP ${s.AP}`);
  close(s.AR, 0.5, 'AR');
  // FP ranked first: precision 0.5 wherever recall 0.5 is reachable -> 51 points at 0.5.
  s = evaluateKeypoints(gt, [det(1, a, 0.9), det(1, far, 0.95)]);
  assert.ok(Math.abs(s.AP - 25.5 / 101) < 1e-12, `AP ${s.AP}`);
  close(s.AR, 0.5, 'AR');
  // No detections at all.
  s = evaluateKeypoints(gt, []);
  assert.equal(s.AP, 0);
  assert.equal(s.AR, 0);
});

test('detections of all images are ranked together by score', () => {
  const a = body(200, 300);
  const gt: CocoKeypointsGt = { images: images(1, 2), annotations: [ann(1, a), ann(2, a)] };
  // Image 2's only detection is wrong and ranked first; image 1's is right: as the FP-first case above.
  const s = evaluateKeypoints(gt, [det(1, a, 0.6), det(2, body(900, 900), 0.9)]);
  assert.ok(Math.abs(s.AP - 25.5 / 101) < 1e-12, `AP ${s.AP}`);
});

test('crowd and num_keypoints==0 GT are ignored: not missed, and detections on them are not false positives', () => {
  const a = body(200, 300);
  const crowd = body(600, 300);
  const unlabelled = Array.from({ length: 51 }, () => 0);
  const gt: CocoKeypointsGt = {
    images: images(1),
    annotations: [
      ann(1, a),
      ann(1, crowd, { iscrowd: 1 }),
      ann(1, unlabelled, { num_keypoints: 0, bbox: [1000, 100, 100, 300] }),
    ],
  };
  // A detection on the crowd ranked above the TP, and one inside the unlabelled GT's box (k1 == 0 path).
  const inBox = body(1050, 250);
  const s = evaluateKeypoints(gt, [det(1, crowd, 0.95), det(1, a, 0.9), det(1, inBox, 0.85)]);
  close(s.AP, 1, 'AP');
  close(s.AR, 1, 'AR');
  // The same detections without the ignored GT: two false positives, one ranked first.
  const plain = evaluateKeypoints({ images: images(1), annotations: [ann(1, a)] }, [
    det(1, crowd, 0.95),
    det(1, a, 0.9),
    det(1, inBox, 0.85),
  ]);
  assert.ok(Math.abs(plain.AP - 0.5) < 1e-12, `AP ${plain.AP}`);
});

test('an image whose only GT is ignored still turns its detections into false positives elsewhere', () => {
  const a = body(200, 300);
  const gt: CocoKeypointsGt = { images: images(1, 2), annotations: [ann(1, a), ann(2, a, { iscrowd: 1 })] };
  // Detection far from image 2's crowd: an FP ranked first.
  const s = evaluateKeypoints(gt, [det(1, a, 0.5), det(2, body(2000, 2000), 0.9)]);
  assert.ok(Math.abs(s.AP - 0.5) < 1e-12, `AP ${s.AP}`);
});

test('area ranges: medium GT (32^2..96^2) scores APm, large is -1 when it has no GT', () => {
  const a = body(200, 300);
  const gt: CocoKeypointsGt = { images: images(1), annotations: [ann(1, a, { area: 5000 })] };
  const s = evaluateKeypoints(gt, [det(1, a, 1)]);
  close(s.APm, 1, 'APm');
  assert.equal(s.APl, -1);
  close(s.AP, 1, 'AP');
});

test('at most 20 detections per image count (the lowest-scored ones drop)', () => {
  const anns = [];
  const dets: CocoKeypointsDet[] = [];
  for (let i = 0; i < 21; i++) {
    const k = body(200 + i * 400, 300);
    anns.push(ann(1, k));
    dets.push(det(1, k, 1 - i / 100));
  }
  const s = evaluateKeypoints({ images: images(1), annotations: anns }, dets);
  assert.ok(Math.abs(s.AR - 20 / 21) < 1e-12, `AR ${s.AR}`);
});

test('a detection for an image the GT does not list is refused', () => {
  assert.throws(
    () => evaluateKeypoints({ images: images(1), annotations: [] }, [det(7, body(0, 0), 1)]),
    /image_id 7/,
  );
});

test('personToCocoDet reorders BODY_25 to COCO-17 and writes missing points as 0,0,0', () => {
  const kps: Keypoint[] = Array.from({ length: 25 }, (_, i) => ({ x: 10 * i + 1, y: 100 + i, score: 0.5 }));
  kps[16] = { x: 0, y: 0, score: 0 }; // LEye missing
  const d = personToCocoDet(3, { keypoints: kps, score: 0.7, box: { x: 0, y: 0, width: 1, height: 1 } });
  assert.equal(d.image_id, 3);
  assert.equal(d.score, 0.7);
  assert.equal(d.keypoints.length, 51);
  assert.deepEqual(d.keypoints.slice(0, 3), [1, 100, 0.5]); // nose
  assert.deepEqual(d.keypoints.slice(3, 6), [0, 0, 0]); // left_eye <- LEye (missing)
  assert.deepEqual(d.keypoints.slice(6, 9), [151, 115, 0.5]); // right_eye <- REye (15)
  assert.deepEqual(d.keypoints.slice(15, 18), [51, 105, 0.5]); // left_shoulder <- LShoulder (5)
  assert.deepEqual(d.keypoints.slice(48, 51), [111, 111, 0.5]); // right_ankle <- RAnkle (11)
});
