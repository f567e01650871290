import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { Readable } from 'node:stream';
import { sniffFormat } from '../image/decode.js';
import { LABEL_SETS, OUTPUT_LABEL_SETS, type OutputLabelSetId } from '../parsing/labelsets.js';
import type { TaskOverrides } from '../pipeline/pool.js';
import type { PoseFormat } from '../types.js';
import type { ServerConfig } from './config.js';
import { HttpError, toErrorResponse } from './errors.js';
import type { InferenceService, Ticket } from './inference.js';
import { POSE_FORMATS, openApiDocument } from './openapi.js';
import { loadStaticAssets } from './static.js';

export interface AppOptions {
  config: ServerConfig;
  service: InferenceService;
  version: string;
}

interface Query {
  format?: PoseFormat;
  labels?: OutputLabelSetId;
}

/** Query parameters are checked by schema: anything else is a 400 BAD_QUERY. */
const QUERY_SCHEMA = {
  type: 'object',
  properties: {
    format: { type: 'string', enum: POSE_FORMATS },
    labels: { type: 'string', enum: OUTPUT_LABEL_SETS },
  },
} as const;

// Multipart bodies carry a few hundred bytes of headers around the file.
const MULTIPART_SLACK = 64 * 1024;

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The HTTP API and the web page. Handlers only read the upload, check it, and hand it to the worker pool
 * (through the InferenceService's bounded queue); they never decode or infer on the event loop.
 */
export async function buildApp({ config, service, version }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.log ? { level: 'info' } : false,
    bodyLimit: config.maxUploadBytes,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: 5_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const tickets = new WeakMap<FastifyRequest, Ticket>();
  const assets = loadStaticAssets();
  const openapi = JSON.stringify(openApiDocument(version, config));

  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: {
      fileSize: config.maxUploadBytes,
      files: 1,
      fields: 16,
      fieldSize: 1024,
      parts: 17,
      headerPairs: 64,
    },
  });
  // Raw image bodies (curl --data-binary @photo.jpg -H 'content-type: image/jpeg') are accepted too.
  app.addContentTypeParser(
    /^(?:image\/[\w.+-]+|application\/octet-stream)\s*(?:;|$)/,
    { parseAs: 'buffer', bodyLimit: config.maxUploadBytes },
    (_req, body, done) => done(null, body),
  );

  app.setErrorHandler((err, request, reply) => {
    const r = toErrorResponse(err);
    if (r.status >= 500) request.log.error({ err }, 'request failed');
    // An oversized upload refused before it was all read: close the connection rather than read the rest.
    // Other early refusals (503) let Node drain their body, bounded by the Content-Length check and the
    // request timeout: closing under a client still writing makes it see EPIPE instead of the answer.
    if (r.status === 413 && !request.raw.complete) reply.header('connection', 'close');
    return reply.code(r.status).headers(r.headers).type('application/json; charset=utf-8').send(r.body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/json; charset=utf-8')
      .send({ error: `no route ${request.method} ${request.url.split('?')[0]}`, code: 'NOT_FOUND' }),
  );
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (request.url.startsWith('/v1/')) reply.header('cache-control', 'no-store');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', CSP);
    }
  });
  app.addHook('preClose', async () => service.stopAdmitting());
  // Runs after every in-flight request has been answered: then the workers can stop.
  app.addHook('onClose', async () => service.close());

  /** Before the body is read: refuse oversized uploads by their Content-Length, and full queues. */
  const admit = async (request: FastifyRequest, reply: FastifyReply) => {
    const length = Number(request.headers['content-length']);
    if (Number.isFinite(length) && length > config.maxUploadBytes + MULTIPART_SLACK) {
      throw tooLarge(config.maxUploadBytes);
    }
    const ticket = service.admit();
    tickets.set(request, ticket);
    // 'close' fires once the response is sent or the client went away: either way the request lets go.
    reply.raw.once('close', () => ticket.release());
  };

  const infer = async (request: FastifyRequest, overrides: TaskOverrides) => {
    const data = await readUpload(request, config.maxUploadBytes);
    const ticket = tickets.get(request);
    if (!ticket) throw new Error('request was not admitted');
    return service.process(ticket, data, overrides);
  };

  const postRoute = { onRequest: admit, schema: { querystring: QUERY_SCHEMA } };

  app.post<{ Querystring: Query }>('/v1/pose', postRoute, async (request, reply) => {
    const format = request.query.format ?? 'body25';
    const { outputs } = await infer(request, { pose: true, parse: false, vis: false, format });
    return reply
      .type('application/json; charset=utf-8')
      .send(outputs.poseJson ?? '{"version":1.3,"people":[]}');
  });

  app.post<{ Querystring: Query }>('/v1/parse', postRoute, async (request, reply) => {
    const labels = request.query.labels ?? 'cihp';
    const { result, outputs } = await infer(request, { pose: false, parse: true, vis: false, labels });
    if (!outputs.parse) throw new Error('the parser returned no S-map');
    return reply
      .type('image/png')
      .header('x-label-set', labels)
      .header('x-labels-present', (result.labelsPresent ?? []).join(','))
      .header('x-people', String(result.people.length))
      .header('content-disposition', 'inline; filename="parse.png"')
      .send(asBuffer(outputs.parse));
  });

  app.post<{ Querystring: Query }>('/v1/run', postRoute, async (request) => {
    const format = request.query.format ?? 'body25';
    const labels = request.query.labels ?? 'cihp';
    const { result, outputs, totalMs } = await infer(request, {
      pose: true,
      parse: true,
      vis: true,
      format,
      labels,
    });
    const set = LABEL_SETS[labels];
    const label = (id: number) => ({
      id,
      name: set.names[id] ?? String(id),
      color: [...(set.palette[id] ?? [id, id, id])],
    });
    const t = result.timings;
    return {
      width: result.width,
      height: result.height,
      people: result.people.length,
      format,
      labelSet: labels,
      openpose: JSON.parse(outputs.poseJson ?? '{"version":1.3,"people":[]}') as unknown,
      labelsPresent: (result.labelsPresent ?? []).map(label),
      legend: set.names.map((_, id) => label(id)),
      timings: {
        decode: round1(t.decode),
        pose: round1(t.pose),
        parse: round1(t.parse),
        encode: round1(t.write),
        total: round1(totalMs),
      },
      images: {
        smap: dataUrl(outputs.parse),
        smapOverlay: dataUrl(outputs.parseVis),
        pmap: dataUrl(outputs.poseImg),
        pmapOverlay: dataUrl(outputs.poseVis),
      },
    };
  });

  app.get('/healthz', async () => {
    const s = service.stats();
    const m = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 1024 / 1024);
    return {
      status: s.ready ? 'ok' : 'loading',
      version,
      ...s,
      memory: { rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), externalMB: mb(m.external) },
    };
  });
  app.get('/openapi.json', async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(openapi),
  );
  for (const [route, asset] of assets) {
    app.get(route, async (_request, reply) =>
      reply.type(asset.type).header('cache-control', 'no-cache').send(asset.body),
    );
  }
  return app;
}

function tooLarge(max: number): HttpError {
  return new HttpError(
    413,
    'UPLOAD_TOO_LARGE',
    `upload is over the limit of ${(max / 1024 / 1024).toFixed(0)} MB`,
  );
}

/**
 * The uploaded photo's bytes: the multipart field `image`, or a raw image body. Checked by content
 * (sniffed signature), never by file name or declared type; the client's file name is never used.
 */
async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  let data: Buffer;
  if (request.isMultipart()) {
    try {
      const part = await request.file();
      if (!part)
        throw new HttpError(
          400,
          'MISSING_FIELD',
          'no file in the form: send the photo in the multipart field "image"',
        );
      if (part.fieldname !== 'image') {
        part.file.resume();
        throw new HttpError(
          400,
          'MISSING_FIELD',
          `send the photo in the multipart field "image" (got a file in "${part.fieldname.slice(0, 40)}")`,
        );
      }
      data = await readPart(part.file, maxBytes);
    } catch (err) {
      throw uploadError(err, maxBytes);
    }
  } else if (Buffer.isBuffer(request.body)) {
    data = request.body;
  } else {
    throw new HttpError(
      415,
      'WRONG_CONTENT_TYPE',
      'send the photo as multipart/form-data in the field "image", or as a raw image/* body',
    );
  }
  if (data.length === 0) throw new HttpError(400, 'EMPTY_FILE', 'the uploaded file is empty (0 bytes)');
  if (!sniffFormat(data)) {
    throw new HttpError(
      415,
      'NOT_AN_IMAGE',
      'not an image: no JPEG, PNG, WebP, GIF, TIFF or AVIF signature in the bytes',
    );
  }
  return data;
}

/**
 * Reads an uploaded file, failing with 413 the moment busboy reports the size limit (its 'limit' event)
 * instead of reading on to the end of an oversized upload; the 413 then closes the connection.
 */
function readPart(file: Readable & { truncated?: boolean }, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    file.on('data', (chunk: Buffer) => chunks.push(chunk));
    file.once('limit', () => {
      file.destroy();
      reject(tooLarge(maxBytes));
    });
    file.once('error', reject);
    file.once('end', () => (file.truncated ? reject(tooLarge(maxBytes)) : resolve(Buffer.concat(chunks))));
  });
}

/** Errors while reading a multipart body: ours and the size limit stay, anything else is a malformed body. */
function uploadError(err: unknown, maxBytes: number): unknown {
  if (err instanceof HttpError) return err;
  const code = (err as { code?: unknown })?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(maxBytes);
  if (typeof code === 'string' && /^FST_(FILES|FIELDS|PARTS)_LIMIT$/.test(code)) return err;
  return new HttpError(400, 'BAD_MULTIPART', 'malformed multipart/form-data body');
}

/** Worker results cross the thread boundary as plain Uint8Arrays. */
function asBuffer(u8: Uint8Array): Buffer {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

function dataUrl(png: Uint8Array | undefined): string | undefined {
  return png ? `data:image/png;base64,${asBuffer(png).toString('base64')}` : undefined;
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
