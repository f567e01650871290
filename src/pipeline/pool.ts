import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../errors.js';
import type { PipelineOptions } from './options.js';
import type { PhotoOutputs, PhotoResult } from './process.js';
import type { DatasetSettings } from './dataset.js';

/** Per-task changes to the pool's options that need no other models (the server's query parameters). */
export type TaskOverrides = Partial<
  Pick<PipelineOptions, 'pose' | 'parse' | 'format' | 'labels' | 'vis' | 'style'>
>;

/** A job for a worker: a file to process and write, or bytes to process in memory (the server). */
export type PoolTask =
  | { kind: 'file'; path: string; outDir: string }
  | { kind: 'bytes'; data: Uint8Array; name: string; overrides?: TaskOverrides }
  | { kind: 'dataset'; path: string; outDir: string; settings: DatasetSettings }
  | { kind: 'cloth'; path: string; outDir: string; settings: DatasetSettings };

export type PoolOutcome =
  | { ok: true; result: PhotoResult; outputs?: PhotoOutputs }
  | { ok: false; error: { message: string; code: string; file?: string } };

interface Pending {
  task: PoolTask;
  resolve: (o: PoolOutcome) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy?: Pending;
  ready: Promise<void>;
}

/**
 * A pool of worker threads, each with its own tfjs wasm backend and its own loaded models (one thread
 * each, so N workers use N cores). Tasks queue and go to the next free worker; a worker that dies is
 * replaced and its task fails alone.
 */
export class WorkerPool {
  private slots: Slot[] = [];
  private queue: Pending[] = [];
  private closed = false;

  constructor(
    readonly size: number,
    private readonly options: PipelineOptions,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** Resolves when every worker has loaded its models (errors if model loading failed). */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  get pending(): number {
    return this.queue.length + this.slots.filter((s) => s.busy).length;
  }

  run(task: PoolTask): Promise<PoolOutcome> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    for (const p of this.queue) p.reject(new Error('worker pool closed'));
    this.queue = [];
  }

  private spawn(): Slot {
    const url = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
    const worker = new Worker(url.pathname.endsWith('.ts') ? tsxBootstrap(url) : fileURLToPath(url), {
      workerData: { options: this.options },
    });
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    ready.catch(() => undefined);
    const slot: Slot = { worker, ready };
    worker.on('message', (msg: { type: string; outcome?: PoolOutcome; error?: string }) => {
      if (msg.type === 'ready') readyResolve();
      else if (msg.type === 'init-error') readyReject(new Error(msg.error));
      else if (msg.type === 'done' && slot.busy) {
        const p = slot.busy;
        slot.busy = undefined;
        p.resolve(msg.outcome!);
        this.pump();
      }
    });
    const onDeath = (err: Error) => {
      readyReject(err);
      const p = slot.busy;
      slot.busy = undefined;
      if (p)
        p.resolve({
          ok: false,
          error: { message: `worker crashed: ${errorMessage(err)}`, code: 'WORKER_CRASH' },
        });
      if (!this.closed) {
        const i = this.slots.indexOf(slot);
        if (i >= 0) this.slots[i] = this.spawn();
        this.pump();
      }
    };
    worker.on('error', onDeath);
    worker.on('exit', (code) => {
      if (!this.closed) onDeath(new Error(`worker exited with code ${code}`));
    });
    return slot;
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (slot.busy) continue;
      const p = this.queue.shift()!;
      slot.busy = p;
      slot.ready.then(
        () => slot.worker.postMessage({ type: 'task', task: p.task }),
        (err: Error) => {
          slot.busy = undefined;
          p.resolve({
            ok: false,
            error: { message: `models failed to load: ${err.message}`, code: 'MODEL_LOAD' },
          });
        },
      );
    }
  }
}

/**
 * Under tsx (tests, bench) the worker must load TypeScript: Node 20 does not apply `--import tsx` from a
 * worker's execArgv before its entry module, so a tiny ESM bootstrap registers tsx, then imports it.
 */
function tsxBootstrap(entry: URL): URL {
  const api = import.meta.resolve('tsx/esm/api');
  const src = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(src)}`);
}
