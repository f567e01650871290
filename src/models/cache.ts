import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ParseposeError, UsageError } from '../errors.js';
import { modelEntry, modelIds, type ModelEntry } from './registry.js';

/**
 * Where downloaded models live: `$PARSEPOSE_CACHE`, else the platform's cache folder
 * (`$XDG_CACHE_HOME/parsepose` or `~/.cache/parsepose` on Linux, `~/Library/Caches/parsepose` on macOS,
 * `%LOCALAPPDATA%\parsepose\Cache` on Windows). Each model has a folder named after its id.
 */
export function cacheRoot(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.PARSEPOSE_CACHE) return env.PARSEPOSE_CACHE;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'parsepose');
  if (platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'parsepose', 'Cache');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'parsepose');
}

export function requireModel(id: string): ModelEntry {
  const entry = modelEntry(id);
  if (!entry) throw new UsageError(`unknown model "${id}" (known: ${modelIds().join(', ')})`);
  return entry;
}

export function modelDir(id: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'models', id);
}

export function modelFilePath(id: string, fileName: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(modelDir(id, env), fileName);
}

/** Size of a regular file, or undefined when it does not exist. */
export async function fileSize(path: string): Promise<number | undefined> {
  try {
    const st = await stat(path);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

/** Streams a file through SHA-256 (lower-case hex). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * The cached path of one of a model's files. Never downloads: a missing file is a MODEL_MISSING error
 * that names the file and the command that fetches it (or, for bring-your-own files, how to pass one).
 */
export async function resolveModelFile(id: string, fileName?: string): Promise<string> {
  const entry = requireModel(id);
  const file = fileName ? entry.files.find((f) => f.name === fileName) : entry.files[0];
  if (!file) throw new Error(`model "${id}" has no file "${fileName}"`);
  const path = modelFilePath(id, file.name);
  if ((await fileSize(path)) !== undefined) return path;
  const how = file.url
    ? `run "parsepose models pull ${id}" to download it, or pass ${entry.preset}:<path>`
    : `this file is not downloadable (${entry.note ?? 'bring your own'}); pass ${entry.preset}:<path> or put it there`;
  throw new ParseposeError(
    'MODEL_MISSING',
    `model file ${file.name} of "${id}" is not in the model cache; ${how}`,
    path,
  );
}
