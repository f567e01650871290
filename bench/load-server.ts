/**
 * Load test of `parsepose serve` from a second process on loopback: starts the server as a child process
 * (or uses --url), warms it up, measures its memory, sends a bounded number of uploads at a fixed
 * concurrency, then checks that nothing but 503 (queue full) went wrong and that the server's memory came
 * back near its baseline. Prints p50/p95 latency. Bounded in count (--requests) and time (--max-seconds).
 *
 *   node --import tsx bench/load-server.ts                      # 200 requests at concurrency 8, 2 workers
 *   node --import tsx bench/load-server.ts --requests 40 --workers 1 --queue 2 --width 384 --json
 *
 * Exit code 0 when the server held up (only 200 and 503 answers, memory back, clean shutdown), else 1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';

const ROOT = resolve(import.meta.dirname, '..');

const { values: v } = parseArgs({
  options: {
    url: { type: 'string' },
    requests: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '8' },
    workers: { type: 'string', default: '2' },
    queue: { type: 'string', default: '4' },
    endpoint: { type: 'string', default: 'run' },
    photo: { type: 'string', default: resolve(ROOT, 'node_modules/@vladmandic/face-api/demo/sample1.jpg') },
    width: { type: 'string', default: '768' },
    'backoff-ms': { type: 'string', default: '1000' },
    'max-seconds': { type: 'string', default: '600' },
    'settle-seconds': { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
  },
});
const REQUESTS = Number(v.requests);
const CONCURRENCY = Number(v.concurrency);
const BACKOFF_MS = Number(v['backoff-ms']);
const DEADLINE = performance.now() + Number(v['max-seconds']) * 1000;
const log = (s: string) => process.stderr.write(`load-server: ${s}\n`);
// The server child never outlives this script, whatever happens.
let serverChild: ChildProcess | undefined;
process.on('exit', () => {
  if (serverChild && serverChild.exitCode === null) serverChild.kill('SIGKILL');
});

interface Health {
  active: number;
  served: number;
  rejected: number;
  memory: { rssMB: number; heapUsedMB: number; externalMB: number };
}

/** Starts `parsepose serve --port 0` and resolves with its URL once it listens (models loaded). */
function startServer(): Promise<{ url: string; child: ChildProcess; stderr: () => string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(ROOT, 'src/cli/bin.ts'),
      'serve',
      '--port',
      '0',
      '--workers',
      String(v.workers),
      '--queue',
      String(v.queue),
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  serverChild = child;
  let err = '';
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start in 180 s:\n${err}`)), 180_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        res({ url: m[1], child, stderr: () => err });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`server exited (${code}) before listening:\n${err}`));
    });
  });
}

async function health(url: string): Promise<Health> {
  return (await (await fetch(`${url}/healthz`)).json()) as Health;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x);
  return {
    count: s.length,
    p50: r(percentile(s, 50)),
    p95: r(percentile(s, 95)),
    max: r(s[s.length - 1] ?? NaN),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
  const width = Number(v.width);
  const photo =
    width > 0
      ? await sharp(readFileSync(v.photo!)).resize({ width }).jpeg({ quality: 90 }).toBuffer()
      : readFileSync(v.photo!);
  const meta = await sharp(photo).metadata();
  const started = v.url ? undefined : await startServer();
  const url = v.url ?? started!.url;
  const endpoint = `${url}/v1/${v.endpoint}`;
  const send = async (): Promise<{ status: number; ms: number; retryAfter?: number }> => {
    const form = new FormData();
    form.append('image', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg');
    const t0 = performance.now();
    const res = await fetch(endpoint, { method: 'POST', body: form });
    await res.arrayBuffer();
    const ra = res.headers.get('retry-after');
    return {
      status: res.status,
      ms: performance.now() - t0,
      retryAfter: ra === null ? undefined : Number(ra),
    };
  };

  log(`server ${url}; photo ${meta.width}x${meta.height} (${(photo.length / 1024).toFixed(0)} kB)`);
  // Warm-up: first requests grow the workers' buffers to this photo size; the baseline is taken after.
  const warmWorkers = Number(v.workers);
  await Promise.all(Array.from({ length: warmWorkers }, () => send()));
  await send();
  await sleep(1000);
  const baseline = (await health(url)).memory;
  log(`baseline memory: rss ${baseline.rssMB} MB, heap ${baseline.heapUsedMB} MB`);

  const ok: number[] = [];
  const busy: number[] = [];
  const retryAfter: number[] = [];
  const otherStatuses: Record<string, number> = {};
  const networkErrors: string[] = [];
  let issued = 0;
  let peakRss = baseline.rssMB;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      try {
        peakRss = Math.max(peakRss, (await health(url)).memory.rssMB);
      } catch {
        // the next sample will tell
      }
      await sleep(500);
    }
  })();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (issued < REQUESTS && performance.now() < DEADLINE) {
        issued++;
        try {
          const r = await send();
          if (r.status === 200) ok.push(r.ms);
          else if (r.status === 503) {
            busy.push(r.ms);
            if (r.retryAfter !== undefined) retryAfter.push(r.retryAfter);
            await sleep(BACKOFF_MS);
          } else otherStatuses[r.status] = (otherStatuses[r.status] ?? 0) + 1;
        } catch (err) {
          networkErrors.push(
            err instanceof Error
              ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}`
              : String(err),
          );
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  sampling = false;
  await sampler;

  // Memory after: give the server a few idle seconds to collect the uploads it no longer holds.
  let after = (await health(url)).memory;
  const limit = (b: Health['memory']) => ({
    rssMB: Math.round(b.rssMB * 1.25 + 64),
    heapUsedMB: b.heapUsedMB + 32,
  });
  const allowed = limit(baseline);
  const settleUntil = performance.now() + Number(v['settle-seconds']) * 1000;
  while (
    (after.rssMB > allowed.rssMB || after.heapUsedMB > allowed.heapUsedMB) &&
    performance.now() < settleUntil
  ) {
    await sleep(1000);
    after = (await health(url)).memory;
  }
  const finalHealth = await health(url);

  let shutdown: { code: number | null; seconds: number } | undefined;
  if (started) {
    const ts = performance.now();
    started.child.kill('SIGTERM');
    const code = await new Promise<number | null>((res) => started.child.once('exit', (c) => res(c)));
    shutdown = { code, seconds: Math.round((performance.now() - ts) / 100) / 10 };
  }

  const report = {
    endpoint: `/v1/${v.endpoint}`,
    photo: { width: meta.width, height: meta.height, bytes: photo.length },
    workers: Number(v.workers),
    queue: Number(v.queue),
    concurrency: CONCURRENCY,
    requests: issued,
    seconds: Math.round(seconds * 10) / 10,
    okPerSecond: Math.round((ok.length / seconds) * 100) / 100,
    ok: stats(ok),
    busy503: stats(busy),
    retryAfterSeconds: stats(retryAfter),
    otherStatuses,
    networkErrors: networkErrors.length,
    networkErrorSamples: networkErrors.slice(0, 3),
    memoryMB: { baseline, peakRss, after, allowed },
    activeAfter: finalHealth.active,
    shutdown,
  };
  const memoryBack = after.rssMB <= allowed.rssMB && after.heapUsedMB <= allowed.heapUsedMB;
  const passed =
    Object.keys(otherStatuses).length === 0 &&
    networkErrors.length === 0 &&
    memoryBack &&
    finalHealth.active === 0 &&
    (shutdown === undefined || shutdown.code === 0);
  if (v.json) console.log(JSON.stringify({ ...report, memoryBack, passed }, null, 2));
  else {
    console.log(
      `POST /v1/${v.endpoint}  ${issued} requests at concurrency ${CONCURRENCY} in ${report.seconds} s, ` +
        `${report.workers} workers + queue ${report.queue}, photo ${meta.width}x${meta.height}`,
    );
    console.log(
      `  200: ${ok.length}  p50 ${report.ok.p50} ms  p95 ${report.ok.p95} ms  max ${report.ok.max} ms  (${report.okPerSecond}/s)`,
    );
    console.log(
      `  503: ${busy.length}  p50 ${report.busy503.p50} ms  p95 ${report.busy503.p95} ms  Retry-After p50 ${report.retryAfterSeconds.p50} s`,
    );
    console.log(
      `  other statuses: ${JSON.stringify(otherStatuses)}  network errors: ${networkErrors.length}`,
    );
    console.log(
      `  server rss MB: baseline ${baseline.rssMB}, peak ${peakRss}, after ${after.rssMB} (allowed ${allowed.rssMB}); ` +
        `heap MB: baseline ${baseline.heapUsedMB}, after ${after.heapUsedMB}`,
    );
    if (shutdown) console.log(`  SIGTERM: exit code ${shutdown.code} after ${shutdown.seconds} s`);
    console.log(passed ? '  PASS' : '  FAIL');
  }
  return passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
