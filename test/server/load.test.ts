import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../helpers/paths.js';

/**
 * A small run of bench/load-server.ts: the server in one child process, the load from another, on
 * loopback. 40 uploads at concurrency 8 against 1 worker + a queue of 2 must overload it: the only
 * refusals allowed are 503s, the server's memory must come back near its baseline, and SIGTERM must end
 * it cleanly. (`node --import tsx bench/load-server.ts` is the full 200-request version.)
 */
test('overload gives only 503s, memory comes back, latency is reported', { timeout: 400_000 }, async () => {
  const args = [
    '--import',
    'tsx',
    resolve(REPO_ROOT, 'bench/load-server.ts'),
    '--requests',
    '40',
    '--concurrency',
    '8',
    '--workers',
    '1',
    '--queue',
    '2',
    '--width',
    '384',
    '--max-seconds',
    '240',
    '--json',
  ];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  const code = await new Promise<number | null>((res) => child.on('exit', res));
  assert.ok(out.trim().startsWith('{'), `no JSON report (exit ${code}):\n${err}`);
  const r = JSON.parse(out) as {
    requests: number;
    ok: { count: number; p50: number; p95: number };
    busy503: { count: number; p50: number };
    retryAfterSeconds: { count: number; p50: number };
    otherStatuses: Record<string, number>;
    networkErrors: number;
    memoryMB: { baseline: { rssMB: number }; after: { rssMB: number }; allowed: { rssMB: number } };
    activeAfter: number;
    shutdown: { code: number | null };
    memoryBack: boolean;
    passed: boolean;
  };
  console.log(
    `load: ${r.requests} requests, 200 x${r.ok.count} p50 ${r.ok.p50} ms p95 ${r.ok.p95} ms, 503 x${r.busy503.count} ` +
      `p50 ${r.busy503.p50} ms; rss ${r.memoryMB.baseline.rssMB} -> ${r.memoryMB.after.rssMB} MB`,
  );
  assert.equal(r.requests, 40);
  assert.deepEqual(r.otherStatuses, {}, 'no status other than 200 and 503');
  assert.equal(r.networkErrors, 0);
  assert.ok(r.ok.count >= 1, 'some uploads were served');
  assert.ok(r.busy503.count >= 1, 'concurrency 8 against a capacity of 3 overloads the server');
  assert.equal(r.ok.count + r.busy503.count, r.requests);
  assert.equal(r.retryAfterSeconds.count, r.busy503.count, 'every 503 carries Retry-After');
  assert.ok(r.busy503.p50 < r.ok.p50, '503s are answered at once, not after waiting');
  assert.ok(Number.isFinite(r.ok.p50) && Number.isFinite(r.ok.p95) && r.ok.p95 >= r.ok.p50);
  assert.ok(
    r.memoryBack,
    `memory after ${r.memoryMB.after.rssMB} MB > allowed ${r.memoryMB.allowed.rssMB} MB`,
  );
  assert.equal(r.activeAfter, 0);
  assert.equal(r.shutdown.code, 0, 'SIGTERM ends the server cleanly');
  assert.equal(r.passed, true);
  assert.equal(code, 0);
});
