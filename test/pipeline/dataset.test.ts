import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodePng } from '../../src/image/png.js';
import { pairsText } from '../../src/pipeline/dataset.js';
import { runCli } from '../helpers/cli.js';
import { gradient, tempDir } from '../helpers/images.js';
import { REPO_ROOT, examplePhoto } from '../helpers/paths.js';

const SIZE = '192x256';
const PHOTOS = 200;

/** 200 person photos at a small dataset size (fast): crops of a real group photo and empty scenes. */
async function makeRoot(dir: string): Promise<void> {
  await mkdir(join(dir, 'image'), { recursive: true });
  await mkdir(join(dir, 'cloth'), { recursive: true });
  const group = await sharp(examplePhoto(6)).resize(480).toBuffer();
  const meta = await sharp(group).metadata();
  for (let i = 0; i < PHOTOS; i++) {
    const out = join(dir, 'image', `${String(i).padStart(5, '0')}_00.jpg`);
    if (i % 10 === 0) {
      // one real person per crop, at another size than the dataset's (so it is resized and padded)
      const left = Math.min(meta.width! - 130, (i / 10) * 17);
      await sharp(group).extract({ left, top: 0, width: 130, height: meta.height! }).jpeg().toFile(out);
    } else {
      await sharp(gradient(192, 256), { raw: { width: 192, height: 256, channels: 3 } })
        .modulate({ hue: i * 7 })
        .jpeg()
        .toFile(out);
    }
  }
  await sharp({ create: { width: 192, height: 256, channels: 3, background: '#ffffff' } })
    .composite([
      {
        input: await sharp({ create: { width: 90, height: 120, channels: 3, background: '#203080' } })
          .png()
          .toBuffer(),
        left: 50,
        top: 60,
      },
    ])
    .jpeg()
    .toFile(join(dir, 'cloth', '00000_00.jpg'));
}

async function listAll(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const p = join(dir, name);
    if ((await stat(p)).isDirectory()) out.push(...(await listAll(p, `${prefix}${name}/`)));
    else out.push(`${prefix}${name}`);
  }
  return out;
}

function runUntilKilled(args: string[], manifest: string, lines: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli/bin.ts'), ...args], {
      cwd: REPO_ROOT,
    });
    const timer = setInterval(async () => {
      if (!existsSync(manifest)) return;
      const n = (await readFile(manifest, 'utf8')).split('\n').length - 1;
      if (n >= lines) child.kill('SIGKILL');
    }, 50);
    child.on('error', reject);
    child.on('close', () => {
      clearInterval(timer);
      resolve();
    });
  });
}

test(
  'dataset: a run killed midway and resumed gives byte-identical files to an uninterrupted run',
  { timeout: 600_000 },
  async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await makeRoot(root);
    const outA = join(dir, 'a');
    const outB = join(dir, 'b');
    const args = (out: string) => [
      'dataset',
      root,
      '-o',
      out,
      '--size',
      SIZE,
      '--workers',
      '2',
      '--quality',
      'fast',
      '--json',
    ];
    const a = await runCli(args(outA), { timeoutMs: 500_000 });
    assert.equal(a.code, 0, a.stderr);
    const sa = JSON.parse(a.stdout);
    assert.equal(sa.processed, PHOTOS + 1);
    assert.ok(sa.people >= 15, `people found in the real crops: ${sa.people}`);

    await runUntilKilled(args(outB), join(outB, 'parsepose-manifest.jsonl'), 60);
    const partial = (await readFile(join(outB, 'parsepose-manifest.jsonl'), 'utf8')).split('\n').length - 1;
    assert.ok(partial >= 60 && partial < PHOTOS, `killed midway (${partial} finished)`);
    const b = await runCli(args(outB), { timeoutMs: 500_000 });
    assert.equal(b.code, 0, b.stderr);
    const sb = JSON.parse(b.stdout);
    assert.ok(sb.skipped >= partial - 1, `resumed: ${sb.skipped} skipped`);
    assert.equal(sb.processed + sb.skipped, PHOTOS + 1);

    const filesA = (await listAll(outA)).filter((f) => !f.startsWith('parsepose-'));
    const filesB = (await listAll(outB)).filter((f) => !f.startsWith('parsepose-'));
    assert.deepEqual(filesB, filesA, 'same files, and no temp files left');
    assert.equal(filesA.filter((f) => f.startsWith('image-parse-v3/')).length, PHOTOS);
    for (const f of filesA) {
      const [x, y] = await Promise.all([readFile(join(outA, f)), readFile(join(outB, f))]);
      assert.ok(x.equals(y), `${f} differs between the interrupted and the uninterrupted run`);
    }
    // Every map has the dataset size; the parse-agnostic holds no upper clothes, neck, dress or coat.
    for (const f of filesA.filter((n) => n.startsWith('image-parse-agnostic-v3.2/')).slice(0, 40)) {
      const d = decodePng(await readFile(join(outA, f)));
      assert.deepEqual([d.width, d.height], [192, 256]);
      for (const v of d.data) assert.ok(![5, 6, 7, 10].includes(v), `${f} keeps label ${v}`);
    }
    // Photos of another size were resized (originals kept); pairs written; the cloth got a mask.
    assert.ok(existsSync(join(outA, 'image-original', '00000_00.jpg')));
    assert.deepEqual((await sharp(join(outA, 'image', '00000_00.jpg')).metadata()).width, 192);
    assert.equal((await readFile(join(outA, 'test_pairs.txt'), 'utf8')).split('\n').length - 1, PHOTOS);
    assert.ok(existsSync(join(outA, 'cloth-mask', '00000_00.jpg')));
  },
);

test('test_pairs: a person gets the cloth of its own stem, else the cloths in turn', () => {
  assert.equal(
    pairsText(['/r/image/a.jpg', '/r/image/b.png'], ['/r/cloth/b.jpg', '/r/cloth/c.jpg']),
    'a.jpg b.jpg\nb.jpg b.jpg\n',
  );
  assert.equal(pairsText(['/r/image/a.jpg'], []), 'a.jpg a.jpg\n');
});

test('dataset: a bad photo is reported and the others finish; usage errors exit 2', async () => {
  const dir = await tempDir();
  await mkdir(join(dir, 'image'));
  await sharp(examplePhoto(6))
    .resize(192, 256, { fit: 'cover' })
    .jpeg()
    .toFile(join(dir, 'image', 'good.jpg'));
  await (await import('node:fs/promises')).writeFile(join(dir, 'image', 'bad.jpg'), 'not a photo');
  const r = await runCli(['dataset', dir, '--size', SIZE, '--workers', '1', '--quality', 'fast', '--json']);
  assert.equal(r.code, 1);
  const s = JSON.parse(r.stdout);
  assert.equal(s.processed, 1);
  assert.equal(s.failed.length, 1);
  assert.match(s.failed[0].message, /bad\.jpg: not an image/);
  assert.ok(existsSync(join(dir, 'image-parse-v3', 'good.png')));
  const report = JSON.parse(await readFile(join(dir, 'parsepose-dataset-report.json'), 'utf8'));
  assert.equal(report.failed[0].code, 'NOT_AN_IMAGE');
  assert.equal((await runCli(['dataset', dir, '--size', 'big'])).code, 2);
  assert.equal((await runCli(['dataset', join(dir, 'nothing-here')])).code, 1);
});
