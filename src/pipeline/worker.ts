import { parentPort, workerData } from 'node:worker_threads';
import { ParseposeError, errorCode, errorMessage } from '../errors.js';
import type { PipelineOptions } from './options.js';
import { PhotoProcessor, emptyResult } from './process.js';
import { buildClothMask, buildDatasetPhoto } from './dataset.js';
import type { PoolOutcome, PoolTask } from './pool.js';

/** One pool worker: loads the models once, then processes tasks one at a time. */
const port = parentPort!;
const processor = new PhotoProcessor((workerData as { options: PipelineOptions }).options);

processor.init().then(
  () => port.postMessage({ type: 'ready' }),
  (err: unknown) => port.postMessage({ type: 'init-error', error: errorMessage(err) }),
);

port.on('message', async (msg: { type: string; task: PoolTask }) => {
  if (msg.type !== 'task') return;
  let outcome: PoolOutcome;
  try {
    if (msg.task.kind === 'file') {
      outcome = { ok: true, result: await processor.processFile(msg.task.path, msg.task.outDir) };
    } else if (msg.task.kind === 'bytes') {
      const { result, outputs } = await processor.processBytes(
        msg.task.data,
        msg.task.name,
        msg.task.overrides,
      );
      outcome = { ok: true, result, outputs };
    } else if (msg.task.kind === 'dataset') {
      outcome = {
        ok: true,
        result: await buildDatasetPhoto(processor, msg.task.path, msg.task.outDir, msg.task.settings),
      };
    } else {
      const { path, outDir, settings } = msg.task;
      await buildClothMask(path, outDir, settings, processor.options.maxPixels);
      outcome = { ok: true, result: emptyResult(path) };
    }
  } catch (err) {
    outcome = {
      ok: false,
      error: {
        message: errorMessage(err),
        code: errorCode(err),
        file: err instanceof ParseposeError ? err.file : undefined,
      },
    };
  }
  port.postMessage({ type: 'done', outcome });
});
