import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertLabelMap } from '../../src/parsing/convert.js';
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
