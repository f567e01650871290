import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertLabelMap, convertProbabilities } from '../../src/parsing/convert.js';
import type { Keypoint, LabelMap, Person } from '../../src/types.js';

const map = (labels: number[], set: LabelMap['set'], width = labels.length): LabelMap => ({
  width,
  height: labels.length / width,
  labels: Uint8Array.from(labels),
  set,
});

test('CIHP to LIP: the neck has no LIP class and becomes background; others keep their ids', () => {
  const out = convertLabelMap(map([0, 2, 5, 10, 13, 14, 19], 'cihp'), 'lip');
  assert.equal(out.set, 'lip');
  assert.deepEqual(Array.from(out.labels), [0, 2, 5, 0, 13, 14, 19]);
});

test('CIHP to ATR: face and neck are ATR face, limbs move to ATR ids', () => {
  const out = convertLabelMap(map([13, 10, 5, 7, 9, 12, 6, 14, 15, 16, 17, 18, 19, 4], 'cihp'), 'atr');
  assert.deepEqual(Array.from(out.labels), [11, 11, 4, 4, 6, 5, 7, 14, 15, 12, 13, 9, 10, 3]);
});

test('LIP, ATR and Dress Code come to CIHP; a belt joins the trousers and a bag leaves the person', () => {
  assert.deepEqual(Array.from(convertLabelMap(map([10, 6, 13], 'lip'), 'cihp').labels), [6, 6, 13]);
  assert.deepEqual(
    Array.from(convertLabelMap(map([8, 16, 11, 4], 'dresscode'), 'cihp').labels),
    [9, 0, 13, 5],
  );
  assert.deepEqual(Array.from(convertLabelMap(map([8, 16, 7], 'atr'), 'lip').labels), [9, 0, 6]);
});

test('same set is a copy; a Pascal map cannot be turned into garment classes', () => {
  const m = map([1, 2, 3], 'cihp');
  const out = convertLabelMap(m, 'cihp');
  assert.deepEqual(Array.from(out.labels), [1, 2, 3]);
  assert.notEqual(out.labels, m.labels);
  assert.throws(() => convertLabelMap(map([1, 2], 'pascal'), 'cihp'), /cannot convert/);
});

function person(): Person {
  const k: Keypoint[] = Array.from({ length: 25 }, () => ({ x: 0, y: 0, score: 0 }));
  const set = (i: number, x: number, y: number): void => {
    k[i] = { x, y, score: 0.9 };
  };
  set(1, 20, 10);
  set(2, 14, 10);
  set(3, 12, 20);
  set(4, 11, 30); // right arm down the image's left
  set(5, 26, 10);
  set(6, 28, 20);
  set(7, 29, 30);
  set(8, 20, 30);
  set(9, 17, 30);
  set(10, 17, 40);
  set(11, 17, 50);
  set(12, 23, 30);
  set(13, 23, 40);
  set(14, 23, 50);
  return { keypoints: k, score: 0.9, box: { x: 10, y: 0, width: 20, height: 55 } };
}

test('Pascal: limbs split into upper and lower by the skeleton, sleeves belong to arms', () => {
  const width = 40;
  const height = 56;
  const labels = new Uint8Array(width * height);
  const put = (x: number, y: number, c: number): void => {
    labels[y * width + x] = c;
  };
  put(12, 14, 15); // right upper arm skin
  put(11, 27, 15); // right forearm skin
  put(28, 15, 5); // left sleeve (upper-clothes over the upper arm)
  put(20, 20, 5); // chest
  put(17, 35, 9); // trousers over the thigh
  put(23, 46, 9); // trousers over the shin
  put(17, 52, 19); // shoe
  put(20, 5, 13); // face
  const out = convertLabelMap({ width, height, labels, set: 'cihp' }, 'pascal', [person()]);
  const at = (x: number, y: number): number => out.labels[y * width + x];
  assert.equal(at(12, 14), 3, 'upper arm');
  assert.equal(at(11, 27), 4, 'lower arm');
  assert.equal(at(28, 15), 3, 'sleeve on the upper arm');
  assert.equal(at(20, 20), 2, 'torso');
  assert.equal(at(17, 35), 5, 'upper leg');
  assert.equal(at(23, 46), 6, 'lower leg');
  assert.equal(at(17, 52), 6, 'shoe: lower leg');
  assert.equal(at(20, 5), 1, 'head');
  assert.equal(at(0, 0), 0);
  // without people the limbs stay "upper"
  const plain = convertLabelMap({ width, height, labels, set: 'cihp' }, 'pascal');
  assert.equal(plain.labels[27 * width + 11], 3);
});

/** C x H x W probabilities that put `p` on the given class at each pixel and spread the rest evenly. */
function probsFor(labels: number[], c: number, p = 0.6): Float32Array {
  const n = labels.length;
  const out = new Float32Array(c * n);
  labels.forEach((l, i) => {
    for (let k = 0; k < c; k++) out[k * n + i] = k === l ? p : (1 - p) / (c - 1);
  });
  return out;
}

test('probabilities convert by summing the classes that map together; they still sum to one', () => {
  const labels = [0, 10, 5, 13, 19];
  const probs = probsFor(labels, 20);
  const lip = convertProbabilities(probs, 5, 1, 'cihp', 'lip');
  assert.equal(lip.length, 20 * 5);
  // the neck's mass goes to LIP background, nothing to LIP 10 (jumpsuits)
  assert.ok(Math.abs(lip[1] - (0.6 + 0.4 / 19)) < 1e-5);
  for (let i = 0; i < 5; i++) assert.equal(lip[10 * 5 + i], 0);
  const atr = convertProbabilities(probs, 5, 1, 'cihp', 'atr');
  assert.equal(atr.length, 18 * 5);
  for (let i = 0; i < 5; i++) {
    let s = 0;
    for (let c = 0; c < 18; c++) s += atr[c * 5 + i];
    assert.ok(Math.abs(s - 1) < 1e-5);
  }
  // argmax after conversion = the converted label map
  const expected = convertLabelMap(
    { width: 5, height: 1, labels: Uint8Array.from(labels), set: 'cihp' },
    'atr',
  );
  for (let i = 0; i < 5; i++) {
    let best = 0;
    for (let c = 1; c < 18; c++) if (atr[c * 5 + i] > atr[best * 5 + i]) best = c;
    assert.equal(best, expected.labels[i]);
  }
  assert.throws(() => convertProbabilities(new Float32Array(7 * 5), 5, 1, 'cihp', 'lip'), /20 x H x W/);
});

test('Pascal probabilities follow the skeleton like the label map', () => {
  const width = 40;
  const height = 56;
  const labels = new Array<number>(width * height).fill(0);
  labels[27 * width + 11] = 15; // right forearm skin
  labels[35 * width + 17] = 9; // trousers over the thigh
  const probs = probsFor(labels, 20, 0.9);
  const out = convertProbabilities(probs, width, height, 'cihp', 'pascal', [person()]);
  const map = convertLabelMap({ width, height, labels: Uint8Array.from(labels), set: 'cihp' }, 'pascal', [
    person(),
  ]);
  for (const i of [27 * width + 11, 35 * width + 17, 0]) {
    let best = 0;
    for (let c = 1; c < 7; c++) if (out[c * width * height + i] > out[best * width * height + i]) best = c;
    assert.equal(best, map.labels[i]);
  }
  assert.equal(map.labels[27 * width + 11], 4);
});
