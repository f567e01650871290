import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { buildOnnxModel, saveOnnxModel, tensor, type OnnxNode } from '../../helpers/onnx-builder.js';
import { tempDir } from '../../helpers/images.js';
import { createPoseEstimator } from '../../../src/pose/registry.js';
import { BODY25_LAYOUT, COCO18_LAYOUT, type PafLayout } from '../../../src/pose/paf/layouts.js';
import { fromBody25 } from '../../../src/pose/skeletons.js';
import type { Person, Photo } from '../../../src/types.js';
import { makePerson, renderMaps, type SyntheticPerson } from '../paf/synthetic.js';

/**
 * A stand-in for a CMU OpenPose ONNX export: input [1,3,H,W], output maps at stride 8. The maps are
 * synthetic people (constants in the graph) multiplied by a gate that is 1 only when every 8x8 block
 * of the input holds exactly this BGR colour encoded as x/256 - 0.5, and falls steeply otherwise:
 * wrong channel order, scaling or layout lowers or kills the heatmaps.
 */
const PHOTO = { width: 512, height: 384, rgb: [30, 140, 220] as const };
const NET = { width: 256, height: 192 }; // -1x192 for a 4:3 photo
const OUT = { width: NET.width / 8, height: NET.height / 8 };
const K = 30;

function gatedModel(layout: PafLayout, people: SyntheticPerson[], splitOutputs: boolean): Uint8Array {
  const maps = renderMaps(layout, OUT.width, OUT.height, people, { sigma: 1, limbWidth: 1 });
  const n = OUT.width * OUT.height;
  const heat = maps.data.subarray(0, layout.heatmapChannels * n);
  const paf = maps.data.subarray(layout.heatmapChannels * n);
  const [r, g, b] = PHOTO.rgb;
  const nodes: OnnxNode[] = [
    {
      opType: 'AveragePool',
      inputs: ['image'],
      outputs: ['pooled'],
      attributes: { kernel_shape: [8, 8], strides: [8, 8] },
    },
    { opType: 'Sub', inputs: ['pooled', 'expected'], outputs: ['diff'] },
    { opType: 'Abs', inputs: ['diff'], outputs: ['absdiff'] },
    { opType: 'ReduceSum', inputs: ['absdiff', 'axis1'], outputs: ['err'], attributes: { keepdims: 1 } },
    { opType: 'Mul', inputs: ['err', 'k'], outputs: ['penalty'] },
    { opType: 'Sub', inputs: ['one', 'penalty'], outputs: ['gate'] },
    { opType: 'Mul', inputs: ['heat', 'gate'], outputs: splitOutputs ? ['heatmaps'] : ['gated'] },
  ];
  if (!splitOutputs)
    nodes.push({
      opType: 'Concat',
      inputs: ['gated', 'paf'],
      outputs: ['net_output'],
      attributes: { axis: 1 },
    });
  else nodes.push({ opType: 'Identity', inputs: ['paf'], outputs: ['pafs'] });
  return buildOnnxModel({
    inputs: [{ name: 'image', shape: [1, 3, 'height', 'width'] }],
    // Split exports list PAFs first here, to prove the adapter orders them by channel count.
    outputs: splitOutputs ? [{ name: 'pafs' }, { name: 'heatmaps' }] : [{ name: 'net_output' }],
    initializers: [
      tensor('expected', [1, 3, 1, 1], [b / 256 - 0.5, g / 256 - 0.5, r / 256 - 0.5]),
      tensor('axis1', [1], [1], 'int64'),
      tensor('k', [1], [K]),
      tensor('one', [1], [1]),
      tensor('heat', [1, layout.heatmapChannels, OUT.height, OUT.width], heat),
      tensor('paf', [1, layout.pafChannels, OUT.height, OUT.width], paf),
    ],
    nodes,
  });
}

function photo(rgb: readonly [number, number, number] = PHOTO.rgb): Photo {
  const data = new Uint8Array(PHOTO.width * PHOTO.height * 3);
  for (let i = 0; i < data.length; i += 3) data.set(rgb, i);
  return { id: 'flat', source: 'test', width: PHOTO.width, height: PHOTO.height, rgb: data };
}

/** Synthetic people drawn on the stride-8 output grid. */
function scene(layout: PafLayout): SyntheticPerson[] {
  return [
    makePerson(layout, { x: 9, y: 2, height: 20 }),
    makePerson(layout, { x: 22, y: 4, height: 18, leftArm: -0.4 }),
  ];
}

/** Truth in photo pixels: output pixel centres map to (x + 0.5) * 16 - 0.5 (photo = 2x the 256x192 input). */
const toPhoto = (v: number): number => (v + 0.5) * (PHOTO.width / OUT.width) - 0.5;

function assertPeopleMatch(
  people: Person[],
  truth: SyntheticPerson[],
  layout: PafLayout,
  minScore: number,
): void {
  assert.equal(people.length, truth.length, 'people count');
  for (const t of truth) {
    const native = people.map((p) =>
      layout.id === 'coco18' ? fromBody25('coco18', p.keypoints) : p.keypoints,
    );
    // the decoded person whose neck is nearest this truth's neck
    const neck = t[1]!;
    const best = native.reduce(
      (bi, kps, i) =>
        Math.hypot(kps[1].x - toPhoto(neck[0]), kps[1].y - toPhoto(neck[1])) <
        Math.hypot(native[bi][1].x - toPhoto(neck[0]), native[bi][1].y - toPhoto(neck[1]))
          ? i
          : bi,
      0,
    );
    t.forEach((pt, part) => {
      const k = native[best][part];
      assert.ok(pt && k.score > 0, `part ${part} found`);
      const err = Math.hypot(k.x - toPhoto(pt![0]), k.y - toPhoto(pt![1]));
      assert.ok(
        err < 5,
        `part ${part}: (${k.x.toFixed(1)}, ${k.y.toFixed(1)}) is ${err.toFixed(1)} px from the truth`,
      );
      assert.ok(
        k.score >= minScore,
        `part ${part} score ${k.score.toFixed(3)} (the gate is below 1: input encoding is off)`,
      );
    });
  }
}

test('openpose-onnx: COCO-18 (57 channels), BGR x/256-0.5 NCHW input, stride 8, photo scaling', async () => {
  const truth = scene(COCO18_LAYOUT);
  const path = await saveOnnxModel(gatedModel(COCO18_LAYOUT, truth, false));
  const est = await createPoseEstimator(`openpose-onnx:${path}`, {
    quality: 'balanced',
    netResolution: '-1x192',
  });
  const people = await est.estimate(photo());
  // Gaussian peaks sit on the 8 px grid or between: their heights are >= 0.8 when the gate is 1.
  assertPeopleMatch(people, truth, COCO18_LAYOUT, 0.75);
  // The same colour in RGB order (what a wrong channel order feeds the net) closes the gate.
  assert.equal((await est.estimate(photo([220, 140, 30]))).length, 0);
  // A colour 1/256 off per channel lowers scores by 3 * K / 256 = 0.35: scores are exact, not loose.
  const off = await est.estimate(photo([31, 141, 221]));
  assert.ok(
    off.every((p) => p.keypoints.every((k) => k.score < 0.7)),
    'scores drop when the encoding is off',
  );
  est.dispose();
});

test('openpose-onnx: BODY_25 (26 + 52 channels as two outputs) is detected from the channel count', async () => {
  const truth = scene(BODY25_LAYOUT);
  const path = await saveOnnxModel(gatedModel(BODY25_LAYOUT, truth, true));
  const est = await createPoseEstimator(`openpose-onnx:${path}`, {
    quality: 'balanced',
    netResolution: '-1x192',
  });
  const people = await est.estimate(photo());
  assertPeopleMatch(people, truth, BODY25_LAYOUT, 0.75);
  assert.ok(
    people.every((p) => p.keypoints[19].score > 0 && p.keypoints[24].score > 0),
    'feet come from BODY_25 maps',
  );
  est.dispose();
});

test('openpose-onnx: debug overlays are written per photo at the photo size', async () => {
  const truth = scene(COCO18_LAYOUT);
  const path = await saveOnnxModel(gatedModel(COCO18_LAYOUT, truth, false));
  const dir = await tempDir();
  const est = await createPoseEstimator(`openpose-onnx:${path}`, {
    quality: 'balanced',
    netResolution: '-1x192',
    debugMapsDir: dir,
  });
  await est.estimate(photo());
  assert.deepEqual((await readdir(dir)).sort(), ['flat_heatmaps.png', 'flat_pafs.png']);
  for (const f of ['flat_heatmaps.png', 'flat_pafs.png']) {
    const { data, info } = await sharp(join(dir, f)).raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.width, PHOTO.width);
    assert.equal(info.height, PHOTO.height);
    // Overlays differ from the dimmed photo near the people and not in an empty corner.
    const at = (x: number, y: number): number[] => [
      ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
    ];
    const neck = truth[0][1]!;
    const faded = PHOTO.rgb.map((v) => Math.round(v * 0.45));
    assert.deepEqual(at(PHOTO.width - 2, PHOTO.height - 2), faded);
    if (f.includes('heat'))
      assert.notDeepEqual(at(Math.round(toPhoto(neck[0])), Math.round(toPhoto(neck[1]))), faded);
  }
  est.dispose();
});

test('openpose-onnx: a model that is not an OpenPose net is refused with a clear error', async () => {
  const path = await saveOnnxModel({
    inputs: [{ name: 'x', shape: [1, 3, 'h', 'w'] }],
    outputs: [{ name: 'y' }],
    nodes: [
      {
        opType: 'AveragePool',
        inputs: ['x'],
        outputs: ['y'],
        attributes: { kernel_shape: [8, 8], strides: [8, 8] },
      },
    ],
  });
  const est = await createPoseEstimator(`openpose-onnx:${path}`, {
    quality: 'balanced',
    netResolution: '-1x64',
  });
  await assert.rejects(est.estimate(photo()), /3 channels; expected 57 .* or 78/);
  await assert.rejects(createPoseEstimator('openpose-onnx', { quality: 'balanced' }), /needs a model file/);
  await assert.rejects(
    createPoseEstimator('openpose-onnx:/nonexistent.onnx', { quality: 'balanced' }),
    /not found/,
  );
});
