import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPhoto } from '../../../src/image/decode.js';
import { readOpenPoseJson } from '../../../src/pose/openpose-json.js';
import { createDefaultParser, personLabelOptions } from '../../../src/parsing/default/parser.js';
import { DEFAULT_LABEL_OPTIONS } from '../../../src/parsing/default/label.js';
import { convertLabelMap } from '../../../src/parsing/convert.js';
import { swapBody25Sides } from '../../../src/parsing/default/facing.js';
import { toViton13Table } from '../../../src/parsing/labelsets.js';
import { readLabelFile } from '../../../src/eval/files.js';
import { addToConfusion, createConfusion, mapLabels, scoreConfusion } from '../../../src/eval/parsing.js';
import { LABEL_SETS } from '../../../src/parsing/labelsets.js';
import type { Parser, Person, Photo } from '../../../src/types.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const EVAL = resolve(repoRoot, '..', 'shared', 'eval');
const MGD = join(EVAL, 'multimodal-garment-designer/assets/data');
const skip = existsSync(MGD) ? false : `../shared/eval absent: ${MGD}`;

interface Item {
  id: string;
  photo: string;
  gt: string;
  gtSet: 'cihp' | 'dresscode';
  pose: string;
  scale: number;
}
const ITEMS: Item[] = [
  ...['03191_00', '12419_00'].map((id) => ({
    id,
    photo: `vitonhd/test/image/${id}.jpg`,
    gt: `vitonhd/test/image-parse-v3/${id}.png`,
    gtSet: 'cihp' as const,
    pose: `vitonhd/test/openpose_json/${id}_keypoints.json`,
    scale: 1,
  })),
  ...[
    ['dresses', '052012'],
    ['lower_body', '050855'],
    ['lower_body', '050915'],
    ['upper_body', '048462'],
  ].map(([cat, id]) => ({
    id,
    photo: `dresscode/${cat}/images/${id}_0.jpg`,
    gt: `dresscode/${cat}/label_maps/${id}_4.png`,
    gtSet: 'dresscode' as const,
    pose: `dresscode/${cat}/keypoints/${id}_2.json`,
    scale: 2,
  })),
];

async function load(item: Item): Promise<{ photo: Photo; people: Person[]; gt: Uint8Array }> {
  const photo = await loadPhoto(join(MGD, item.photo));
  const { people } = readOpenPoseJson(await readFile(join(MGD, item.pose), 'utf8'), { scale: item.scale });
  const gt = (await readLabelFile(join(MGD, item.gt), item.gtSet)).labels;
  return { photo, people, gt };
}

/** Mean x of the pixels of a class (NaN when absent). */
function meanX(labels: Uint8Array, width: number, cls: number): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === cls) {
      s += i % width;
      n++;
    }
  }
  return s / n;
}

function iou(a: Uint8Array, ca: number, b: Uint8Array, cb: number): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] === ca;
    const y = b[i] === cb;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return inter / union;
}

test('shaded-face colour trust only where FaceMesh confirmed a face (or did not look)', () => {
  const base = { ...DEFAULT_LABEL_OPTIONS, faceShadowL: 30 };
  assert.equal(personLabelOptions(base, true).faceShadowL, 30);
  assert.equal(personLabelOptions(base, undefined).faceShadowL, 30);
  const masked = personLabelOptions(base, false);
  assert.equal(masked.faceShadowL, 0);
  // the other options and the caller's object stay as they were
  assert.equal(masked.armShadowL, base.armShadowL);
  assert.equal(base.faceShadowL, 30);
});

describe('default parser on real try-on photos', { skip }, () => {
  let parser: Parser;
  before(async () => {
    parser = await createDefaultParser({});
  });
  after(() => parser?.dispose());

  test('VITON-13 mIoU >= 0.82 and pixel accuracy >= 0.95 on VITON-HD + Dress Code; CIHP-20 >= 0.65 on VITON-HD', async () => {
    const viton = createConfusion(13);
    const cihp = createConfusion(20);
    for (const item of ITEMS) {
      const { photo, people, gt } = await load(item);
      const { map } = await parser.parse(photo, people);
      assert.equal(map.set, 'cihp');
      assert.equal(map.labels.length, photo.width * photo.height);
      // Dress Code's head class includes the neck
      const opts = item.gtSet === 'dresscode' ? ({ neckAs: 'face' } as const) : {};
      addToConfusion(
        viton,
        mapLabels(gt, toViton13Table(item.gtSet, opts)),
        mapLabels(map.labels, toViton13Table('cihp', opts)),
      );
      if (item.gtSet === 'cihp') addToConfusion(cihp, gt, map.labels);
    }
    const v = scoreConfusion(viton, LABEL_SETS.viton13.names);
    const c = scoreConfusion(cihp, LABEL_SETS.cihp.names);
    assert.ok(v.mIoU >= 0.82, `VITON-13 mIoU ${v.mIoU.toFixed(3)}`);
    assert.ok(v.pixelAccuracy >= 0.95, `pixel accuracy ${v.pixelAccuracy.toFixed(3)}`);
    assert.ok(c.mIoU >= 0.65, `CIHP-20 mIoU ${c.mIoU.toFixed(3)}`);
  });

  test("left and right are the person's own, also when the pose reads a frontal person as seen from behind", async () => {
    const { photo, people, gt } = await load(ITEMS[0]);
    const W = photo.width;
    const { map } = await parser.parse(photo, people);
    // frontal: the person's left arm (14) is on the image right and matches the reference's left arm
    assert.ok(meanX(map.labels, W, 14) > meanX(map.labels, W, 15));
    assert.ok(iou(map.labels, 14, gt, 14) > 0.6 && iou(map.labels, 15, gt, 15) > 0.6);
    assert.ok(iou(map.labels, 14, gt, 15) < 0.05);

    // the same photo with every left/right keypoint exchanged, as a pose network that takes the person for
    // a back view gives it: the face shows, BlazePose reads the torso as frontal, so the sides come back
    const backPeople = people.map((p) => ({ ...p, keypoints: swapBody25Sides(p.keypoints) }));
    const swapped = (await parser.parse(photo, backPeople)).map;
    assert.ok(
      meanX(swapped.labels, W, 14) > meanX(swapped.labels, W, 15),
      'left arm still on the image right',
    );
    assert.ok(iou(swapped.labels, 14, gt, 14) > 0.6 && iou(swapped.labels, 15, gt, 15) > 0.6);
  });

  test('class probabilities: 20 x H x W, one per pixel, argmax = the map almost everywhere', async () => {
    const { photo, people } = await load(ITEMS[3]);
    const withProbs = await createDefaultParser({ probabilities: true });
    try {
      const { map, probabilities } = await withProbs.parse(photo, people);
      const plane = photo.width * photo.height;
      assert.ok(probabilities, 'probabilities returned when asked');
      assert.equal(probabilities.length, 20 * plane);
      let agree = 0;
      let person = 0;
      for (let i = 0; i < plane; i += 7) {
        let sum = 0;
        let best = 0;
        for (let c = 0; c < 20; c++) {
          const v = probabilities[c * plane + i];
          assert.ok(v >= 0 && v <= 1 + 1e-5);
          sum += v;
          if (v > probabilities[best * plane + i]) best = c;
        }
        assert.ok(Math.abs(sum - 1) < 1e-4, `pixel ${i} sums to ${sum}`);
        if (map.labels[i]) person++;
        if (best === map.labels[i]) agree++;
      }
      assert.ok(person > 0);
      assert.ok(agree / Math.ceil(plane / 7) > 0.97, `argmax agrees on ${agree}`);
      // without the option the parser does not spend the memory
      assert.equal((await parser.parse(photo, people)).probabilities, undefined);
    } finally {
      withProbs.dispose();
    }
  });

  test('LIP-20 maps convert with the same person layout', async () => {
    const { photo, people } = await load(ITEMS[2]);
    const { map } = await parser.parse(photo, people);
    const lip = convertLabelMap(map, 'lip', people);
    for (let i = 0; i < map.labels.length; i++) {
      if (map.labels[i] === 10) assert.equal(lip.labels[i], 0);
      else assert.equal(lip.labels[i], map.labels[i]);
    }
  });

  test('an optional BodyPix prior (bodypix:<folder>); unknown priors are usage errors', async () => {
    await assert.rejects(createDefaultParser({ prior: 'nonsense' }), /unknown parser prior/);
    const models = resolve(repoRoot, '..', 'shared', 'models', 'bodypix', 'mobilenet-quant2-075');
    if (!existsSync(models)) return;
    const withPrior = await createDefaultParser({ prior: `bodypix:${models}` });
    try {
      const { photo, people, gt } = await load(ITEMS[0]);
      const { map } = await withPrior.parse(photo, people);
      // still a sound map: the person's arms on their own sides
      assert.ok(iou(map.labels, 14, gt, 14) > 0.6 && iou(map.labels, 15, gt, 15) > 0.6);
    } finally {
      withPrior.dispose();
    }
  });

  test('no people: an all-background map of the photo size', async () => {
    const photo: Photo = { id: 'x', source: 'x', width: 16, height: 12, rgb: new Uint8Array(16 * 12 * 3) };
    const { map } = await parser.parse(photo, []);
    assert.equal(map.width, 16);
    assert.ok(map.labels.every((l) => l === 0));
  });
});

const SCHP = join(EVAL, 'Self-Correction-Human-Parsing');
describe(
  "default parser on SCHP's full-body photos (people from the default pose estimator)",
  {
    skip: existsSync(SCHP) ? false : `../shared/eval absent: ${SCHP}`,
  },
  () => {
    // Issue 3 asks for 0.55 (reached: 0.553). SCHP's own maps cost several classes: dark hair over a face
    // mask is "hat", white shoes "socks", black masks background.
    test("LIP-20 mIoU >= 0.55 against SCHP's LIP maps (issue 3)", { timeout: 300_000 }, async () => {
      const { createPoseEstimator } = await import('../../../src/pose/registry.js');
      const estimator = await createPoseEstimator('default', { quality: 'balanced' });
      const parser = await createDefaultParser({});
      const cm = createConfusion(20);
      try {
        for (let b = 1; b <= 10; b++) {
          const photo = await loadPhoto(join(SCHP, 'image_test', `b${b}.jpeg`));
          const people = await estimator.estimate(photo);
          const { map } = await parser.parse(photo, people);
          const gt = (await readLabelFile(join(SCHP, 'visualize', 'lip', `b${b}.png`), 'lip')).labels;
          addToConfusion(cm, gt, convertLabelMap(map, 'lip', people).labels);
        }
      } finally {
        parser.dispose();
        estimator.dispose();
      }
      const s = scoreConfusion(cm, LABEL_SETS.lip.names);
      assert.ok(s.mIoU >= 0.55, `LIP-20 mIoU ${s.mIoU.toFixed(4)}`);
    });
  },
);
