import { open, rename, rm, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ParseposeError } from '../errors.js';
import { fileSize, modelFilePath, requireModel, sha256File } from './cache.js';
import type { ModelEntry, ModelFile } from './registry.js';

/**
 * Downloads a model's files into the cache: resumes a `.partial` file with an HTTP Range request, checks
 * size and SHA-256 where known, and renames into place only when complete and verified (so a cached
 * file is always whole). Never called implicitly: only `parsepose models pull` downloads.
 */
export interface PullProgress {
  file: string;
  /** Bytes on disk so far (including a resumed part). */
  received: number;
  /** Total bytes when the server or the registry says. */
  total?: number;
}

export interface PullOptions {
  /** `$PARSEPOSE_MODELS_URL`: files are fetched from `<base>/<model id>/<file name>` instead. */
  baseUrl?: string;
  /** Download again even when a cached file passes its checks. */
  force?: boolean;
  onProgress?: (p: PullProgress) => void;
  /** Called once per file with what happened. */
  onFile?: (r: PulledFile) => void;
}

export interface PulledFile {
  file: string;
  path: string;
  status: 'cached' | 'downloaded' | 'resumed';
  bytes: number;
  sha256?: string;
}

export function fileUrl(entry: ModelEntry, file: ModelFile, baseUrl?: string): string | undefined {
  if (baseUrl) return `${baseUrl.replace(/\/+$/, '')}/${entry.id}/${file.name}`;
  return file.url;
}

/** A cached file is good when its size (and SHA-256, when known) match the registry. */
async function cachedOk(path: string, file: ModelFile): Promise<boolean> {
  const size = await fileSize(path);
  if (size === undefined) return false;
  if (file.size !== undefined && size !== file.size) return false;
  if (file.sha256 && (await sha256File(path)) !== file.sha256) return false;
  return true;
}

/** Pulls every file of a model (an id from the registry, or an entry, e.g. a test fixture). */
export async function pullModel(
  model: string | ModelEntry,
  options: PullOptions = {},
): Promise<PulledFile[]> {
  const entry = typeof model === 'string' ? requireModel(model) : model;
  const baseUrl = options.baseUrl ?? (process.env.PARSEPOSE_MODELS_URL || undefined);
  const results: PulledFile[] = [];
  for (const file of entry.files) {
    const r = await pullFile(entry, file, baseUrl, options);
    options.onFile?.(r);
    results.push(r);
  }
  return results;
}

async function pullFile(
  entry: ModelEntry,
  file: ModelFile,
  baseUrl: string | undefined,
  options: PullOptions,
): Promise<PulledFile> {
  const path = modelFilePath(entry.id, file.name);
  if (!options.force && (await cachedOk(path, file))) {
    return {
      file: file.name,
      path,
      status: 'cached',
      bytes: (await fileSize(path)) ?? 0,
      sha256: file.sha256,
    };
  }
  const url = fileUrl(entry, file, baseUrl);
  if (!url) {
    throw new ParseposeError(
      'MODEL_MISSING',
      `${file.name} of "${entry.id}" cannot be downloaded (${entry.note ?? 'no public source'}); put your file at this path`,
      path,
    );
  }
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  let have = options.force ? 0 : ((await fileSize(partial)) ?? 0);
  if (options.force) await rm(partial, { force: true });
  if (file.size !== undefined && have > file.size) {
    await rm(partial, { force: true });
    have = 0;
  }
  const resumedFrom = have;

  // A partial that is already whole (a crash between download and rename) needs no request.
  if (!(file.size !== undefined && have === file.size)) {
    await download(url, partial, have, file, options);
  }

  const size = (await fileSize(partial)) ?? 0;
  const digest = await sha256File(partial);
  if ((file.size !== undefined && size !== file.size) || (file.sha256 && digest !== file.sha256)) {
    await rm(partial, { force: true });
    const what =
      file.sha256 && digest !== file.sha256
        ? `SHA-256 ${digest} does not match the expected ${file.sha256}`
        : `size ${size} does not match the expected ${file.size}`;
    throw new ParseposeError(
      'BAD_MODEL',
      `download of ${file.name} rejected: ${what}; the partial file was removed`,
      url,
    );
  }
  await rename(partial, path);
  return {
    file: file.name,
    path,
    status: resumedFrom > 0 ? 'resumed' : 'downloaded',
    bytes: size,
    sha256: digest,
  };
}

async function download(
  url: string,
  partial: string,
  have: number,
  file: ModelFile,
  options: PullOptions,
): Promise<void> {
  const headers: Record<string, string> = { 'user-agent': 'parsepose' };
  if (have > 0) headers.range = `bytes=${have}-`;
  let res: Response;
  try {
    res = await fetch(url, { headers, redirect: 'follow' });
  } catch (err) {
    throw new ParseposeError('MODEL_MISSING', `cannot reach ${url} (${(err as Error).message})`, file.name);
  }
  if (res.status === 416 && have > 0) {
    // The server has nothing past what we hold: the partial is complete (verified by the caller).
    await res.body?.cancel();
    return;
  }
  let append = false;
  if (res.status === 206 && have > 0) {
    const start = /bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1];
    append = start !== undefined && Number(start) === have;
    if (!append) {
      // The server resumed from somewhere else: start over rather than splice wrong bytes.
      await res.body?.cancel();
      return download(url, partial, 0, file, options);
    }
  } else if (!res.ok) {
    await res.body?.cancel();
    throw new ParseposeError('MODEL_MISSING', `download failed: HTTP ${res.status} ${res.statusText}`, url);
  }
  const length = Number(res.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(length) ? (append ? have : 0) + length : file.size;
  let received = append ? have : 0;
  const fh = await open(partial, append ? 'a' : 'w');
  try {
    options.onProgress?.({ file: file.name, received, total });
    if (res.body) {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        await fh.write(chunk);
        received += chunk.length;
        options.onProgress?.({ file: file.name, received, total });
      }
    }
  } catch (err) {
    throw new ParseposeError(
      'MODEL_MISSING',
      `download of ${file.name} interrupted after ${received} bytes (${(err as Error).message}); run the same command again to resume`,
      url,
    );
  } finally {
    await fh.close();
  }
}
