import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

export interface Row {
  section: string;
  workers: number;
  photos: number;
  photosPerSecond: number;
  secondsPerPhotoPerCore: number;
  /** CPU seconds (all threads) per photo after loading. */
  cpuSecondsPerPhoto?: number;
  loadSeconds: number;
  maxRssMB: number;
  inferenceShare: number;
  /** Time per photo in each step, ms (summed over workers, divided by photos). */
  stepMs?: { decode: number; pose: number; parse: number; write: number };
  note?: string;
}

/** Runs `parsepose <args> --json` from source in a child process and returns its JSON summary. */
export function runCliJson<T>(args: string[], env: Record<string, string> = {}): T {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts'), ...args, '--json'],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  );
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`parsepose ${args[0]} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout) as T;
}
