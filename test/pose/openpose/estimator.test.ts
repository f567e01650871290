import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenPoseEstimator, type PafNetwork } from '../../../src/pose/openpose/estimator.js';
import { TFPOSE_ENCODING } from '../../../src/pose/openpose/netinput.js';
import { COCO18_LAYOUT } from '../../../src/pose/paf/layouts.js';
import { fromBody25 } from '../../../src/pose/skeletons.js';
import type { Photo } from '../../../src/types.js';
import { makePerson, renderMaps, type SyntheticPerson } from '../paf/synthetic.js';

/**
 * A fake network that "sees" the photo: it finds the non-black content in its input (the letterboxed
 * photo) and draws one person at fixed positions relative to that content, at stride 8.
 */
const PERSON = makePerson(COCO18_LAYOUT, { x: 0.5, y: 0.08, height: 0.85 }); // in content units 0..1

function fakeNetwork(calls: Array<[number, number]>): PafNetwork {
  return {
    encoding: TFPOSE_ENCODING,
    async run(input, width, height) {
      calls.push([width, height]);
      let cw = 0;
      let ch = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (input[(y * width + x) * 3] > 0) {
            cw = Math.max(cw, x + 1);
            ch = Math.max(ch, y + 1);
          }
        }
      }
      const ow = width / 8;
      const oh = height / 8;
      // content units -> output pixels (pixel centres: content x in input px = u * cw)
      const person: SyntheticPerson = PERSON.map((p) =>
        p ? [(p[0] * cw + 0.5) / 8 - 0.5, (p[1] * ch + 0.5) / 8 - 0.5] : null,
      );
      return renderMaps(COCO18_LAYOUT, ow, oh, [person], { sigma: 1.2, limbWidth: 1.2 });
    },
    dispose() {},
  };
}

function grayPhoto(width: number, height: number): Photo {
  return { id: 'p', source: 't', width, height, rgb: new Uint8Array(width * height * 3).fill(200) };
}

async function assertPersonAt(est: OpenPoseEstimator, photo: Photo, tol: number): Promise<void> {
  const people = await est.estimate(photo);
  assert.equal(people.length, 1);
  const kps = fromBody25('coco18', people[0].keypoints);
  PERSON.forEach((p, part) => {
    const k = kps[part];
    const err = Math.hypot(k.x - p![0] * photo.width, k.y - p![1] * photo.height);
    assert.ok(k.score > 0 && err < tol, `part ${part}: ${err.toFixed(1)} px off`);
  });
}

test('letterboxed fixed resolution maps back to photo pixels', async () => {
  const calls: Array<[number, number]> = [];
  const est = new OpenPoseEstimator('fake', fakeNetwork(calls), { netResolution: '432x368' });
  await assertPersonAt(est, grayPhoto(600, 800), 12);
  assert.deepEqual(calls, [[432, 368]]);
});

test('scales run the net at each size and average on one grid', async () => {
  const calls: Array<[number, number]> = [];
  const est = new OpenPoseEstimator('fake', fakeNetwork(calls), {
    netResolution: '-1x256',
    scales: [1, 1.5],
  });
  await assertPersonAt(est, grayPhoto(400, 500), 10);
  assert.deepEqual(calls, [
    [208, 256],
    [304, 384],
  ]);
  const { maps } = await est.computeMaps(grayPhoto(400, 500));
  assert.deepEqual([maps.width, maps.height, maps.channels], [52, 64, 57]);
});

test('bad settings are usage errors', () => {
  const net = fakeNetwork([]);
  assert.throws(() => new OpenPoseEstimator('fake', net, { netResolution: '-1x-1' }), /only one side/);
  assert.throws(() => new OpenPoseEstimator('fake', net, { scales: [0] }), /outside/);
});

test('maps are upsampled cubically by default: peaks between map pixels keep their height', async () => {
  const photo = grayPhoto(600, 800);
  const meanScore = async (est: OpenPoseEstimator): Promise<number> => {
    const people = await est.estimate(photo);
    assert.equal(people.length, 1);
    const kps = fromBody25('coco18', people[0].keypoints);
    return kps.reduce((s, k) => s + k.score, 0) / kps.length;
  };
  const cubic = await meanScore(new OpenPoseEstimator('fake', fakeNetwork([]), { netResolution: '432x368' }));
  const bilinear = await meanScore(
    new OpenPoseEstimator('fake', fakeNetwork([]), { netResolution: '432x368', interpolation: 'bilinear' }),
  );
  assert.ok(cubic > 0.9, `cubic mean peak score ${cubic.toFixed(3)}`);
  assert.ok(cubic - bilinear > 0.05, `cubic ${cubic.toFixed(3)} vs bilinear ${bilinear.toFixed(3)}`);
});
