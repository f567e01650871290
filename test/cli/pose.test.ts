import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeInputZoo } from '../helpers/images.js';
import { examplePhoto, needShared, sharedPath } from '../helpers/paths.js';

test('parsepose --help and usage errors exit 2 with a clear message', async () => {
  const help = await runCli(['pose', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--format <f>/);
  assert.match(help.stdout, /openpose_json/);
  const noOut = await runCli(['pose', 'x.jpg']);
  assert.equal(noOut.code, 2);
  assert.match(noOut.stderr, /--out <dir> is required/);
  const badFormat = await runCli(['pose', 'x.jpg', '-o', '/tmp/x', '--format', 'coco99']);
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.stderr, /--format must be one of body25, coco18, coco17/);
  const unknown = await runCli(['pose', 'x.jpg', '-o', '/tmp/x', '--frobnicate']);
  assert.equal(unknown.code, 2);
  const noCmd = await runCli(['nosuch']);
  assert.equal(noCmd.code, 2);
  const badEngine = await runCli(['pose', 'x.jpg', '-o', '/tmp/x'], { env: { PARSEPOSE_ENGINE: 'gpu' } });
  assert.equal(badEngine.code, 2);
  assert.match(badEngine.stderr, /PARSEPOSE_ENGINE must be "onnx" or "tfjs", not "gpu"/);
});

test('PARSEPOSE_ENGINE=tfjs gives the same people as the default ONNX Runtime engine', async () => {
  const dir = await tempDir();
  const runs = [];
  for (const engine of ['onnx', 'tfjs']) {
    const r = await runCli(['pose', examplePhoto(1), '-o', join(dir, engine), '--json'], {
      env: { PARSEPOSE_ENGINE: engine },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).engine, engine);
    const [file] = await readdir(join(dir, engine, 'openpose_json'));
    runs.push(JSON.parse(await readFile(join(dir, engine, 'openpose_json', file), 'utf8')));
  }
  const [a, b] = runs as Array<{ people: Array<{ pose_keypoints_2d: number[] }> }>;
  assert.equal(a.people.length, b.people.length);
  assert.ok(a.people.length >= 3);
  // the same keypoints to within a pixel on this 1920x1280 photo: float rounding differs between the
  // engines and the second crop follows the first pass's keypoints, so sub-pixel differences carry over
  let worst = 0;
  a.people.forEach((p, i) =>
    p.pose_keypoints_2d.forEach((v, k) => {
      if (k % 3 !== 2) worst = Math.max(worst, Math.abs(v - b.people[i].pose_keypoints_2d[k]));
    }),
  );
  assert.ok(worst < 2, `keypoints differ by up to ${worst} px`);
});

test('pose on a batch: good photos written, every bad input reported, exit 1; a rerun resumes', async () => {
  const dir = await tempDir();
  const inputs = join(dir, 'in');
  const out = join(dir, 'out');
  const zoo = await writeInputZoo(inputs); // small synthetic images plus empty / text / truncated files
  await copyFile(examplePhoto(6), join(inputs, 'group.jpg'));
  const huge = join(inputs, 'y_huge.png');
  await sharp({ create: { width: 8000, height: 6400, channels: 3, background: '#808080' } })
    .png()
    .toFile(huge);
  const run = await runCli(['pose', inputs, join(dir, 'missing.jpg'), '-o', out, '--json', '--workers', '2']);
  assert.equal(run.code, 1, run.stderr);
  const summary = JSON.parse(run.stdout);
  const failed = new Map<string, string>(
    summary.failed.map((f: { file: string; code: string }) => [f.file, f.code]),
  );
  assert.equal(failed.get(zoo.empty), 'EMPTY_FILE');
  assert.equal(failed.get(zoo.text), 'NOT_AN_IMAGE');
  assert.equal(failed.get(zoo.truncated), 'UNREADABLE_IMAGE');
  assert.equal(failed.get(huge), 'IMAGE_TOO_LARGE');
  assert.equal(failed.get(join(dir, 'missing.jpg')), 'NOT_FOUND');
  assert.equal(summary.succeeded, 9, 'the 8 decodable zoo images and the group photo');
  // The group photo: every person found, JSON per SPEC, render the photo's size.
  const doc = JSON.parse(await readFile(join(out, 'openpose_json', 'group_keypoints.json'), 'utf8'));
  assert.equal(doc.version, 1.3);
  assert.ok(doc.people.length >= 3, `people in the group photo: ${doc.people.length}`);
  for (const p of doc.people) assert.equal(p.pose_keypoints_2d.length, 75);
  const meta = await sharp(join(out, 'openpose_img', 'group_rendered.png')).metadata();
  const src = await sharp(examplePhoto(6)).metadata();
  assert.deepEqual([meta.width, meta.height], [src.width, src.height]);
  assert.ok(existsSync(join(out, 'openpose_vis', 'group.png')));
  // No temp files left behind; the report lists the failures.
  for (const sub of await readdir(out)) {
    if (sub.endsWith('.json')) continue;
    for (const f of await readdir(join(out, sub))) assert.ok(!f.includes('.tmp-'), f);
  }
  const report = JSON.parse(await readFile(join(out, 'parsepose-report.json'), 'utf8'));
  assert.equal(report.failed.length, 5);
  // A rerun skips what is done.
  const again = await runCli(['pose', join(inputs, 'group.jpg'), '-o', out, '--json']);
  assert.equal(again.code, 0);
  assert.equal(JSON.parse(again.stdout).skipped, 1);
});

const VITON = 'eval/multimodal-garment-designer/assets/data/vitonhd/test';

test(
  'VITON-HD photo: JSON has the reference structure key for key; COCO-18 output has 54 numbers',
  { skip: needShared(VITON) },
  async () => {
    const dir = await tempDir();
    const photo = sharedPath(VITON, 'image', '03191_00.jpg');
    const run = await runCli(['pose', photo, '-o', dir, '--quality', 'fast']);
    assert.equal(run.code, 0, run.stderr);
    const ours = JSON.parse(await readFile(join(dir, 'openpose_json', '03191_00_keypoints.json'), 'utf8'));
    const ref = JSON.parse(
      await readFile(sharedPath(VITON, 'openpose_json', '03191_00_keypoints.json'), 'utf8'),
    );
    assert.deepEqual(Object.keys(ours), Object.keys(ref));
    assert.equal(ours.people.length, 1);
    assert.deepEqual(Object.keys(ours.people[0]), Object.keys(ref.people[0]));
    assert.equal(ours.people[0].pose_keypoints_2d.length, ref.people[0].pose_keypoints_2d.length);
    const coco = await runCli([
      'pose',
      photo,
      '-o',
      join(dir, 'c'),
      '--format',
      'coco18',
      '--quality',
      'fast',
    ]);
    assert.equal(coco.code, 0);
    const c = JSON.parse(await readFile(join(dir, 'c', 'openpose_json', '03191_00_keypoints.json'), 'utf8'));
    assert.equal(c.people[0].pose_keypoints_2d.length, 54);
    await writeFile(join(dir, 'done'), '');
  },
);
