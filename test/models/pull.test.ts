import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pullModel } from '../../src/models/pull.js';
import { cacheRoot, modelFilePath, resolveModelFile } from '../../src/models/cache.js';
import { MODELS, type ModelEntry } from '../../src/models/registry.js';
import { ParseposeError } from '../../src/errors.js';
import { command } from '../../src/cli/commands/models.js';
import { needShared, sharedPath } from '../helpers/paths.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** A local file server on 127.0.0.1 that honours Range and can be told to cut a transfer short. */
async function fixtureServer(files: Record<string, Uint8Array>) {
  const log: Array<{ url: string; range?: string }> = [];
  let cutAfter: number | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    log.push({ url: req.url ?? '', range: req.headers.range });
    const body = files[req.url ?? ''];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    if (start >= body.length && m) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    const part = body.subarray(start);
    res.writeHead(m ? 206 : 200, {
      'content-length': String(part.length),
      ...(m ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    if (cutAfter !== undefined) {
      // send some bytes, then drop the connection mid-transfer
      const n = cutAfter;
      cutAfter = undefined;
      res.write(part.subarray(0, n), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(part);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    log,
    cutNext(n: number) {
      cutAfter = n;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function withCache<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const saved = process.env.PARSEPOSE_CACHE;
  const dir = await mkdtemp(join(tmpdir(), 'parsepose-cache-'));
  process.env.PARSEPOSE_CACHE = dir;
  try {
    return await fn(dir);
  } finally {
    if (saved === undefined) delete process.env.PARSEPOSE_CACHE;
    else process.env.PARSEPOSE_CACHE = saved;
  }
}

function fixtureEntry(files: Array<{ name: string; data: Uint8Array; sha256?: string }>): ModelEntry {
  return {
    id: 'fixture',
    title: 'test fixture',
    kind: 'parse',
    preset: 'fixture',
    licence: 'none',
    source: 'test',
    files: files.map((f) => ({
      name: f.name,
      url: `unused://${f.name}`,
      size: f.data.length,
      sha256: f.sha256 ?? sha(f.data),
    })),
  };
}

test('cache folder: $PARSEPOSE_CACHE, else XDG, else ~/.cache', () => {
  assert.equal(cacheRoot({ PARSEPOSE_CACHE: '/x/y' }, 'linux'), '/x/y');
  assert.equal(cacheRoot({ XDG_CACHE_HOME: '/xdg' }, 'linux'), '/xdg/parsepose');
  assert.match(cacheRoot({}, 'linux'), /\.cache\/parsepose$/);
  assert.match(cacheRoot({}, 'darwin'), /Library\/Caches\/parsepose$/);
});

test('pull downloads, verifies and places the file; a second pull makes no request', async () => {
  const a = randomBytes(300_000);
  const b = randomBytes(1000);
  const srv = await fixtureServer({ '/fixture/a.bin': a, '/fixture/b.json': b });
  try {
    await withCache(async () => {
      const entry = fixtureEntry([
        { name: 'a.bin', data: a },
        { name: 'b.json', data: b },
      ]);
      const first = await pullModel(entry, { baseUrl: srv.base });
      assert.deepEqual(
        first.map((r) => r.status),
        ['downloaded', 'downloaded'],
      );
      assert.deepEqual(await readFile(modelFilePath('fixture', 'a.bin')), a);
      assert.equal(existsSync(modelFilePath('fixture', 'a.bin') + '.partial'), false);
      const requests = srv.log.length;
      const again = await pullModel(entry, { baseUrl: srv.base });
      assert.deepEqual(
        again.map((r) => r.status),
        ['cached', 'cached'],
      );
      assert.equal(srv.log.length, requests, 'no request at all when the files are cached');
    });
  } finally {
    await srv.close();
  }
});

test('an interrupted transfer resumes with an HTTP Range request', async () => {
  const data = randomBytes(500_000);
  const srv = await fixtureServer({ '/fixture/big.bin': data });
  try {
    await withCache(async () => {
      const entry = fixtureEntry([{ name: 'big.bin', data }]);
      srv.cutNext(123_456);
      await assert.rejects(pullModel(entry, { baseUrl: srv.base }), (err: unknown) => {
        assert.ok(err instanceof ParseposeError);
        assert.match(err.message, /interrupted after \d+ bytes.*again to resume/);
        return true;
      });
      const partial = modelFilePath('fixture', 'big.bin') + '.partial';
      const kept = (await readFile(partial)).length;
      assert.ok(kept > 0 && kept < data.length, `partial holds ${kept} bytes`);
      assert.equal(
        existsSync(modelFilePath('fixture', 'big.bin')),
        false,
        'nothing in place before it is complete',
      );
      const [r] = await pullModel(entry, { baseUrl: srv.base });
      assert.equal(r.status, 'resumed');
      assert.equal(srv.log.at(-1)?.range, `bytes=${kept}-`);
      assert.deepEqual(await readFile(modelFilePath('fixture', 'big.bin')), data);
      assert.equal(existsSync(partial), false);
    });
  } finally {
    await srv.close();
  }
});

test('a checksum mismatch is rejected and the partial file removed', async () => {
  const served = randomBytes(4096);
  const expected = randomBytes(4096);
  const srv = await fixtureServer({ '/fixture/w.bin': served });
  try {
    await withCache(async () => {
      const entry = fixtureEntry([{ name: 'w.bin', data: served, sha256: sha(expected) }]);
      await assert.rejects(pullModel(entry, { baseUrl: srv.base }), (err: unknown) => {
        assert.ok(err instanceof ParseposeError);
        assert.equal(err.code, 'BAD_MODEL');
        assert.match(
          err.message,
          new RegExp(`SHA-256 ${sha(served)} does not match the expected ${sha(expected)}`),
        );
        assert.match(err.message, /partial file was removed/);
        return true;
      });
      const path = modelFilePath('fixture', 'w.bin');
      assert.equal(existsSync(path), false);
      assert.equal(existsSync(`${path}.partial`), false);
    });
  } finally {
    await srv.close();
  }
});

test('a corrupt cached file is fetched again; $PARSEPOSE_MODELS_URL overrides the source', async () => {
  const data = randomBytes(2048);
  const srv = await fixtureServer({ '/fixture/c.bin': data });
  const savedUrl = process.env.PARSEPOSE_MODELS_URL;
  process.env.PARSEPOSE_MODELS_URL = srv.base;
  try {
    await withCache(async () => {
      const path = modelFilePath('fixture', 'c.bin');
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, randomBytes(2048));
      const [r] = await pullModel(fixtureEntry([{ name: 'c.bin', data }]));
      assert.equal(r.status, 'downloaded');
      assert.deepEqual(await readFile(path), data);
      assert.equal(srv.log.length, 1);
    });
  } finally {
    if (savedUrl === undefined) delete process.env.PARSEPOSE_MODELS_URL;
    else process.env.PARSEPOSE_MODELS_URL = savedUrl;
    await srv.close();
  }
});

test('bring-your-own models cannot be pulled; missing files name the pull command', async () => {
  await withCache(async () => {
    await assert.rejects(pullModel('schp-pascal'), /cannot be downloaded/);
    await assert.rejects(resolveModelFile('bodypix'), /model-stride16\.json.*parsepose models pull bodypix/s);
  });
});

test('every registry entry has an id, licence, source and files; checksums are hex', () => {
  const ids = new Set<string>();
  for (const m of MODELS) {
    assert.ok(!ids.has(m.id), `duplicate id ${m.id}`);
    ids.add(m.id);
    assert.ok(m.licence && m.source && m.files.length > 0, m.id);
    for (const f of m.files) if (f.sha256) assert.match(f.sha256, /^[0-9a-f]{64}$/);
  }
});

// Serves the real BodyPix files from ../shared (their SHA-256 is in the registry).
const BODYPIX_DIR = ['models', 'bodypix', 'mobilenet-quant2-075'];
test(
  'CLI: models pull --base-url against the fixture server, then verify',
  { skip: needShared(...BODYPIX_DIR) },
  async () => {
    const dir = sharedPath(...BODYPIX_DIR);
    const files: Record<string, Uint8Array> = {};
    for (const name of ['model-stride16.json', 'model-stride8.json', 'group1-shard1of1.bin']) {
      files[`/bodypix/${name}`] = await readFile(join(dir, name));
    }
    const srv = await fixtureServer(files);
    const logged: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => void logged.push(a.join(' '));
    try {
      await withCache(async () => {
        assert.equal(await command.run(['pull', 'bodypix', '--base-url', srv.base]), 0);
        assert.equal(await command.run(['verify', 'bodypix']), 0);
        assert.ok(logged.some((l) => /group1-shard1of1\.bin: ok/.test(l)));
        await writeFile(modelFilePath('bodypix', 'model-stride8.json'), '{}');
        assert.equal(await command.run(['verify', 'bodypix']), 1);
        assert.equal(await command.run(['path']), 0);
        assert.equal(logged.at(-1), process.env.PARSEPOSE_CACHE);
      });
    } finally {
      console.log = log;
      await srv.close();
    }
  },
);
