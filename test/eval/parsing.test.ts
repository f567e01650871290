import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addToConfusion,
  comparisonTables,
  createConfusion,
  mapLabels,
  scoreConfusion,
} from '../../src/eval/parsing.js';
import { IGNORE, LABEL_SETS } from '../../src/parsing/labelsets.js';

const names = ['bg', 'a', 'b', 'c'];
const close = (x: number | null, y: number): void =>
  assert.ok(x !== null && Math.abs(x - y) < 1e-12, `${x} vs ${y}`);

function score(gt: number[], pred: number[], n = 4) {
  const cm = createConfusion(n);
  addToConfusion(cm, Uint8Array.from(gt), Uint8Array.from(pred));
  return scoreConfusion(cm, names.slice(0, n));
}

test('perfect prediction: pixel accuracy and mIoU 1; mIoU_all counts absent classes as 0 (SCHP)', () => {
  const labels = [0, 0, 1, 1, 2, 2];
  const s = score(labels, labels);
  assert.equal(s.pixelAccuracy, 1);
  assert.equal(s.mIoU, 1);
  assert.equal(s.mIoU_all, 3 / 4);
  assert.equal(s.meanAccuracy, 3 / 4);
  assert.equal(s.perClass[3].iou, null);
});

test('hand-computed confusion: IoU = TP / (GT + Pred - TP)', () => {
  // GT  0 0 1 1 2 2
  // P   0 1 1 1 2 0   -> TP 1,2,1; GT 2,2,2; Pred 2,3,1
  const s = score([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0]);
  close(s.perClass[0].iou, 1 / 3);
  close(s.perClass[1].iou, 2 / 3);
  close(s.perClass[2].iou, 1 / 2);
  close(s.mIoU, (1 / 3 + 2 / 3 + 1 / 2) / 3);
  close(s.mIoU_all, (1 / 3 + 2 / 3 + 1 / 2) / 4);
  close(s.pixelAccuracy, 4 / 6);
  close(s.meanAccuracy, (1 / 2 + 1 + 1 / 2 + 0) / 4);
  assert.equal(s.perClass[1].predPixels, 3);
});

test('GT 255 is ignored; a class only in the prediction scores IoU 0 and counts in mIoU', () => {
  const s = score([0, 0, IGNORE, 1], [0, 3, 3, 1]);
  assert.equal(s.pixels, 3);
  assert.equal(s.ignored, 1);
  assert.equal(s.perClass[3].iou, 0); // predicted once, never in GT
  assert.equal(s.perClass[3].accuracy, null);
  close(s.mIoU, (1 / 2 + 1 + 0) / 3); // classes 0, 1, 3 present; 2 absent
  assert.equal(s.perClass[2].iou, null);
});

test('values beyond the set (e.g. LIP maps holding 20) are counted apart, not scored', () => {
  const s = score([0, 20, 1], [0, 1, 1]);
  assert.equal(s.pixels, 2);
  assert.equal(s.outOfRange, 1);
});

test('pixels are pooled over images (one matrix), not averaged per image', () => {
  const cm = createConfusion(2);
  addToConfusion(cm, Uint8Array.from([1, 1, 1, 1]), Uint8Array.from([1, 1, 1, 1])); // IoU 1
  addToConfusion(cm, Uint8Array.from([1, 0]), Uint8Array.from([0, 0])); // IoU_1 0
  const s = scoreConfusion(cm, ['bg', 'x']);
  close(s.perClass[1].iou, 4 / 5);
  close(s.perClass[0].iou, 1 / 2);
});

test('CIHP prediction vs Dress Code GT: VITON-13 grouping, neck scored as head, belt ignored', () => {
  const c = comparisonTables('cihp', 'dresscode');
  assert.equal(c.set, 'viton13');
  assert.equal(c.names, LABEL_SETS.viton13.names);
  const face = LABEL_SETS.viton13.names.indexOf('face');
  // CIHP neck (10) and face (13) vs Dress Code head (11): all face.
  assert.deepEqual([...mapLabels(Uint8Array.from([10, 13]), c.pred)], [face, face]);
  assert.deepEqual([...mapLabels(Uint8Array.from([11]), c.gt)], [face]);
  // Dress Code belt (8) has no counterpart: ignored.
  assert.equal(mapLabels(Uint8Array.from([8]), c.gt)[0], IGNORE);
  // A whole map: CIHP neck where Dress Code says head is correct.
  const cm = createConfusion(c.names.length);
  addToConfusion(
    cm,
    mapLabels(Uint8Array.from([11, 11, 4, 8]), c.gt),
    mapLabels(Uint8Array.from([10, 13, 5, 5]), c.pred),
  );
  const s = scoreConfusion(cm, c.names);
  assert.equal(s.pixelAccuracy, 1);
  assert.equal(s.ignored, 1);
});

test('same set needs no mapping; pascal against another set is refused', () => {
  const same = comparisonTables('lip', 'lip');
  assert.equal(same.pred, undefined);
  assert.equal(same.set, 'lip');
  assert.throws(() => comparisonTables('pascal', 'cihp'), /pascal/);
  assert.equal(comparisonTables('cihp', 'lip').note.includes('neck'), false);
});
