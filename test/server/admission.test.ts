import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import sharp from 'sharp';
import type { PoolOutcome, PoolTask } from '../../src/pipeline/pool.js';
import type { InferenceBackend } from '../../src/server/inference.js';
import { startServer } from '../../src/server/index.js';

/**
 * Queue bound, timeouts, error mapping and graceful shutdown, with a stand-in for the worker pool whose
 * jobs finish only when the test says so (no models: fast and deterministic).
 */
class GatedBackend implements InferenceBackend {
  readonly size = 1;
  readonly tasks: Array<{ task: PoolTask; finish: (o?: PoolOutcome) => void }> = [];
  closedAt = 0;
  constructor(private readonly outcome: PoolOutcome = okOutcome()) {}
  async ready(): Promise<void> {}
  run(task: PoolTask): Promise<PoolOutcome> {
    return new Promise((resolve) => this.tasks.push({ task, finish: (o) => resolve(o ?? this.outcome) }));
  }
  async close(): Promise<void> {
    this.closedAt = performance.now();
  }
  /** Resolves once `n` jobs have reached the backend. */
  async waitFor(n: number): Promise<void> {
    while (this.tasks.length < n) await new Promise((r) => setTimeout(r, 5));
  }
}

function okOutcome(): PoolOutcome {
  return {
    ok: true,
    result: {
      id: 'upload',
      source: 'upload',
      width: 8,
      height: 8,
      people: [],
      labelsPresent: [0],
      timings: { decode: 1, pose: 1, parse: 1, write: 1, inference: 1 },
    },
    outputs: { poseJson: '{"version":1.3,"people":[]}' },
  };
}

const tinyPng = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
  .png()
  .toBuffer();

function upload(url: string): Promise<Response> {
  const f = new FormData();
  f.append('image', new Blob([tinyPng], { type: 'image/png' }), 'a.png');
  return fetch(`${url}/v1/pose`, { method: 'POST', body: f });
}

async function health(url: string): Promise<{ active: number; rejected: number }> {
  return (await (await fetch(`${url}/healthz`)).json()) as { active: number; rejected: number };
}

test('a full queue answers 503 with Retry-After at once; places come back when jobs finish', async () => {
  const backend = new GatedBackend();
  const server = await startServer({ port: 0, maxQueue: 1 }, { backend });
  try {
    const first = upload(server.url);
    const second = upload(server.url);
    await backend.waitFor(2);
    const t0 = performance.now();
    const third = await upload(server.url);
    assert.ok(performance.now() - t0 < 1000, 'refused without waiting');
    assert.equal(third.status, 503);
    assert.deepEqual(await third.json(), { error: 'server is busy, try again later', code: 'BUSY' });
    const retry = Number(third.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After ${retry}`);
    assert.equal(backend.tasks.length, 2, 'the refused upload never reached the workers');
    assert.equal((await health(server.url)).rejected, 1);
    for (const t of backend.tasks) t.finish();
    assert.equal((await first).status, 200);
    assert.equal((await second).status, 200);
    assert.equal((await health(server.url)).active, 0);
    const fourth = upload(server.url);
    await backend.waitFor(3);
    backend.tasks[2].finish();
    assert.equal((await fourth).status, 200);
  } finally {
    for (const t of backend.tasks) t.finish();
    await server.close();
  }
});

test('a job over the timeout is 504, and keeps its queue place until the worker is done with it', async () => {
  const backend = new GatedBackend();
  const server = await startServer({ port: 0, maxQueue: 0, jobTimeoutMs: 200 }, { backend });
  try {
    const res = await upload(server.url);
    assert.equal(res.status, 504);
    assert.equal(((await res.json()) as { code: string }).code, 'TIMEOUT');
    assert.equal((await health(server.url)).active, 1, 'the worker is still busy with it');
    assert.equal((await upload(server.url)).status, 503, 'so the next request is refused');
    backend.tasks[0].finish();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal((await health(server.url)).active, 0);
  } finally {
    for (const t of backend.tasks) t.finish();
    await server.close();
  }
});

test('worker failures are 500 with a generic message; pipeline input errors keep their 4xx', async () => {
  const crash = new GatedBackend({
    ok: false,
    error: { message: 'secret /internal/path exploded', code: 'WORKER_CRASH' },
  });
  const server = await startServer({ port: 0 }, { backend: crash });
  try {
    const pending = upload(server.url);
    await crash.waitFor(1);
    crash.tasks[0].finish();
    const res = await pending;
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.deepEqual(JSON.parse(text), { error: 'processing failed on the server', code: 'INTERNAL' });
    assert.doesNotMatch(text, /secret|internal\/path/);
    const tooBig = upload(server.url);
    await crash.waitFor(2);
    crash.tasks[1].finish({
      ok: false,
      error: { message: 'upload: image is 9000x9000', code: 'IMAGE_TOO_LARGE' },
    });
    const r2 = await tooBig;
    assert.equal(r2.status, 413);
    assert.deepEqual(await r2.json(), { error: 'image is 9000x9000', code: 'IMAGE_TOO_LARGE' });
  } finally {
    await server.close();
  }
});

test('the job sees only the bytes and query overrides, never the client file name', async () => {
  const backend = new GatedBackend();
  const server = await startServer({ port: 0 }, { backend });
  try {
    const f = new FormData();
    f.append('image', new Blob([tinyPng], { type: 'image/png' }), '../../../etc/passwd');
    const pending = fetch(`${server.url}/v1/run?labels=atr&format=coco18`, { method: 'POST', body: f });
    await backend.waitFor(1);
    const task = backend.tasks[0].task;
    assert.equal(task.kind, 'bytes');
    if (task.kind !== 'bytes') return;
    assert.equal(task.name, 'upload');
    assert.deepEqual(task.overrides, { pose: true, parse: true, vis: true, format: 'coco18', labels: 'atr' });
    assert.deepEqual(Buffer.from(task.data), tinyPng);
    backend.tasks[0].finish();
    assert.equal((await pending).status, 200);
  } finally {
    await server.close();
  }
});

/** A plain HTTP/1.1 request on its own connection (no client-side pooling). */
function rawPost(url: string): Promise<number> {
  const boundary = 'x1';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    tinyPng,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/v1/pose`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('graceful shutdown: in-flight requests finish, new ones are refused, then the workers stop', async () => {
  const backend = new GatedBackend();
  const server = await startServer({ port: 0 }, { backend });
  const inflight = rawPost(server.url);
  await backend.waitFor(1);
  const closed = server.close();
  let closedYet = false;
  void closed.then(() => (closedYet = true));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(closedYet, false, 'close waits for the in-flight request');
  assert.equal(backend.closedAt, 0, 'the workers are not stopped under a running job');
  await assert.rejects(rawPost(server.url), /ECONNREFUSED|ECONNRESET|socket hang up/, 'no new connections');
  const finishedAt = performance.now();
  backend.tasks[0].finish();
  assert.equal(await inflight, 200);
  await closed;
  assert.ok(backend.closedAt >= finishedAt, 'workers stopped after the last answer');
});
