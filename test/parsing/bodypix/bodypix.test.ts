import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import {
  BODYPIX_TO_LIP,
  BODYPIX_TO_PASCAL,
  bodyPixGeometry,
  bodyPixInput,
  decodePartSegmentation,
  outputCoordinates,
  partProbabilities,
  partsToLabels,
  validResolution,
  type BodyPixGeometry,
} from '../../../src/parsing/bodypix/decode.js';
import { bodyPixLabels, bodyPixPartProbabilities, loadBodyPix } from '../../../src/parsing/bodypix/parser.js';
import { createParser } from '../../../src/parsing/registry.js';
import { loadPhoto } from '../../../src/image/decode.js';
import { readLabelFile } from '../../../src/eval/files.js';
import { addToConfusion, createConfusion, scoreConfusion } from '../../../src/eval/parsing.js';
import { LABEL_SETS } from '../../../src/parsing/labelsets.js';
import { needShared, sharedPath } from '../../helpers/paths.js';
import type { Photo } from '../../../src/types.js';

const near = (a: number, b: number, eps = 1e-5): void => assert.ok(Math.abs(a - b) <= eps, `${a} vs ${b}`);

test('input resolution: k * stride + 1, and padding to its aspect ratio', () => {
  assert.equal(validResolution(417, 16), 417);
  assert.equal(validResolution(423, 16), 417);
  assert.equal(validResolution(282, 16), 273);
  // 564x846 at 0.5, stride 16: 273x417 input; 564/846 = 0.667 > 273/417 = 0.655 -> pad top and bottom by
  // round(0.5 * (564 / (273/417) - 846)) = round(7.74) = 8
  const g = bodyPixGeometry(564, 846, 0.5, 16);
  assert.deepEqual(
    [g.resW, g.resH, g.padT, g.padB, g.padL, g.padR, g.outW, g.outH],
    [273, 417, 8, 8, 0, 0, 18, 27],
  );
});

test('network input: black padding, tfjs resizeBilinear (no half-pixel offset), pixel / 127.5 - 1', () => {
  // 2x2 photo padded by one column each side (4x2), resized to 2x1: u=0 <- padded x 0 (pad), u=1 <- x 2 (photo x 1)
  const g: BodyPixGeometry = {
    width: 2,
    height: 2,
    resW: 2,
    resH: 1,
    padT: 0,
    padB: 0,
    padL: 1,
    padR: 1,
    stride: 1,
    outW: 2,
    outH: 1,
  };
  const rgb = Uint8Array.from([10, 20, 30, 255, 0, 51, 0, 0, 0, 0, 0, 0]);
  const x = bodyPixInput(rgb, g);
  assert.deepEqual([...x.subarray(0, 3)], [-1, -1, -1]);
  near(x[3], 255 / 127.5 - 1);
  near(x[4], -1);
  near(x[5], 51 / 127.5 - 1);
});

test('photo pixels map onto the output map through the padded frame, corners aligned', () => {
  const g = bodyPixGeometry(564, 846, 0.5, 16);
  const { xs, ys } = outputCoordinates(g);
  near(xs[0], 0);
  near(xs[563], 17);
  near(ys[0], (8 * 26) / 861); // 8 rows of padding above: the first photo row is not the first map row
  near(ys[845], (853 * 26) / 861);
});

test('part segmentation: person threshold, then the part of highest score; mappings', () => {
  // 2x1 output map, photo 2x1 mapping onto it one to one
  const g: BodyPixGeometry = {
    width: 2,
    height: 1,
    resW: 2,
    resH: 1,
    padT: 0,
    padB: 0,
    padL: 0,
    padR: 0,
    stride: 1,
    outW: 2,
    outH: 1,
  };
  const parts = new Float32Array(2 * 24);
  parts[3] = 5; // cell 0: left_upper_arm_back
  parts[24 + 22] = 5; // cell 1: left_feet
  const person = Float32Array.from([2, -2]); // sigmoid 0.88 / 0.12
  const seg = decodePartSegmentation({ segments: person, parts }, g, 0.7);
  assert.deepEqual([...seg], [3, -1]);
  assert.deepEqual(
    [...partsToLabels(Int8Array.from([3, 22, -1, 12, 1]), BODYPIX_TO_PASCAL)],
    [3, 6, 0, 2, 1],
  );
  assert.deepEqual(
    [...partsToLabels(Int8Array.from([3, 22, 11, 15, 20]), BODYPIX_TO_LIP)],
    [14, 18, 15, 9, 17],
  );
  const probs = partProbabilities({ segments: person, parts }, g);
  near(probs.person[0], 1 / (1 + Math.exp(-2)));
  let sum = 0;
  for (let c = 0; c < 24; c++) sum += probs.parts[c * 2];
  near(sum, probs.person[0]);
  assert.ok(probs.parts[3 * 2] > 0.8 * probs.person[0]);
});

const BODYPIX = ['models', 'bodypix', 'mobilenet-quant2-075'];
const SCHP = ['eval', 'Self-Correction-Human-Parsing'];
const skip = needShared(...BODYPIX) || needShared(...SCHP);

test(
  'BodyPix on the SCHP test photos: Pascal-7 mIoU vs SCHP visualize/pascal >= 0.50',
  { skip },
  async (t) => {
    const model = await loadBodyPix(sharedPath(...BODYPIX));
    const ids = readdirSync(sharedPath(...SCHP, 'image_test'))
      .filter((f) => /^b\d+\.jpeg$/.test(f))
      .map((f) => f.replace('.jpeg', ''));
    assert.ok(ids.length >= 10);
    const pascal = createConfusion(7);
    const lip = createConfusion(20);
    const lipSwapped = createConfusion(20);
    const swap: Record<number, number> = { 14: 15, 15: 14, 16: 17, 17: 16, 18: 19, 19: 18 };
    for (const id of ids) {
      const photo = await loadPhoto(sharedPath(...SCHP, 'image_test', `${id}.jpeg`));
      const gtPascal = await readLabelFile(sharedPath(...SCHP, 'visualize', 'pascal', `${id}.png`));
      const gtLip = await readLabelFile(sharedPath(...SCHP, 'visualize', 'lip', `${id}.png`));
      addToConfusion(pascal, gtPascal.labels, await bodyPixLabels(model, photo, 'pascal'));
      const lipPred = await bodyPixLabels(model, photo, 'lip');
      addToConfusion(lip, gtLip.labels, lipPred);
      addToConfusion(
        lipSwapped,
        gtLip.labels,
        lipPred.map((v) => swap[v] ?? v),
      );
    }
    const p = scoreConfusion(pascal, LABEL_SETS.pascal.names);
    const l = scoreConfusion(lip, LABEL_SETS.lip.names);
    const ls = scoreConfusion(lipSwapped, LABEL_SETS.lip.names);
    t.diagnostic(
      `BodyPix mobilenet-quant2-075, ${ids.length} photos, LIP protocol (one confusion matrix, mIoU over classes present): ` +
        `Pascal-7 mIoU ${p.mIoU.toFixed(4)} (pixel acc ${p.pixelAccuracy.toFixed(4)}; per class ${p.perClass
          .map((c) => `${c.name} ${c.iou?.toFixed(2)}`)
          .join(
            ', ',
          )}); LIP-like vs SCHP lip mIoU ${l.mIoU.toFixed(4)} (left/right swapped ${ls.mIoU.toFixed(4)})`,
    );
    assert.ok(p.mIoU >= 0.5, `Pascal-7 mIoU ${p.mIoU}`);
    // BodyPix's left is the person's left, as LIP's is: the swapped reading must score worse.
    assert.ok(l.mIoU > ls.mIoU);
  },
);

test(
  'bodypix specs: a folder (stride 16) or a model.json (stride 8); the prior sums to P(person)',
  { skip },
  async () => {
    const dir = sharedPath(...BODYPIX);
    const pascal = await createParser(`bodypix-pascal:${dir}`);
    assert.equal(pascal.labelSet, 'pascal');
    const stride8 = await loadBodyPix(`${dir}/model-stride8.json`);
    assert.equal(stride8.stride, 8);
    assert.equal((await loadBodyPix(dir)).stride, 16);
    const photo: Photo = await loadPhoto(sharedPath(...SCHP, 'image_test', 'b10.jpeg'));
    const lip = await createParser(`bodypix:${dir}/model-stride8.json`);
    const { map } = await lip.parse(photo, []);
    assert.equal(map.set, 'lip');
    assert.ok(
      map.labels.some((v) => v === 13),
      'a face is found',
    );
    const prior = await bodyPixPartProbabilities(photo, { path: dir });
    const n = photo.width * photo.height;
    assert.equal(prior.parts.length, 24 * n);
    for (const i of [0, Math.floor(n / 2) + Math.floor(photo.width / 2), n - 1]) {
      let s = 0;
      for (let c = 0; c < 24; c++) s += prior.parts[c * n + i];
      near(s, prior.person[i], 1e-4);
    }
    // P(person) is high where the stride-16 parser saw a person and low elsewhere
    const stride16 = await bodyPixLabels(await loadBodyPix(dir), photo, 'lip');
    let inside = 0;
    let outside = 0;
    let nIn = 0;
    for (let i = 0; i < n; i++) {
      if (stride16[i]) {
        inside += prior.person[i];
        nIn++;
      } else outside += prior.person[i];
    }
    assert.ok(nIn > 0.05 * n);
    assert.ok(inside / nIn > 0.8, `mean P(person) on the person ${inside / nIn}`);
    assert.ok(outside / (n - nIn) < 0.2, `mean P(person) elsewhere ${outside / (n - nIn)}`);
  },
);
