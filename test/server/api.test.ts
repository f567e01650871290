import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { decodePng } from '../../src/image/png.js';
import { LABEL_SETS } from '../../src/parsing/labelsets.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { examplePhoto } from '../helpers/paths.js';

/**
 * The HTTP API over 127.0.0.1 with the real worker pool and models, on a real photo (3 people). One
 * worker keeps the CPU for the other tests; each inference is a few seconds.
 */
let server: RunningServer;
let photo: Buffer;
let photoSize: { width: number; height: number };

async function post(path: string, body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(server.url + path, { method: 'POST', body, headers });
}

function form(bytes: Uint8Array, field = 'image', name = 'photo.jpg'): FormData {
  const f = new FormData();
  f.append(field, new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), name);
  return f;
}

/** A client mistake: the status wanted, a JSON `{error, code}` body and nothing that looks like a stack. */
async function expectClientError(res: Response, status: number, code: string): Promise<void> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const body = JSON.parse(text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'error']);
  assert.equal(body.code, code);
  assert.equal(typeof body.error, 'string');
  assert.ok((body.error as string).length > 0);
  assert.doesNotMatch(text, /\bat .+\.(ts|js):\d+|node_modules|\/work\//, 'no stack trace or path leaks');
}

/** Distinct pixel values of a palette PNG, and the PNG's facts. */
function paletteFacts(png: Uint8Array) {
  const d = decodePng(png);
  const seen = new Set<number>();
  for (const v of d.data) seen.add(v);
  return { ...d, values: [...seen].sort((a, b) => a - b) };
}

before(async () => {
  photo = await readFile(examplePhoto(1));
  const meta = await sharp(photo).metadata();
  photoSize = { width: meta.width!, height: meta.height! };
  server = await startServer({ host: '127.0.0.1', port: 0, workers: 1, maxQueue: 4 });
});

after(async () => {
  await server?.close();
});

describe('parsepose serve API', () => {
  test('GET /healthz and /openapi.json', async () => {
    const h = await fetch(`${server.url}/healthz`);
    assert.equal(h.status, 200);
    const health = (await h.json()) as { status: string; workers: number; capacity: number };
    assert.equal(health.status, 'ok');
    assert.equal(health.workers, 1);
    assert.equal(health.capacity, 5);
    const o = await fetch(`${server.url}/openapi.json`);
    assert.equal(o.status, 200);
    const doc = (await o.json()) as { openapi: string; paths: Record<string, unknown> };
    assert.match(doc.openapi, /^3\./);
    for (const p of ['/healthz', '/v1/pose', '/v1/parse', '/v1/run']) assert.ok(doc.paths[p], p);
  });

  test('POST /v1/pose: OpenPose JSON in BODY_25 and COCO-18, points inside the photo', async () => {
    for (const [format, n] of [
      ['body25', 25],
      ['coco18', 18],
    ] as const) {
      const res = await post(`/v1/pose?format=${format}`, form(photo));
      assert.equal(res.status, 200, await res.clone().text());
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const doc = (await res.json()) as { version: number; people: Array<{ pose_keypoints_2d: number[] }> };
      assert.equal(doc.version, 1.3);
      assert.ok(doc.people.length >= 2, `the photo shows 3 people, found ${doc.people.length}`);
      for (const p of doc.people) {
        assert.equal(p.pose_keypoints_2d.length, n * 3);
        for (let i = 0; i < p.pose_keypoints_2d.length; i += 3) {
          const [x, y, c] = p.pose_keypoints_2d.slice(i, i + 3);
          if (c === 0) continue;
          assert.ok(x >= 0 && x <= photoSize.width && y >= 0 && y <= photoSize.height, `point ${x},${y}`);
        }
      }
    }
  });

  test('POST /v1/parse: a palette PNG of the photo size whose classes are the headers and the set', async () => {
    const res = await post('/v1/parse?labels=lip', form(photo));
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('x-label-set'), 'lip');
    const png = paletteFacts(new Uint8Array(await res.arrayBuffer()));
    assert.equal(png.colorType, 3, 'an 8-bit palette ("P") PNG');
    assert.deepEqual([png.width, png.height], [photoSize.width, photoSize.height]);
    assert.ok(
      png.values.every((v) => v < LABEL_SETS.lip.names.length),
      `classes ${png.values}`,
    );
    assert.ok(png.values.length >= 4, 'people are parsed into several parts');
    assert.equal(res.headers.get('x-labels-present'), png.values.join(','));
    assert.deepEqual(png.palette?.[2], [...LABEL_SETS.lip.palette[2]]);
  });

  test('POST /v1/run: keypoints, labels present and PNGs that agree with each other', async () => {
    const res = await post('/v1/run?labels=cihp&format=coco18', form(photo));
    assert.equal(res.status, 200, await res.clone().text());
    const r = (await res.json()) as {
      width: number;
      height: number;
      people: number;
      format: string;
      labelSet: string;
      openpose: { people: Array<{ pose_keypoints_2d: number[] }> };
      labelsPresent: Array<{ id: number; name: string; color: number[] }>;
      legend: Array<{ id: number; name: string; color: number[] }>;
      timings: Record<string, number>;
      images: Record<string, string>;
    };
    assert.deepEqual([r.width, r.height], [photoSize.width, photoSize.height]);
    assert.equal(r.people, r.openpose.people.length);
    assert.ok(r.people >= 2);
    assert.equal(r.openpose.people[0].pose_keypoints_2d.length, 18 * 3);
    assert.equal(r.labelSet, 'cihp');
    assert.equal(r.legend.length, 20);
    assert.equal(r.legend[10].name, 'Neck');
    const png = (key: string) => {
      const url = r.images[key];
      assert.match(url, /^data:image\/png;base64,/, key);
      return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
    };
    const smap = paletteFacts(png('smap'));
    assert.deepEqual([smap.width, smap.height], [r.width, r.height]);
    assert.deepEqual(
      r.labelsPresent.map((l) => l.id),
      smap.values,
    );
    for (const l of r.labelsPresent) assert.deepEqual(l.color, [...LABEL_SETS.cihp.palette[l.id]]);
    for (const key of ['pmap', 'pmapOverlay']) {
      const m = await sharp(png(key)).metadata();
      assert.deepEqual([m.width, m.height], [r.width, r.height], key);
    }
    // The render on black is mostly black with coloured limbs.
    const { data } = await sharp(png('pmap')).raw().toBuffer({ resolveWithObject: true });
    let lit = 0;
    for (let i = 0; i < data.length; i += 3) if (data[i] + data[i + 1] + data[i + 2] > 0) lit++;
    assert.ok(lit > 1000 && lit < (data.length / 3) * 0.5, `${lit} skeleton pixels`);
    const overlay = await sharp(png('smapOverlay')).metadata();
    assert.ok(overlay.width! > r.width, 'the overlay carries a legend panel on the right');
    assert.ok(r.timings.total >= r.timings.pose + r.timings.parse);
  });

  test('client mistakes are 4xx JSON errors, and the server still answers afterwards', async () => {
    // Random bytes named .jpg: the content decides, not the name.
    await expectClientError(await post('/v1/pose', form(randomBytes(4096))), 415, 'NOT_AN_IMAGE');
    // A JPEG signature followed by garbage: sniffed as JPEG, refused by the decoder in the worker.
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(4096)]);
    await expectClientError(await post('/v1/parse', form(fake)), 422, 'UNREADABLE_IMAGE');
    await expectClientError(await post('/v1/run', form(photo.subarray(0, 2000))), 422, 'UNREADABLE_IMAGE');
    await expectClientError(await post('/v1/pose', form(new Uint8Array(0))), 400, 'EMPTY_FILE');
    await expectClientError(await post('/v1/pose', form(photo, 'photo')), 400, 'MISSING_FIELD');
    const fieldsOnly = new FormData();
    fieldsOnly.append('image', 'not a file');
    await expectClientError(await post('/v1/run', fieldsOnly), 400, 'MISSING_FIELD');
    await expectClientError(
      await post('/v1/pose', 'hello', { 'content-type': 'text/plain' }),
      415,
      'WRONG_CONTENT_TYPE',
    );
    await expectClientError(
      await post('/v1/pose', '{"image":1}', { 'content-type': 'application/json' }),
      415,
      'WRONG_CONTENT_TYPE',
    );
    await expectClientError(
      await post('/v1/pose', 'x', { 'content-type': 'application/x-whatever' }),
      415,
      'WRONG_CONTENT_TYPE',
    );
    await expectClientError(
      await post(
        '/v1/pose',
        '--b\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\n\r\nabc',
        {
          'content-type': 'multipart/form-data; boundary=b',
        },
      ),
      400,
      'BAD_MULTIPART',
    );
    await expectClientError(await post('/v1/pose?format=body99', form(photo)), 400, 'BAD_QUERY');
    await expectClientError(await post('/v1/parse?labels=viton', form(photo)), 400, 'BAD_QUERY');
    await expectClientError(await fetch(`${server.url}/v1/nothing`), 404, 'NOT_FOUND');
    await expectClientError(await fetch(`${server.url}/../../etc/passwd`), 404, 'NOT_FOUND');

    // 120 MB: refused by its Content-Length before it is read, as multipart and as a raw body.
    const huge = new Uint8Array(120 * 1024 * 1024);
    huge.set([0xff, 0xd8, 0xff]);
    await expectClientError(await post('/v1/pose', form(huge)), 413, 'UPLOAD_TOO_LARGE');
    await expectClientError(
      await post('/v1/run', huge, { 'content-type': 'image/jpeg' }),
      413,
      'UPLOAD_TOO_LARGE',
    );

    // Without a Content-Length (chunked), the reader stops at the limit and closes the connection
    // instead of reading the rest of a 60 MB stream.
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const enc = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) {
          controller.enqueue(
            enc.encode('--b\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\n\r\n'),
          );
        }
        if (sent++ < 60) controller.enqueue(chunk);
        else {
          controller.enqueue(enc.encode('\r\n--b--\r\n'));
          controller.close();
        }
      },
    });
    const chunked = await fetch(`${server.url}/v1/pose`, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      duplex: 'half',
    } as RequestInit);
    await expectClientError(chunked, 413, 'UPLOAD_TOO_LARGE');
    assert.ok(sent < 50, `the server stopped reading soon after the limit (${sent} MB sent)`);

    const h = await fetch(`${server.url}/healthz`);
    assert.equal(h.status, 200);
    const health = (await h.json()) as { active: number };
    assert.equal(health.active, 0, 'every refused request gave its queue place back');
    // A raw image body works too, and the server still infers.
    const ok = await post('/v1/pose', new Uint8Array(photo), { 'content-type': 'image/jpeg' });
    assert.equal(ok.status, 200);
    assert.ok(((await ok.json()) as { people: unknown[] }).people.length >= 2);
  });

  test('a photo over the pixel limit is 413 IMAGE_TOO_LARGE (checked before decoding it)', async () => {
    // A small PNG file that claims many pixels: 6000 x 6000 of one colour compresses to a few kB.
    const big = await sharp({ create: { width: 6000, height: 6000, channels: 3, background: '#888' } })
      .png()
      .toBuffer();
    assert.ok(big.length < 2_000_000);
    await expectClientError(await post('/v1/pose', form(big, 'image', 'big.png')), 413, 'IMAGE_TOO_LARGE');
  });

  test('the web page and its assets are served locally with a strict CSP', async () => {
    const page = await fetch(`${server.url}/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(html, /https?:\/\//, 'no external URL in the page');
    for (const asset of ['/app.js', '/style.css', '/favicon.svg']) {
      assert.ok(html.includes(asset), asset);
      const res = await fetch(server.url + asset);
      assert.equal(res.status, 200, asset);
      assert.doesNotMatch(await res.text(), /https?:\/\/(?!www\.w3\.org)/, `${asset} loads nothing external`);
    }
  });
});
