/**
 * Accuracy of the defaults on the reference photos in ../shared/eval, through the product's own commands
 * (`parsepose pose` then `parsepose eval pose`), plus the S-map tables of bench/eval-parse.ts.
 *
 *   npm run eval:shared                  # pose (all qualities) and parse
 *   npm run eval:shared -- pose          # only pose;  -- parse: only parse
 *   npm run eval:shared -- pose --quality balanced
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, runCliJson } from './util.js';

const EVAL = resolve(ROOT, '..', 'shared', 'eval');
const { values, positionals } = parseArgs({
  options: { quality: { type: 'string' } },
  allowPositionals: true,
});
const want = (s: string) => positionals.length === 0 || positionals.includes(s);
const qualities = values.quality ? [values.quality] : ['fast', 'balanced', 'best'];

interface PoseEval {
  AP?: number;
  AP50?: number;
  AP75?: number;
  AR?: number;
  PCK?: Record<string, number>;
  perKeypoint?: Array<{ name: string; n: number; pck: Record<string, number> }>;
}
interface PoseRun {
  results: Array<{ source: string; people: number }>;
}

async function linkAll(dir: string, files: string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const f of files) await symlink(f, join(dir, f.split('/').pop()!));
}

async function listed(dir: string, re: RegExp): Promise<string[]> {
  return (await readdir(dir))
    .filter((f) => re.test(f))
    .sort()
    .map((f) => join(dir, f));
}

const pct = (v: number | undefined) =>
  v === undefined || v < 0 ? '  –  ' : (v * 100).toFixed(1).padStart(5);

async function poseSection(work: string): Promise<void> {
  const vit = join(EVAL, 'multimodal-garment-designer/assets/data/vitonhd/test');
  const dcRoot = join(EVAL, 'multimodal-garment-designer/assets/data/dresscode');
  const dcImages = join(work, 'dc/images');
  const dcKeypoints = join(work, 'dc/keypoints');
  for (const c of ['dresses', 'lower_body', 'upper_body']) {
    await linkAll(dcImages, await listed(join(dcRoot, c, 'images'), /\.jpg$/));
    await linkAll(dcKeypoints, await listed(join(dcRoot, c, 'keypoints'), /\.json$/));
  }
  const coco = join(EVAL, 'mmpose/tests/data/coco');
  const och = join(EVAL, 'mmpose/tests/data/ochuman');
  console.log(
    '\nP-maps: `parsepose pose` then `parsepose eval pose` (PCK at alpha x image height; references c > 0.3)',
  );
  console.log(
    'quality   VITON-HD PCK@.05 (min type)  DressCode PCK@.05 (min type)  COCO AP  AP50  AP75    AR  people ok  OCHuman AP    AR',
  );
  for (const q of qualities) {
    const out = (name: string) => join(work, `${name}-${q}`);
    const pose = (inputs: string[], name: string) =>
      runCliJson<PoseRun>(['pose', ...inputs, '-o', out(name), '--quality', q, '--no-vis', '--overwrite']);
    pose([join(vit, 'image')], 'viton');
    pose([dcImages], 'dc');
    const cocoRun = pose(await listed(coco, /\.jpg$/), 'coco');
    pose(await listed(och, /\.jpg$/), 'och');
    const v = runCliJson<PoseEval>([
      'eval',
      'pose',
      '--pred',
      out('viton'),
      '--gt',
      join(vit, 'openpose_json'),
      '--images',
      join(vit, 'image'),
    ]);
    const d = runCliJson<PoseEval>([
      'eval',
      'pose',
      '--pred',
      out('dc'),
      '--gt',
      dcKeypoints,
      '--gt-scale',
      '2',
      '--images',
      dcImages,
    ]);
    const c = runCliJson<PoseEval>([
      'eval',
      'pose',
      '--pred',
      out('coco'),
      '--gt',
      join(coco, 'test_coco.json'),
    ]);
    const o = runCliJson<PoseEval>([
      'eval',
      'pose',
      '--pred',
      out('och'),
      '--gt',
      join(och, 'test_ochuman.json'),
    ]);
    const minType = (e: PoseEval) =>
      Math.min(...(e.perKeypoint ?? []).filter((k) => k.n > 0).map((k) => k.pck['0.05'] ?? 1));
    // People counts against the annotation (people with keypoints) per COCO image.
    const gt = JSON.parse((await import('node:fs')).readFileSync(join(coco, 'test_coco.json'), 'utf8')) as {
      images: Array<{ id: number; file_name: string }>;
      annotations: Array<{ image_id: number; num_keypoints: number; iscrowd?: number }>;
    };
    let countsOk = 0;
    for (const img of gt.images) {
      const annotated = gt.annotations.filter(
        (a) => a.image_id === img.id && a.num_keypoints > 0 && !a.iscrowd,
      ).length;
      const found = cocoRun.results.find((r) => r.source.endsWith(img.file_name))?.people ?? -1;
      if (found === annotated) countsOk++;
    }
    console.log(
      `${q.padEnd(9)} ${pct(v.PCK?.['0.05'])}% (${pct(minType(v))}%)          ${pct(d.PCK?.['0.05'])}% (${pct(minType(d))}%)           ${pct(c.AP)} ${pct(c.AP50)} ${pct(c.AP75)} ${pct(c.AR)}   ${countsOk}/${gt.images.length}      ${pct(o.AP)} ${pct(o.AR)}`,
    );
  }
}

async function main(): Promise<void> {
  if (!existsSync(EVAL)) {
    console.error(`../shared/eval is absent (${EVAL}): nothing to evaluate`);
    process.exit(2);
  }
  const work = await mkdtemp(join(tmpdir(), 'parsepose-eval-'));
  try {
    if (want('pose')) await poseSection(work);
    if (want('parse')) {
      console.log('\nS-maps: bench/eval-parse.ts --set all --pose default');
      spawnSync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'bench/eval-parse.ts'), '--set', 'all', '--pose', 'default'],
        {
          stdio: 'inherit',
        },
      );
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
