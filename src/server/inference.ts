import { WorkerPool, type PoolOutcome, type TaskOverrides } from '../pipeline/pool.js';
import { DEFAULT_PIPELINE_OPTIONS, type PipelineOptions } from '../pipeline/options.js';
import type { PhotoOutputs, PhotoResult } from '../pipeline/process.js';
import type { ServerConfig } from './config.js';
import { HttpError, statusForPipelineCode } from './errors.js';

/**
 * A place in the server's bounded queue. It is held by the request (until its response is sent) and by
 * its job (until the worker is done with it, even after a timeout answered the request), and frees its
 * place when both let go, so the bound also covers work whose client has already been answered.
 */
export class Ticket {
  private holders = 1;
  constructor(private readonly onFree: () => void) {}
  hold(): void {
    this.holders++;
  }
  release(): void {
    if (this.holders <= 0) return;
    if (--this.holders === 0) this.onFree();
  }
}

/** What the workers might be doing, for /healthz. */
export interface ServiceStats {
  ready: boolean;
  workers: number;
  active: number;
  capacity: number;
  served: number;
  rejected: number;
  /** Mean time a worker spends on one photo (queue wait excluded). */
  meanServiceMs: number;
}

export interface InferenceResult {
  result: PhotoResult;
  outputs: PhotoOutputs;
  /** Milliseconds between entering the queue and a worker answering. */
  totalMs: number;
}

/** The work a server needs done; the worker pool in production, anything in tests. */
export interface InferenceBackend {
  readonly size: number;
  ready(): Promise<void>;
  run(task: {
    kind: 'bytes';
    data: Uint8Array;
    name: string;
    overrides?: TaskOverrides;
  }): Promise<PoolOutcome>;
  close(): Promise<void>;
}

/** Worker-pool options for a server: both maps, blended renders, the server's pixel limit and models. */
export function serverPipelineOptions(config: ServerConfig): PipelineOptions {
  return {
    ...DEFAULT_PIPELINE_OPTIONS,
    pose: true,
    parse: true,
    vis: true,
    quality: config.quality,
    poseModel: config.poseModel,
    parseModel: config.parseModel,
    maxPixels: config.maxPixels,
  };
}

/**
 * Admission control and timeouts in front of the worker pool: at most `workers + maxQueue` requests are
 * admitted at once (each holds at most one upload in memory), the rest are refused at once with 503 and a
 * Retry-After estimated from the recent service time.
 */
export class InferenceService {
  private active = 0;
  private served = 0;
  private rejected = 0;
  private meanMs = 0;
  private isReady = false;
  private closing = false;
  readonly capacity: number;

  constructor(
    private readonly backend: InferenceBackend,
    private readonly config: Pick<ServerConfig, 'maxQueue' | 'jobTimeoutMs'>,
  ) {
    this.capacity = backend.size + config.maxQueue;
  }

  static withPool(config: ServerConfig): InferenceService {
    return new InferenceService(new WorkerPool(config.workers, serverPipelineOptions(config)), config);
  }

  async ready(): Promise<void> {
    await this.backend.ready();
    this.isReady = true;
  }

  stats(): ServiceStats {
    return {
      ready: this.isReady,
      workers: this.backend.size,
      active: this.active,
      capacity: this.capacity,
      served: this.served,
      rejected: this.rejected,
      meanServiceMs: Math.round(this.meanMs),
    };
  }

  /** A place in the queue, or a 503 HttpError with Retry-After when the queue is full. */
  admit(): Ticket {
    if (this.closing)
      throw new HttpError(503, 'SHUTTING_DOWN', 'server is shutting down', { 'retry-after': '5' });
    if (this.active >= this.capacity) {
      this.rejected++;
      throw new HttpError(503, 'BUSY', 'server is busy, try again later', {
        'retry-after': String(this.retryAfterSeconds()),
      });
    }
    this.active++;
    return new Ticket(() => this.active--);
  }

  /** Seconds until a place is likely free: the queue ahead, drained by every worker at the mean pace. */
  retryAfterSeconds(): number {
    const perJob = this.meanMs || 2000;
    const s = Math.ceil(((this.active - this.backend.size + 1) * perJob) / this.backend.size / 1000);
    return Math.min(60, Math.max(1, s));
  }

  /** Runs one photo on a worker; pipeline failures become HttpErrors with the matching status. */
  async process(ticket: Ticket, data: Uint8Array, overrides: TaskOverrides): Promise<InferenceResult> {
    const t0 = performance.now();
    ticket.hold();
    // The photo's name is fixed: nothing from the request names anything the pipeline sees.
    const job = this.backend
      .run({ kind: 'bytes', data, name: 'upload', overrides })
      .finally(() => ticket.release());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new HttpError(
              504,
              'TIMEOUT',
              `no answer within ${Math.round(this.config.jobTimeoutMs / 1000)} s`,
            ),
          ),
        this.config.jobTimeoutMs,
      );
    });
    let outcome: PoolOutcome;
    try {
      outcome = await Promise.race([job, timeout]);
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw new HttpError(503, 'UNAVAILABLE', 'the worker pool is not available');
    } finally {
      clearTimeout(timer);
    }
    const totalMs = performance.now() - t0;
    if (!outcome.ok) {
      const status = statusForPipelineCode(outcome.error.code);
      if (status >= 500) throw new HttpError(500, 'INTERNAL', 'processing failed on the server');
      throw new HttpError(status, outcome.error.code, clientMessage(outcome.error.message));
    }
    this.served++;
    // The worker's own time (queue wait excluded), as an exponential mean that follows the photo sizes sent.
    const t = outcome.result.timings;
    const serviceMs = t.decode + t.pose + t.parse + t.write;
    this.meanMs = this.meanMs ? 0.8 * this.meanMs + 0.2 * serviceMs : serviceMs;
    return { result: outcome.result, outputs: outcome.outputs ?? {}, totalMs };
  }

  /** From now on every new request gets 503 SHUTTING_DOWN; admitted ones go on. */
  stopAdmitting(): void {
    this.closing = true;
  }

  /** Refuses new work, then stops the workers (call once in-flight requests have been answered). */
  async close(): Promise<void> {
    this.closing = true;
    await this.backend.close();
  }
}

/** Pipeline messages name the photo's source ("upload: ..."); the client needs only the reason. */
function clientMessage(message: string): string {
  return message.replace(/^upload: /, '');
}
