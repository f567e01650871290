import { UsageError } from '../../errors.js';
import { DEFAULT_SERVER_CONFIG, startServer, type ServerConfig } from '../../server/index.js';
import { defaultWorkers, oneOf, parseCli, positiveInt, type CliCommand } from '../args.js';

const d = DEFAULT_SERVER_CONFIG;

const help = `parsepose serve — HTTP API and web page: upload a photo, see and download its S-map and P-map

Usage: parsepose serve [--port 8080] [--host 127.0.0.1] [--workers N] [options]

Options:
  -p, --port <n>           port (default ${d.port}; 0 picks a free one)
      --host <addr>        address to listen on (default ${d.host}: this machine only; 0.0.0.0 for all)
  -w, --workers <n>        worker threads, each with its own models (default ${d.workers}; cores = ${defaultWorkers()})
      --queue <n>          requests that may wait for a worker; more get 503 + Retry-After (default ${d.maxQueue})
      --max-upload-mb <n>  largest upload (default ${d.maxUploadBytes / 1024 / 1024})
      --max-pixels <n>     largest photo in pixels (default ${d.maxPixels})
      --timeout <s>        answer 504 when a photo takes longer, queue included (default ${d.jobTimeoutMs / 1000})
  -q, --quality <q>        fast | balanced | best (default ${d.quality})
      --pose-model <spec>  pose back-end (see parsepose pose --help)
      --parse-model <spec> parser (see parsepose parse --help)
      --log                log one line per request

Endpoints:
  GET  /                   the web page (drop a photo; overlays, legend, downloads)
  GET  /healthz            status and queue
  GET  /openapi.json       OpenAPI 3.1 description
  POST /v1/pose            multipart field "image" -> OpenPose JSON   (?format=body25|coco18|coco17)
  POST /v1/parse           multipart field "image" -> palette PNG S-map (?labels=cihp|lip|atr|pascal)
  POST /v1/run             both: keypoints, labels present, base64 PNGs of the S-map, P-map and overlays

Errors are JSON {"error": "...", "code": "..."}; 4xx for the client's mistakes.
SIGINT/SIGTERM stop accepting, finish in-flight requests, then exit.

Example:
  parsepose serve --port 8080 --workers 2
  curl -F image=@photo.jpg 'http://127.0.0.1:8080/v1/pose?format=coco18'`;

export const command: CliCommand = {
  summary: 'HTTP API and web page (upload a photo, see and download its S-map and P-map)',
  help,
  async run(argv) {
    const { values: v, positionals } = parseCli(
      argv,
      {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        workers: { type: 'string', short: 'w' },
        queue: { type: 'string' },
        'max-upload-mb': { type: 'string' },
        'max-pixels': { type: 'string' },
        timeout: { type: 'string' },
        quality: { type: 'string', short: 'q' },
        'pose-model': { type: 'string' },
        'parse-model': { type: 'string' },
        log: { type: 'boolean' },
      },
      false,
    );
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const port = v.port === undefined ? d.port : Number(v.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port must be 0..65535 (got "${v.port}")`);
    const queue = v.queue === undefined ? d.maxQueue : Number(v.queue);
    if (!Number.isInteger(queue) || queue < 0)
      throw new UsageError(`--queue must be a whole number >= 0 (got "${v.queue}")`);
    const config: ServerConfig = {
      ...d,
      port,
      host: (v.host as string | undefined) ?? d.host,
      workers: positiveInt('workers', v.workers as string | undefined, d.workers),
      maxQueue: queue,
      maxUploadBytes:
        positiveInt(
          'max-upload-mb',
          v['max-upload-mb'] as string | undefined,
          d.maxUploadBytes / 1024 / 1024,
        ) *
        1024 *
        1024,
      maxPixels: positiveInt('max-pixels', v['max-pixels'] as string | undefined, d.maxPixels),
      jobTimeoutMs: positiveInt('timeout', v.timeout as string | undefined, d.jobTimeoutMs / 1000) * 1000,
      quality: oneOf('quality', v.quality as string | undefined, ['fast', 'balanced', 'best'], d.quality),
      poseModel: (v['pose-model'] as string | undefined) ?? d.poseModel,
      parseModel: (v['parse-model'] as string | undefined) ?? d.parseModel,
      log: Boolean(v.log),
    };
    console.error(
      `parsepose serve: loading models in ${config.workers} worker${config.workers === 1 ? '' : 's'}...`,
    );
    const server = await startServer(config);
    console.error(
      `parsepose serve: listening on ${server.url}  (web page: ${server.url}/, API: ${server.url}/openapi.json)`,
    );
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        const n = server.service.stats().active;
        console.error(
          `parsepose serve: ${signal}: finishing ${n} in-flight request${n === 1 ? '' : 's'}, then exiting`,
        );
        server.close().then(resolve, (err: unknown) => {
          console.error(`parsepose serve: shutdown error: ${String(err)}`);
          resolve();
        });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    console.error('parsepose serve: stopped');
    return 0;
  },
};
