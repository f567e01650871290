import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { DEFAULT_SERVER_CONFIG, type ServerConfig } from './config.js';
import { InferenceService, type InferenceBackend } from './inference.js';

export { DEFAULT_SERVER_CONFIG, type ServerConfig } from './config.js';

export interface RunningServer {
  app: FastifyInstance;
  service: InferenceService;
  config: ServerConfig;
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  /**
   * Graceful shutdown: stops accepting, lets in-flight requests finish (cut after shutdownGraceMs),
   * then stops the workers.
   */
  close(): Promise<void>;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Starts the worker pool, waits for its models (a model that cannot load fails here, not on the first
 * request), then listens. `backend` replaces the worker pool (tests).
 */
export async function startServer(
  overrides: Partial<ServerConfig> = {},
  deps: { backend?: InferenceBackend } = {},
): Promise<RunningServer> {
  const config: ServerConfig = { ...DEFAULT_SERVER_CONFIG, ...overrides };
  const service = deps.backend
    ? new InferenceService(deps.backend, config)
    : InferenceService.withPool(config);
  try {
    await service.ready();
  } catch (err) {
    await service.close();
    throw err;
  }
  let app: FastifyInstance | undefined;
  try {
    app = await buildApp({ config, service, version: packageVersion() });
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    // Closing the app stops the workers too (its onClose hook); without an app, stop them here.
    await (app ? app.close() : service.close());
    throw err;
  }
  const addr = app.server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let closing: Promise<void> | undefined;
  return {
    app,
    service,
    config,
    url: `http://${host}:${addr.port}`,
    close() {
      closing ??= (async () => {
        const cut = setTimeout(() => app.server.closeAllConnections(), config.shutdownGraceMs);
        cut.unref();
        try {
          await app.close();
        } finally {
          clearTimeout(cut);
        }
      })();
      return closing;
    },
  };
}
