import { resolve } from 'node:path';
import { expandInputs } from '../image/inputs.js';
import { defaultEngine, type NetEngine } from '../runtime/net.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { PipelineOptions } from './options.js';
import { WorkerPool } from './pool.js';
import type { PhotoResult } from './process.js';

export interface BatchFailure {
  file: string;
  code: string;
  message: string;
}

export interface BatchSummary {
  outDir: string;
  photos: number;
  succeeded: number;
  /** Photos whose outputs all existed already (a resumed run). */
  skipped: number;
  failed: BatchFailure[];
  people: number;
  /** Wall time of the whole run, model loading included. */
  seconds: number;
  /** Time the workers took to load their models (before the first photo). */
  loadSeconds: number;
  /** Photos processed per second once the models were loaded. */
  photosPerSecond: number;
  /**
   * CPU time (user + system, every thread of the process) per processed photo once the models were
   * loaded: the cost of a photo on one core, whatever the number of workers and however busy the machine.
   */
  cpuSecondsPerPhoto: number;
  /** Summed per-photo times (ms) over all workers: where the time went. */
  timings: { decode: number; pose: number; parse: number; write: number; inference: number };
  /** Peak resident memory of the process (all workers included), MB. */
  maxRssMB: number;
  workers: number;
  /** What ran the models (PARSEPOSE_ENGINE). */
  engine: NetEngine;
  results: Array<
    Pick<PhotoResult, 'id' | 'source' | 'width' | 'height' | 'labelsPresent'> & { people: number }
  >;
}

export interface BatchOptions {
  inputs: string[];
  outDir: string;
  workers: number;
  recursive?: boolean;
  /** Called after each photo (done counts successes, failures and skips). */
  onProgress?: (done: number, total: number, last: string) => void;
}

/**
 * Runs a batch through the worker pool: every input file is processed, one bad file never stops the
 * others; failures are collected with the file and reason, and a report is written next to the outputs.
 */
export async function runBatch(options: PipelineOptions, batch: BatchOptions): Promise<BatchSummary> {
  const t0 = performance.now();
  const { files, missing } = await expandInputs(batch.inputs, { recursive: batch.recursive });
  const failed: BatchFailure[] = missing.map((file) => ({
    file,
    code: 'NOT_FOUND',
    message: `${file}: no such file, folder or matching image`,
  }));
  const results: BatchSummary['results'] = [];
  let skipped = 0;
  let people = 0;
  let done = missing.length;
  let loadSeconds = 0;
  let loadCpu = process.cpuUsage();
  const timings = { decode: 0, pose: 0, parse: 0, write: 0, inference: 0 };
  const total = files.length + missing.length;
  const workers = Math.max(1, Math.min(batch.workers, files.length));
  if (files.length) {
    const pool = new WorkerPool(workers, options);
    try {
      await pool.ready();
      loadSeconds = (performance.now() - t0) / 1000;
      loadCpu = process.cpuUsage();
      await Promise.all(
        files.map(async (file) => {
          const outcome = await pool.run({ kind: 'file', path: file, outDir: batch.outDir });
          done++;
          if (outcome.ok) {
            if (outcome.result.skipped) skipped++;
            else {
              people += outcome.result.people.length;
              for (const k of Object.keys(timings) as Array<keyof typeof timings>) {
                timings[k] += outcome.result.timings[k];
              }
              results.push({
                id: outcome.result.id,
                source: file,
                width: outcome.result.width,
                height: outcome.result.height,
                labelsPresent: outcome.result.labelsPresent,
                people: outcome.result.people.length,
              });
            }
          } else {
            const msg = outcome.error.message.startsWith(file)
              ? outcome.error.message
              : `${file}: ${outcome.error.message}`;
            failed.push({ file, code: outcome.error.code, message: msg });
          }
          batch.onProgress?.(done, total, file);
        }),
      );
    } finally {
      await pool.close();
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(loadCpu);
  const processed = results.length;
  failed.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  results.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  const summary: BatchSummary = {
    outDir: resolve(batch.outDir),
    photos: total,
    succeeded: processed,
    skipped,
    failed,
    people,
    seconds,
    loadSeconds,
    photosPerSecond: processed / Math.max(seconds - loadSeconds, 1e-6),
    cpuSecondsPerPhoto: processed ? (cpu.user + cpu.system) / 1e6 / processed : 0,
    timings,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    workers,
    engine: defaultEngine(),
    results,
  };
  if (files.length || failed.length) {
    await writeFileAtomic(
      resolve(batch.outDir, 'parsepose-report.json'),
      JSON.stringify({ ...summary, results: undefined, generatedBy: 'parsepose' }, null, 2) + '\n',
    );
  }
  return summary;
}
