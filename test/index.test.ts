import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as parsepose from '../src/index.js';
import { examplePhoto } from './helpers/paths.js';

test('the library entry point runs the whole chain on a real photo', async () => {
  const photo = await parsepose.loadPhoto(examplePhoto(1));
  const pose = await parsepose.createPoseEstimator('default', { quality: 'fast' });
  const people = await pose.estimate(photo);
  assert.ok(people.length >= 2, `people: ${people.length}`);
  for (const p of people) assert.equal(p.keypoints.length, 25);
  const doc = JSON.parse(parsepose.writeOpenPoseJson(people, { format: 'coco18' }));
  assert.equal(doc.people.length, people.length);
  const render = parsepose.renderPose(people, photo.width, photo.height);
  assert.equal(render.length, photo.width * photo.height * 3);
  assert.ok(
    render.some((v) => v > 0),
    'something drawn',
  );
  const parser = await parsepose.createParser('default');
  const { map } = await parser.parse(photo, people);
  assert.deepEqual([map.width, map.height, map.set], [photo.width, photo.height, 'cihp']);
  const png = parsepose.decodePng(parsepose.sMapPng(map));
  assert.deepEqual(Buffer.from(png.data), Buffer.from(map.labels));
  const lip = parsepose.convertLabelMap(map, 'lip', people);
  assert.equal(lip.set, 'lip');
  pose.dispose();
  parser.dispose();
});
