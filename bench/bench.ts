/**
 * The one standard benchmark: `npm run bench`. Runs each command on the same 768x1024 photos with 1 and 2
 * workers in a child process (so peak RSS is the command's own), prints one table and writes the results
 * as JSON (bench/results/latest.json and a dated copy) for comparison over time.
 *
 *   npm run bench                 # everything
 *   npm run bench -- pose parse   # only these sections (pose, parse, run, engines, dataset, decoder, human)
 *   BENCH_PHOTOS=60 npm run bench # more photos per run (default 36)
 *
 * `run` also runs once on tfjs's wasm backend (PARSEPOSE_ENGINE=tfjs) next to the default ONNX Runtime
 * engine; `engines` times each npm-shipped model alone on both engines, alternating calls.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { ROOT, runCliJson, type Row } from './util.js';

const SHARED = resolve(ROOT, '..', 'shared');
/**
 * 36 photos by default: each worker's first photos include JIT warm-up (about a second), which with 12
 * photos and 2 workers would be half of what is measured.
 */
const N = Number(process.env.BENCH_PHOTOS ?? 36);
const only = new Set(process.argv.slice(2));
const want = (s: string) => only.size === 0 || only.has(s);

/** 768x1024 try-on photos: the VITON-HD and Dress Code eval photos when ../shared is there, else the examples. */
async function preparePhotos(dir: string): Promise<{ files: string[]; source: string }> {
  const vit = join(SHARED, 'eval/multimodal-garment-designer/assets/data');
  let sources: string[] = [];
  let source = '';
  if (existsSync(vit)) {
    sources = [
      ...(await readdir(join(vit, 'vitonhd/test/image'))).map((f) => join(vit, 'vitonhd/test/image', f)),
      ...['dresses', 'upper_body', 'lower_body'].flatMap((c) =>
        existsSync(join(vit, 'dresscode', c, 'images')) ? [join(vit, 'dresscode', c, 'images')] : [],
      ),
    ];
    const expanded: string[] = [];
    for (const s of sources) {
      if (s.endsWith('.jpg')) expanded.push(s);
      else for (const f of (await readdir(s)).sort()) expanded.push(join(s, f));
    }
    sources = expanded.filter((f) => /\.jpe?g$/i.test(f));
    source = '../shared VITON-HD + Dress Code photos (one person each)';
  } else {
    for (let i = 1; i <= 6; i++)
      sources.push(join(ROOT, 'node_modules/@vladmandic/face-api/demo', `sample${i}.jpg`));
    source = 'example group photos (@vladmandic/face-api), cropped to 768x1024';
  }
  const files: string[] = [];
  for (let i = 0; i < N; i++) {
    const out = join(dir, `p${String(i).padStart(3, '0')}.jpg`);
    await sharp(sources[i % sources.length])
      .resize(768, 1024, { fit: 'cover' })
      .jpeg({ quality: 95 })
      .toFile(out);
    files.push(out);
  }
  return { files, source };
}

interface Summary {
  succeeded: number;
  failed: unknown[];
  photosPerSecond: number;
  cpuSecondsPerPhoto: number;
  loadSeconds: number;
  maxRssMB: number;
  timings: { pose: number; parse: number; inference: number; decode: number; write: number };
}

function runCli(args: string[], env: Record<string, string> = {}): Summary {
  return runCliJson<Summary>([...args, '--overwrite'], env);
}

async function benchCommand(
  cmd: string,
  inputs: string,
  out: string,
  workers: number,
  engine?: 'tfjs',
): Promise<Row> {
  await rm(out, { recursive: true, force: true });
  const s = runCli(
    [cmd, inputs, '-o', out, '--workers', String(workers)],
    engine ? { PARSEPOSE_ENGINE: engine } : {},
  );
  const t = s.timings;
  const total = t.decode + t.pose + t.parse + t.write;
  const per = (v: number) => Math.round(v / Math.max(1, s.succeeded));
  return {
    section: engine ? `${cmd} (${engine} engine)` : cmd,
    workers,
    photos: s.succeeded,
    photosPerSecond: s.photosPerSecond,
    secondsPerPhotoPerCore: workers / s.photosPerSecond,
    cpuSecondsPerPhoto: s.cpuSecondsPerPhoto,
    loadSeconds: s.loadSeconds,
    maxRssMB: s.maxRssMB,
    inferenceShare: total ? t.inference / total : 0,
    stepMs: { decode: per(t.decode), pose: per(t.pose), parse: per(t.parse), write: per(t.write) },
    note: s.failed.length ? `${s.failed.length} failed` : undefined,
  };
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'parsepose-bench-'));
  const photosDir = join(work, 'photos');
  await mkdir(photosDir);
  const { source } = await preparePhotos(photosDir);
  console.log(
    `parsepose bench: ${N} photos of 768x1024 from ${source}; ${process.arch}, Node ${process.version}`,
  );
  const rows: Row[] = [];
  const extras: Record<string, unknown> = {};
  for (const cmd of ['pose', 'parse', 'run']) {
    if (!want(cmd)) continue;
    for (const w of [1, 2]) {
      try {
        rows.push(await benchCommand(cmd, photosDir, join(work, `out-${cmd}-${w}`), w));
      } catch (err) {
        console.error(String(err));
      }
    }
  }
  // the same job on tfjs's wasm backend, side by side with the default ONNX Runtime engine
  if (want('run') || want('engines')) {
    try {
      rows.push(await benchCommand('run', photosDir, join(work, 'out-run-tfjs'), 1, 'tfjs'));
    } catch (err) {
      console.error(String(err));
    }
  }
  if (want('engines') && existsSync(join(ROOT, 'bench/engines.ts'))) {
    const mod = (await import('./engines.js')) as { benchEngines(): Promise<unknown> };
    extras.engines = await mod.benchEngines();
  }
  if (want('dataset') && existsSync(join(ROOT, 'bench/dataset.ts'))) {
    const mod = (await import('./dataset.js')) as {
      benchDataset(photos: string, work: string): Promise<{ rows: Row[]; extra: unknown }>;
    };
    const r = await mod.benchDataset(photosDir, work);
    rows.push(...r.rows);
    extras.dataset = r.extra;
  }
  if (want('decoder') && existsSync(join(ROOT, 'bench/decoder.ts'))) {
    const mod = (await import('./decoder.js')) as { benchDecoder(): Promise<unknown> };
    extras.decoder = await mod.benchDecoder();
  }
  if (want('human') && existsSync(join(ROOT, 'bench/human-compare.ts'))) {
    const mod = (await import('./human-compare.js')) as {
      benchHumanCompare(photos: string): Promise<unknown>;
    };
    extras.human = await mod.benchHumanCompare(photosDir);
  }
  const header = [
    'section',
    'workers',
    'photos',
    'photos/s',
    's/photo/core',
    'CPU s/photo',
    'load s',
    'peak RSS MB',
    'inference %',
    'ms/photo decode/pose/parse/write',
  ];
  const table = rows.map((r) => [
    r.section,
    String(r.workers),
    String(r.photos),
    r.photosPerSecond.toFixed(2),
    r.secondsPerPhotoPerCore.toFixed(3),
    r.cpuSecondsPerPhoto?.toFixed(3) ?? '',
    r.loadSeconds.toFixed(1),
    String(r.maxRssMB),
    (r.inferenceShare * 100).toFixed(0) + '%' + (r.note ? ` (${r.note})` : ''),
    r.stepMs ? `${r.stepMs.decode}/${r.stepMs.pose}/${r.stepMs.parse}/${r.stepMs.write}` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log('\n' + line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
  for (const [k, v] of Object.entries(extras)) console.log(`\n${k}:`, JSON.stringify(v, null, 2));
  const result = { date: new Date().toISOString(), photos: N, source, rows, ...extras };
  await mkdir(join(ROOT, 'bench/results'), { recursive: true });
  await writeFile(join(ROOT, 'bench/results/latest.json'), JSON.stringify(result, null, 2) + '\n');
  await rm(work, { recursive: true, force: true });
  console.log('\nwritten: bench/results/latest.json');
}

await main();
