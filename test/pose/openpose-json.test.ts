import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readOpenPoseJson, writeOpenPoseJson } from '../../src/pose/openpose-json.js';
import type { Person } from '../../src/types.js';
import { needShared, sharedPath } from '../helpers/paths.js';

const KEY_ORDER = [
  'person_id',
  'pose_keypoints_2d',
  'face_keypoints_2d',
  'hand_left_keypoints_2d',
  'hand_right_keypoints_2d',
  'pose_keypoints_3d',
  'face_keypoints_3d',
  'hand_left_keypoints_3d',
  'hand_right_keypoints_3d',
];

function person(): Person {
  const keypoints = Array.from({ length: 25 }, (_, i) => ({
    x: 10 + i,
    y: 20 + i * 2,
    score: i % 5 === 0 ? 0 : 0.5,
  }));
  return { keypoints, score: 0.5, box: { x: 0, y: 0, width: 1, height: 1 } };
}

test('writes version 1.3 as a bare number, keys in OpenPose order, 0,0,0 for missing, [] for absent parts', () => {
  const text = writeOpenPoseJson([person()]);
  assert.match(text, /^\{"version":1\.3,"people":\[\{"person_id":\[-1\],"pose_keypoints_2d":\[/);
  const doc = JSON.parse(text);
  const p = doc.people[0];
  assert.deepEqual(Object.keys(p), KEY_ORDER);
  assert.equal(p.pose_keypoints_2d.length, 75);
  assert.deepEqual(p.pose_keypoints_2d.slice(0, 3), [0, 0, 0]); // score 0 -> 0,0,0
  assert.deepEqual(p.pose_keypoints_2d.slice(3, 6), [11, 22, 0.5]);
  assert.deepEqual(p.face_keypoints_2d, []);
  assert.equal(
    JSON.parse(writeOpenPoseJson([person()], { format: 'coco18' })).people[0].pose_keypoints_2d.length,
    54,
  );
  assert.equal(JSON.parse(writeOpenPoseJson([], {})).people.length, 0);
});

test('round trip: read(write(people)) gives the same keypoints', () => {
  const p = person();
  const back = readOpenPoseJson(writeOpenPoseJson([p])).people[0];
  for (let i = 0; i < 25; i++) {
    assert.deepEqual(back.keypoints[i], p.keypoints[i].score ? p.keypoints[i] : { x: 0, y: 0, score: 0 });
  }
});

const VITON = 'eval/multimodal-garment-designer/assets/data/vitonhd/test/openpose_json';

test(
  'reference VITON-HD files: same structure key for key, and a lossless round trip',
  { skip: needShared(VITON) },
  async () => {
    const dir = sharedPath(VITON);
    for (const f of (await readdir(dir)).filter((n) => n.endsWith('.json'))) {
      const text = await readFile(join(dir, f), 'utf8');
      const ref = JSON.parse(text);
      const { people, format } = readOpenPoseJson(text);
      assert.equal(format, 'body25');
      const ours = JSON.parse(writeOpenPoseJson(people));
      assert.deepEqual(
        Object.keys(ours),
        Object.keys(ref).filter((k) => k === 'version' || k === 'people'),
      );
      assert.equal(ours.version, ref.version);
      assert.deepEqual(Object.keys(ours.people[0]), Object.keys(ref.people[0]), f);
      const a: number[] = ours.people[0].pose_keypoints_2d;
      const b: number[] = ref.people[0].pose_keypoints_2d;
      assert.equal(a.length, b.length);
      a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-3, `${f}[${i}] ${v} vs ${b[i]}`));
      assert.equal(ours.people[0].hand_left_keypoints_2d.length, ref.people[0].hand_left_keypoints_2d.length);
      assert.equal(ours.people[0].face_keypoints_2d.length, ref.people[0].face_keypoints_2d.length);
    }
  },
);

test(
  'reads OpenPose 1.0 (pose_keypoints, COCO-18) and Dress Code {"keypoints"} files',
  { skip: needShared('eval') },
  async () => {
    const old = await readFile(
      sharedPath('eval/TryOn_with_viton/data/test/openpose_json/00006_00_keypoints.json'),
      'utf8',
    );
    const r = readOpenPoseJson(old);
    assert.equal(r.format, 'coco18');
    assert.equal(r.people[0].keypoints.length, 25);
    const dcDir = sharedPath('eval/multimodal-garment-designer/assets/data/dresscode/dresses');
    const dcFiles = (await readdir(join(dcDir, 'keypoints'))).filter((n) => n.endsWith('.json'));
    assert.ok(dcFiles.length > 0);
    const text = await readFile(join(dcDir, 'keypoints', dcFiles[0]), 'utf8');
    const one = readOpenPoseJson(text).people[0];
    const two = readOpenPoseJson(text, { scale: 2 }).people[0];
    const k = one.keypoints.findIndex((p) => p.score > 0);
    assert.ok(k >= 0);
    assert.ok(Math.abs(two.keypoints[k].x - 2 * one.keypoints[k].x) < 1e-9);
  },
);
