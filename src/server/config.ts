import { defaultWorkers } from '../cli/args.js';
import type { Quality } from '../types.js';

/** Everything `parsepose serve` can be told; every field has a safe default. */
export interface ServerConfig {
  host: string;
  port: number;
  /** Worker threads, each with its own models. */
  workers: number;
  /** Requests allowed to wait beyond the ones the workers are running; more get 503 + Retry-After. */
  maxQueue: number;
  /** Largest accepted upload, bytes. */
  maxUploadBytes: number;
  /** Largest accepted photo, pixels (decompression bombs). */
  maxPixels: number;
  /** A request that has not been answered after this long (queue wait + inference) gets 504. */
  jobTimeoutMs: number;
  /** Time allowed to receive a whole request (slow uploads). */
  requestTimeoutMs: number;
  /** On shutdown, in-flight requests get this long to finish before connections are cut. */
  shutdownGraceMs: number;
  quality: Quality;
  poseModel: string;
  parseModel: string;
  /** Log one line per request to stderr. */
  log: boolean;
}

export const DEFAULT_SERVER_CONFIG: ServerConfig = {
  host: '127.0.0.1',
  port: 8080,
  workers: Math.min(2, defaultWorkers()),
  maxQueue: 8,
  maxUploadBytes: 20 * 1024 * 1024,
  maxPixels: 25_000_000,
  jobTimeoutMs: 60_000,
  requestTimeoutMs: 60_000,
  shutdownGraceMs: 30_000,
  quality: 'balanced',
  poseModel: 'default',
  parseModel: 'default',
  log: false,
};
