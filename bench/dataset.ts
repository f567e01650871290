import { mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { runCliJson, type Row } from './util.js';

interface DatasetSummary {
  processed: number;
  failed: unknown[];
  seconds: number;
  photosPerSecond: number;
  maxRssMB: number;
}

async function makeRoot(root: string, photos: string[], n: number): Promise<void> {
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, 'image'), { recursive: true });
  for (let i = 0; i < n; i++) {
    await symlink(photos[i % photos.length], join(root, 'image', `${String(i).padStart(5, '0')}_00.jpg`));
  }
}

/**
 * `parsepose dataset` on 768x1024 photos with 1 and 2 workers, then how time and peak memory grow from 50
 * to 500 photos (BENCH_GROWTH=0 skips that part: it takes minutes).
 */
export async function benchDataset(
  photosDir: string,
  work: string,
): Promise<{ rows: Row[]; extra: unknown }> {
  const photos = (await readdir(photosDir)).sort().map((f) => join(photosDir, f));
  const rows: Row[] = [];
  const root = join(work, 'dataset-root');
  for (const w of [1, 2]) {
    await makeRoot(root, photos, photos.length);
    const s = runCliJson<DatasetSummary>([
      'dataset',
      root,
      '-o',
      join(work, `ds-out-${w}`),
      '--workers',
      String(w),
    ]);
    rows.push({
      section: 'dataset',
      workers: w,
      photos: s.processed,
      photosPerSecond: s.photosPerSecond,
      secondsPerPhotoPerCore: w / s.photosPerSecond,
      loadSeconds: 0,
      maxRssMB: s.maxRssMB,
      inferenceShare: 0,
      note: s.failed.length ? `${s.failed.length} failed` : 'incl. model load',
    });
  }
  const growth: Array<{ photos: number; seconds: number; secondsPerPhoto: number; maxRssMB: number }> = [];
  if (process.env.BENCH_GROWTH !== '0') {
    for (const n of [50, 500]) {
      await makeRoot(root, photos, n);
      const s = runCliJson<DatasetSummary>([
        'dataset',
        root,
        '-o',
        join(work, `ds-growth-${n}`),
        '--workers',
        '2',
      ]);
      growth.push({ photos: n, seconds: s.seconds, secondsPerPhoto: s.seconds / n, maxRssMB: s.maxRssMB });
      await rm(join(work, `ds-growth-${n}`), { recursive: true, force: true });
    }
  }
  return { rows, extra: { growth } };
}
