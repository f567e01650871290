import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadPhoto } from '../../../src/image/decode.js';
import { createTopDownEstimator, type TopDownEstimator } from '../../../src/pose/topdown/estimator.js';
import { boxDownscale, Pyramid, sampleBox, type Crop } from '../../../src/pose/topdown/pyramid.js';
import { readOpenPoseJson } from '../../../src/pose/openpose-json.js';
import {
  createPckCounts,
  derivedBody25Points,
  mergePck,
  pckImage,
  summarizePck,
} from '../../../src/eval/pck.js';
import { evaluateKeypoints, personToCocoDet, type CocoKeypointsGt } from '../../../src/eval/coco.js';
import { tf } from '../../../src/runtime/tfjs.js';
import { seededRandom } from '../../../src/util/random.js';
import { examplePhoto, needShared, sharedPath } from '../../helpers/paths.js';
import type { Person, Photo, Quality } from '../../../src/types.js';

const TRYON = 'eval/multimodal-garment-designer/assets/data';
const COCO = 'eval/mmpose/tests/data/coco';
const OCHUMAN = 'eval/mmpose/tests/data/ochuman';
const QUALITIES: Quality[] = ['fast', 'balanced', 'best'];

/** A photo of one colour with white squares at the given places. */
function squaresPhoto(w: number, h: number, squares: Array<{ x: number; y: number; size: number }>): Photo {
  const rgb = new Uint8Array(w * h * 3);
  for (const s of squares) {
    for (let y = s.y; y < s.y + s.size; y++)
      for (let x = s.x; x < s.x + s.size; x++) rgb.fill(255, (y * w + x) * 3, (y * w + x) * 3 + 3);
  }
  return { id: 'squares', source: 'test', width: w, height: h, rgb };
}

/** Centroid of the brightness of a [1, S, S, 3] crop, in crop pixels (pixel centres at +0.5). */
function centroid(t: Crop): { x: number; y: number } {
  const [, s] = t.shape;
  const v = t.data;
  let sum = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      const b = v[(y * s + x) * 3];
      sum += b;
      sx += b * (x + 0.5);
      sy += b * (y + 0.5);
    }
  }
  return { x: sx / sum, y: sy / sum };
}

test('crops land where the geometry says, at full resolution and from the pyramid', async () => {
  const photo = squaresPhoto(1200, 900, [
    { x: 20, y: 20, size: 8 },
    { x: 800, y: 600, size: 32 },
  ]);
  const pyr = new Pyramid(photo);
  try {
    // Small region (level 0, partly outside the photo): the 8 px square centred at (24, 24) sits 16 px
    // right of and below the region's centre.
    const a = pyr.crop({ cx: 8, cy: 8, size: 64 }, 64);
    const ca = centroid(a);
    assert.ok(Math.abs(ca.x - 48) < 0.5 && Math.abs(ca.y - 48) < 0.5, JSON.stringify(ca));
    // Large region (sampled from a quarter-resolution level): square centre (816, 616) -> crop (16+..)
    const b = pyr.crop({ cx: 600, cy: 450, size: 1024 }, 256);
    const cb = centroid(b);
    const expect = { x: ((816 - (600 - 512)) / 1024) * 256, y: ((616 - (450 - 512)) / 1024) * 256 };
    assert.ok(
      Math.abs(cb.x - expect.x) < 0.5 && Math.abs(cb.y - expect.y) < 0.5,
      `${JSON.stringify(cb)} vs ${JSON.stringify(expect)}`,
    );
  } finally {
    pyr.dispose();
  }
});

test('sampleBox is tf.image.cropAndResize (bilinear, 0 outside), boxes inside, across and outside the image', async () => {
  const { initTfjs } = await import('../../../src/runtime/tfjs.js');
  await initTfjs();
  const rand = seededRandom(7);
  for (const [w, h] of [
    [37, 23],
    [64, 64],
    [5, 9],
  ]) {
    const data = Float32Array.from({ length: w * h * 3 }, () => Math.round(rand() * 255));
    const img = tf.tensor4d(data, [1, h, w, 3]);
    for (let k = 0; k < 12; k++) {
      const y1 = rand() * 1.6 - 0.3;
      const x1 = rand() * 1.6 - 0.3;
      const box: [number, number, number, number] = [y1, x1, y1 + rand() * 1.2 - 0.1, x1 + rand() * 1.2];
      const size = [1, 2, 7, 16][k % 4];
      const want = await tf
        .tidy(() => tf.image.cropAndResize(img, [box], [0], [size, size], 'bilinear', 0))
        .data();
      const got = sampleBox({ data, width: w, height: h }, box, size);
      let md = 0;
      for (let i = 0; i < got.length; i++) md = Math.max(md, Math.abs(got[i] - want[i]));
      // tfjs computes source positions in float32: differences of ~1e-3 on 0..255 values are rounding
      assert.ok(md < 1e-2, `${w}x${h} box ${box.map((v) => v.toFixed(3))} size ${size}: max diff ${md}`);
    }
    img.dispose();
  }
});

test('pyramid levels are 2x2 averages (odd last row/column dropped) and crops scale values', () => {
  // 5 x 3 photo, values = x + 10 * y on every channel: level 1 is 2 x 1 with the 2x2 block means
  const w = 5;
  const h = 3;
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) rgb.fill(x + 10 * y, (y * w + x) * 3, (y * w + x) * 3 + 3);
  const pyr = new Pyramid({ id: 'p', source: 't', width: w, height: h, rgb });
  // a 4 px region at the photo's top-left sampled to 2 px: from level 1 (one block step per output pixel)
  const c = pyr.crop({ cx: 2, cy: 2, size: 4 }, 2, 0.5);
  // output (0,0) samples level-1 pixel (0,0) = mean(0,1,10,11) = 5.5, times 0.5
  assert.equal(c.data[0], 2.75);
  assert.deepEqual(c.shape, [1, 2, 2, 3]);
});

test('boxDownscale averages blocks', () => {
  // 4 x 2 image: left block values 0/100 (mean 50), right block 200 everywhere.
  const rgb = new Uint8Array(4 * 2 * 3);
  for (let y = 0; y < 2; y++) {
    for (let x = 0; x < 4; x++)
      rgb.fill(x >= 2 ? 200 : y === 0 ? 0 : 100, (y * 4 + x) * 3, (y * 4 + x) * 3 + 3);
  }
  const d = boxDownscale(rgb, 4, 2, 2);
  assert.equal(d.width, 2);
  assert.equal(d.height, 1);
  assert.deepEqual([...d.rgb], [50, 50, 50, 200, 200, 200]);
});

test('a photo above the pyramid size limit is cropped at the same photo positions', async () => {
  // 4200 px wide: box-averaged by 3 first. A 30 px square centred at (3015, 215).
  const photo = squaresPhoto(4200, 400, [{ x: 3000, y: 200, size: 30 }]);
  const pyr = new Pyramid(photo);
  try {
    const c = pyr.crop({ cx: 3000, cy: 200, size: 256 }, 128);
    const got = centroid(c);
    const expect = ((3015 - (3000 - 128)) / 256) * 128;
    assert.ok(
      Math.abs(got.x - expect) < 1 && Math.abs(got.y - expect) < 1,
      `${JSON.stringify(got)} vs ${expect}`,
    );
  } finally {
    pyr.dispose();
  }
});

describe('default (top-down) estimator, balanced', () => {
  let est: TopDownEstimator;
  before(async () => {
    est = await createTopDownEstimator({ quality: 'balanced' });
  });
  after(() => est?.dispose());

  test('an empty photo has nobody in it', async () => {
    const people = await est.estimate(squaresPhoto(640, 480, []));
    assert.deepEqual(people, []);
  });

  test('a group photo: every person has BODY_25 in the photo, 0..1 scores, a box, and BlazePose extras', async () => {
    const photo = await loadPhoto(examplePhoto(1));
    const people = await est.estimate(photo);
    assert.ok(people.length >= 3, `found ${people.length} people`);
    for (const p of people) {
      assert.equal(p.keypoints.length, 25);
      assert.ok(p.score > 0 && p.score <= 1);
      for (const k of p.keypoints) {
        assert.ok(k.score >= 0 && k.score <= 1);
        if (k.score > 0) assert.ok(k.x >= 0 && k.y >= 0 && k.x < photo.width && k.y < photo.height);
        else assert.deepEqual(k, { x: 0, y: 0, score: 0 });
      }
      // Small toes: BlazePose has none, so always 0,0,0.
      assert.equal(p.keypoints[20].score, 0);
      assert.equal(p.keypoints[23].score, 0);
      // Neck and MidHip are OpenPose's midpoints.
      const [n, rs, ls] = [p.keypoints[1], p.keypoints[2], p.keypoints[5]];
      if (rs.score > 0 && ls.score > 0) assert.ok(Math.abs(n.x - (rs.x + ls.x) / 2) < 1e-6);
      assert.ok(p.box.width > 0 && p.box.height > 0);
      if (p.extra) {
        assert.equal(p.extra.skeleton, 'blazepose33');
        assert.equal(p.extra.keypoints.length, 33);
      }
    }
  });

  test('a mirrored photo gives the mirrored people (left and right kept apart)', async () => {
    const photo = await loadPhoto(examplePhoto(2));
    const { width: w, height: h } = photo;
    const flipped = new Uint8Array(photo.rgb.length);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++)
        flipped.set(photo.rgb.subarray((y * w + x) * 3, (y * w + x) * 3 + 3), (y * w + (w - 1 - x)) * 3);
    }
    const a = await est.estimate(photo);
    const b = await est.estimate({ ...photo, rgb: flipped });
    assert.equal(a.length, b.length);
    // BODY_25 left/right pairs.
    const swap = [0, 1, 5, 6, 7, 2, 3, 4, 8, 12, 13, 14, 9, 10, 11, 16, 15, 18, 17, 22, 23, 24, 19, 20, 21];
    let close = 0;
    let total = 0;
    for (const p of a) {
      // The mirrored person whose neck is nearest.
      const q = b
        .map((c) =>
          c.keypoints.map((_, i) => ({ ...c.keypoints[swap[i]], x: w - 1 - c.keypoints[swap[i]].x })),
        )
        .sort(
          (m, n) =>
            Math.hypot(m[1].x - p.keypoints[1].x, m[1].y - p.keypoints[1].y) -
            Math.hypot(n[1].x - p.keypoints[1].x, n[1].y - p.keypoints[1].y),
        )[0];
      p.keypoints.forEach((k, i) => {
        if (k.score < 0.3 || q[i].score < 0.3) return;
        total++;
        if (Math.hypot(k.x - q[i].x, k.y - q[i].y) <= 0.05 * h) close++;
      });
    }
    assert.ok(total >= 10 && close / total >= 0.9, `${close}/${total} confident points agree`);
  });

  test('memory stays flat over repeated photos', async () => {
    const photo = await loadPhoto(examplePhoto(6));
    await est.estimate(photo);
    const before = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    for (let i = 0; i < 3; i++) await est.estimate(photo);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(tf.memory().numBytes, bytes);
  });
});

interface TryonItem {
  image: string;
  ref: string;
  scale: number;
}

function tryonItems(set: 'vitonhd' | 'dresscode'): TryonItem[] {
  const root = sharedPath(TRYON, set);
  if (set === 'vitonhd') {
    const dir = join(root, 'test');
    return readdirSync(join(dir, 'image')).map((f) => ({
      image: join(dir, 'image', f),
      ref: join(dir, 'openpose_json', f.replace(/\.jpg$/, '_keypoints.json')),
      scale: 1,
    }));
  }
  return readdirSync(root)
    .filter((cat) => existsSync(join(root, cat, 'images')))
    .flatMap((cat) =>
      readdirSync(join(root, cat, 'images')).map((f) => ({
        image: join(root, cat, 'images', f),
        ref: join(root, cat, 'keypoints', f.replace(/_0\.jpg$/, '_2.json')),
        scale: 2,
      })),
    );
}

for (const quality of QUALITIES) {
  describe(
    `default estimator (${quality}) on the shared evaluation photos`,
    { skip: needShared('eval') },
    () => {
      let est: TopDownEstimator;
      before(async () => {
        est = await createTopDownEstimator({ quality });
      });
      after(() => est?.dispose());

      for (const set of ['vitonhd', 'dresscode'] as const) {
        test(`${set}: >= 97% of OpenPose's keypoints (c > 0.3) within 0.05 H, per keypoint type`, async (t) => {
          const counts = createPckCounts([0.05]);
          let withHeels = 0;
          const alphas = [0.05];
          for (const item of tryonItems(set)) {
            const photo = await loadPhoto(item.image);
            const people = await est.estimate(photo);
            const ref = readOpenPoseJson(readFileSync(item.ref, 'utf8'), { scale: item.scale });
            assert.equal(people.length, 1, `${item.image}: one person`);
            mergePck(
              counts,
              pckImage(people, ref.people, photo.height, { alphas, skip: derivedBody25Points(ref.format) }),
            );
            const [p] = people;
            // Feet: each heel or big toe found sits near its own ankle and below its knee.
            for (const [ankle, knee, foot] of [
              [14, 13, [19, 21]],
              [11, 10, [22, 24]],
            ] as const) {
              for (const f of foot) {
                const k = p.keypoints[f];
                if (!(k.score > 0)) continue;
                const d = Math.hypot(k.x - p.keypoints[ankle].x, k.y - p.keypoints[ankle].y);
                assert.ok(d < 0.1 * photo.height, `${item.image}: foot point ${f} is ${d} px from its ankle`);
                assert.ok(k.y > p.keypoints[knee].y, `${item.image}: foot point ${f} above the knee`);
              }
            }
            if (p.keypoints[21].score > 0 || p.keypoints[24].score > 0) withHeels++;
            if (set === 'vitonhd') {
              // The photos end above the ankles: nothing below the frame is invented.
              for (const i of [11, 14, 19, 20, 21, 22, 23, 24]) {
                assert.deepEqual(
                  people[0].keypoints[i],
                  { x: 0, y: 0, score: 0 },
                  `${item.image} point ${i}`,
                );
              }
            }
          }
          const s = summarizePck(counts);
          t.diagnostic(
            `${set} ${quality}: PCK@0.05H ${s.PCK['0.05']?.toFixed(3)} over ${s.points} points; heels on ${withHeels} photos`,
          );
          // Dress Code photos show the feet (all 4); BlazePose feet pass our checks on most of them.
          if (set === 'dresscode') assert.ok(withHeels >= 2, `heels on ${withHeels} photos`);
          assert.ok(s.points >= 30);
          for (const k of s.perKeypoint)
            assert.ok((k.pck['0.05'] ?? 0) >= 0.97, `${k.name}: ${k.pck['0.05']} of ${k.n}`);
        });
      }

      test('COCO (mmpose test images): people found = people annotated, OKS-AP >= 0.75', async (t) => {
        const gt = JSON.parse(readFileSync(sharedPath(COCO, 'test_coco.json'), 'utf8')) as CocoKeypointsGt;
        const dets = [];
        for (const im of gt.images) {
          const people = await est.estimate(await loadPhoto(sharedPath(COCO, im.file_name)));
          const annotated = gt.annotations.filter(
            (a) => a.image_id === im.id && (a.num_keypoints ?? 0) > 0,
          ).length;
          assert.equal(people.length, annotated, `${im.file_name}`);
          dets.push(...people.map((p: Person) => personToCocoDet(im.id, p)));
        }
        const r = evaluateKeypoints(gt, dets);
        t.diagnostic(
          `COCO ${quality}: AP ${r.AP.toFixed(3)} AP50 ${r.AP50.toFixed(3)} AP75 ${r.AP75.toFixed(3)} AR ${r.AR.toFixed(3)}`,
        );
        assert.ok(r.AP >= 0.75, `AP ${r.AP}`);
      });

      test(
        'OCHuman (heavy occlusion, not every person annotated): reported',
        { skip: needShared(OCHUMAN) },
        async (t) => {
          const gt = JSON.parse(
            readFileSync(sharedPath(OCHUMAN, 'test_ochuman.json'), 'utf8'),
          ) as CocoKeypointsGt;
          const dets = [];
          for (const im of gt.images) {
            const people = await est.estimate(await loadPhoto(sharedPath(OCHUMAN, im.file_name)));
            dets.push(...people.map((p: Person) => personToCocoDet(im.id, p)));
          }
          const r = evaluateKeypoints(gt, dets);
          t.diagnostic(
            `OCHuman ${quality}: AP ${r.AP.toFixed(3)} AP50 ${r.AP50.toFixed(3)} AR ${r.AR.toFixed(3)}`,
          );
          // A floor only (overlapping pairs collapse into one skeleton): every image yields someone.
          assert.ok(r.AR > 0.3, `AR ${r.AR}`);
        },
      );
    },
  );
}
