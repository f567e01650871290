import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { runDataset } from '../../pipeline/dataset.js';
import { DEFAULT_PIPELINE_OPTIONS } from '../../pipeline/options.js';
import { defaultWorkers, oneOf, parseCli, positiveInt, type CliCommand } from '../args.js';
import { ProgressBar } from '../progress.js';

const help = `parsepose dataset — build a VITON-HD / HR-VITON try-on dataset from photos

Usage: parsepose dataset <root> [-o <out>] [options]

Reads <root>/image/* (person photos) and, when present, <root>/cloth/* (garment photos), and writes into
<root> (or <out>):
  image-parse-v3/{stem}.png             S-map, CIHP-20 with 10 = neck, 8-bit palette PNG
  openpose_json/{stem}_keypoints.json   BODY_25 OpenPose JSON (the largest person first: readers use people[0])
  openpose_img/{stem}_rendered.png      skeleton on black, drawn as OpenPose's renderer does (hands when known)
  image-parse-agnostic-v3.2/{stem}.png  the S-map with upper clothes, neck and the arms' pose band removed
  agnostic-v3.2/{stem}.jpg              the person with torso and arms greyed out (VITON-HD or HR-VITON rules)
  cloth-mask/{stem}.jpg                 garment vs background of each cloth photo
  test_pairs.txt                        "person.jpg cloth.jpg" lines, when none exists
Photos of another size than --size are scaled to fit (aspect kept), centred and padded with white; the
resized photo goes to image/{stem}.jpg and the original is kept in image-original/.
A killed run resumes: finished photos are listed in parsepose-manifest.jsonl and skipped next time;
files are written atomically (never half-written). Per-photo errors go to parsepose-dataset-report.json
and the run goes on. Outputs are deterministic (same input, byte-identical files).

Options:
  -o, --out <dir>        output root (default: <root>)
      --layout <l>       hr-viton | viton-hd  (agnostic-v3.2 variant; default hr-viton, the files HR-VITON ships)
      --size <WxH>       dataset size (default 768x1024)
  -w, --workers <n>      worker threads (default: cores = ${defaultWorkers()})
  -q, --quality <q>      pose quality: fast | balanced | best (default balanced)
      --overwrite        redo every photo
      --json             machine-readable summary on stdout

Exit codes: 0 all photos done, 1 some failed (listed), 2 usage error.`;

export const command: CliCommand = {
  summary: 'try-on dataset (VITON-HD / HR-VITON layout): S-maps, P-maps, parse-agnostic and agnostic images',
  help,
  async run(argv) {
    const { values: v, positionals } = parseCli(argv, {
      out: { type: 'string', short: 'o' },
      layout: { type: 'string' },
      size: { type: 'string' },
      workers: { type: 'string', short: 'w' },
      quality: { type: 'string', short: 'q' },
      overwrite: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (positionals.length !== 1)
      throw new UsageError('give exactly one dataset root (a folder holding image/)');
    const root = resolve(positionals[0]);
    const size = (v.size as string | undefined) ?? '768x1024';
    const m = /^(\d+)x(\d+)$/.exec(size);
    if (!m || +m[1] < 16 || +m[2] < 16)
      throw new UsageError(`--size must look like 768x1024 (got "${size}")`);
    const layout = oneOf('layout', v.layout as string | undefined, ['hr-viton', 'viton-hd'], 'hr-viton');
    let bar: ProgressBar | undefined;
    const s = await runDataset({
      root,
      outDir: resolve((v.out as string | undefined) ?? root),
      settings: { layout, width: +m[1], height: +m[2] },
      workers: positiveInt('workers', v.workers as string | undefined, defaultWorkers()),
      overwrite: Boolean(v.overwrite),
      pipeline: {
        ...DEFAULT_PIPELINE_OPTIONS,
        pose: true,
        parse: true,
        labels: 'cihp',
        format: 'body25',
        vis: false,
        quality: oneOf('quality', v.quality as string | undefined, ['fast', 'balanced', 'best'], 'balanced'),
      },
      onProgress: (done, total, last) => {
        bar ??= new ProgressBar(total);
        bar.update(done, last);
      },
    });
    bar?.finish();
    if (v.json) console.log(JSON.stringify({ command: 'dataset', ...s }, null, 2));
    else {
      console.error(
        `parsepose dataset: ${s.images} photos, ${s.cloths} cloths: ${s.processed} done, ${s.skipped} skipped (finished before), ${s.failed.length} failed, ${s.people} people, ${s.photosPerSecond.toFixed(2)} photos/s`,
      );
      console.error(`outputs in ${s.outDir}${s.pairsWritten ? ' (test_pairs.txt written)' : ''}`);
      for (const f of s.failed) console.error(`  ${f.message} [${f.code}]`);
    }
    return s.failed.length ? 1 : 0;
  },
};
