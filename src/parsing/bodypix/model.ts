import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ParseposeError } from '../../errors.js';
import { loadNet, type Net } from '../../runtime/net.js';
import { resolveModelFile } from '../../models/cache.js';
import type { Photo } from '../../types.js';
import { bodyPixGeometry, bodyPixInput, type BodyPixGeometry, type BodyPixMaps } from './decode.js';

const SEGMENTS = 'float_segments';
const PARTS = 'float_part_heatmaps';

export interface BodyPixOptions {
  /** Internal resolution as a fraction of the photo (BodyPix: low 0.25, medium 0.5, high 0.75, full 1). */
  internalResolution?: number;
  /** P(person) above which a pixel is a person (BodyPix's segmentPersonParts default: 0.7). */
  segmentationThreshold?: number;
}

/**
 * BodyPix's 'high' internal resolution (its default is 'medium', 0.5): on the 10 SCHP test photos Pascal-7
 * mIoU is 0.72 at 0.75 against 0.67 at 0.5, for about twice the time. The threshold is BodyPix's own.
 */
export const BODYPIX_DEFAULTS: Required<BodyPixOptions> = {
  internalResolution: 0.75,
  segmentationThreshold: 0.7,
};

/**
 * `bodypix` -> the cached model; `bodypix:<folder>` -> model-stride16.json in it; `bodypix:<model.json>`
 * -> that graph (e.g. model-stride8.json).
 */
export async function resolveBodyPixModelJson(path: string | undefined): Promise<string> {
  if (!path) return resolveModelFile('bodypix', 'model-stride16.json');
  try {
    if ((await stat(path)).isDirectory()) return join(path, 'model-stride16.json');
  } catch {
    throw new ParseposeError('MODEL_MISSING', 'BodyPix model folder or model.json not found', path);
  }
  return path;
}

/** A loaded BodyPix graph and its output stride (measured on a probe input, so any graph file works). */
export class BodyPixModel {
  private constructor(
    private readonly graph: Net,
    readonly stride: number,
    readonly path: string,
  ) {}

  static async load(modelJson: string): Promise<BodyPixModel> {
    const graph = await loadNet(modelJson);
    const names = graph.outputs;
    if (!names.includes(SEGMENTS) || !names.includes(PARTS)) {
      throw new ParseposeError(
        'BAD_MODEL',
        `not a BodyPix graph: no ${SEGMENTS} / ${PARTS} outputs (has ${names.join(', ')})`,
        modelJson,
      );
    }
    const [out] = await graph.run(new Float32Array(33 * 33 * 3), [1, 33, 33, 3], [SEGMENTS]);
    const outH = out.shape[1] ?? 0;
    const stride = outH > 1 ? 32 / (outH - 1) : 0;
    if (![8, 16, 32].includes(stride))
      throw new ParseposeError('BAD_MODEL', `unexpected BodyPix output stride (${stride})`, modelJson);
    return new BodyPixModel(graph, stride, modelJson);
  }

  /** Runs the network on a photo; returns its person / part logit maps and the geometry to map them back. */
  async predict(
    photo: Photo,
    internalResolution = BODYPIX_DEFAULTS.internalResolution,
  ): Promise<{ maps: BodyPixMaps; geometry: BodyPixGeometry }> {
    const g = bodyPixGeometry(photo.width, photo.height, internalResolution, this.stride);
    const [seg, parts] = await this.graph.run(
      bodyPixInput(photo.rgb, g),
      [1, g.resH, g.resW, 3],
      [SEGMENTS, PARTS],
    );
    if (seg.shape[1] !== g.outH || seg.shape[2] !== g.outW || parts.shape[3] !== 24) {
      throw new ParseposeError(
        'BAD_MODEL',
        `BodyPix output ${JSON.stringify(parts.shape)} does not match input ${g.resW}x${g.resH}`,
        this.path,
      );
    }
    return { maps: { segments: seg.data, parts: parts.data }, geometry: g };
  }

  dispose(): void {
    this.graph.dispose();
  }
}
