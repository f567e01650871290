import { ParseposeError } from '../../errors.js';
import { findTensor, loadOnnxModel, type OnnxModel } from '../../runtime/onnx.js';
import { resolveModelFile } from '../../models/cache.js';
import type { LabelMap, ParseResult, Parser, Photo } from '../../types.js';
import type { ParserOptions } from '../registry.js';
import { flipHorizontalHwc, toNchw, warpAffineBilinear, type Affine } from './affine.js';
import { SCHP_PRESETS, type SchpPreset } from './presets.js';
import { average, schpLetterbox, unflipLogits, upsampleAlignCorners, warpLogitsArgmax } from './transform.js';

/** The fusion logits for one photo, at the network's 1/4 resolution, and how to map them back. */
export interface SchpLogits {
  data: Float32Array;
  channels: number;
  height: number;
  width: number;
}

/**
 * Runs one SCHP network (LIP / ATR / Pascal export) exactly as SCHP's own inference does: letterbox,
 * BGR mean/std, fusion output, align-corners upsampling to the input size, inverse warp, argmax.
 */
export class SchpNetwork {
  private constructor(
    readonly preset: SchpPreset,
    private readonly model: OnnxModel,
    private readonly inputName: string,
    readonly inW: number,
    readonly inH: number,
  ) {}

  static async load(preset: SchpPreset, path: string): Promise<SchpNetwork> {
    const model = await loadOnnxModel(path);
    const input = findTensor(model, 'input', {
      name: preset.inputName,
      shape: [-1, 3, -1, -1],
      describe: `an image 1x3x${preset.inputSize}x${preset.inputSize}`,
    });
    // At least one output must be able to hold C-class logits (parsing / fusion, NCHW).
    findTensor(model, 'output', {
      shape: [-1, preset.numClasses, -1, -1],
      describe: `${preset.numClasses}-class logits (${preset.labelSet.toUpperCase()}) Nx${preset.numClasses}xHxW`,
    });
    const inH = input.shape[2] > 0 ? input.shape[2] : preset.inputSize;
    const inW = input.shape[3] > 0 ? input.shape[3] : preset.inputSize;
    return new SchpNetwork(preset, model, input.name, inW, inH);
  }

  /** The fusion output for an already letterboxed RGB input of inW x inH. */
  async fusion(inputRgb: Uint8Array): Promise<SchpLogits> {
    const data = toNchw(inputRgb, this.inW, this.inH, this.preset.pixels);
    const out = await this.model.run({ [this.inputName]: { data, dims: [1, 3, this.inH, this.inW] } });
    const c = this.preset.numClasses;
    // SCHP returns [[parsing, fusion], [edge]]; exports keep that order: fusion is the second C-channel output.
    const candidates = this.model.outputs
      .map((o) => out[o.name])
      .filter((t) => t && t.dims.length === 4 && t.dims[1] === c);
    const pick = candidates.length >= 2 ? candidates[1] : candidates[0];
    if (!pick) {
      throw new ParseposeError(
        'BAD_MODEL',
        `no output with ${c} channels (got ${Object.entries(out)
          .map(([k, v]) => `${k}${JSON.stringify(v.dims)}`)
          .join(', ')})`,
        this.model.path,
      );
    }
    const [, , h, w] = pick.dims;
    return { data: pick.data.subarray(0, c * h * w), channels: c, height: h, width: w };
  }

  /**
   * The fusion logits for a photo at the network's resolution (flip test averaged in when asked), and the
   * letterbox affine that maps photo pixels into the network input.
   */
  async networkLogits(photo: Photo, flip = false): Promise<{ logits: SchpLogits; forward: Affine }> {
    const forward = schpLetterbox(photo.width, photo.height, this.inW, this.inH);
    const input = warpAffineBilinear(photo.rgb, photo.width, photo.height, 3, forward, this.inW, this.inH, 0);
    let logits = await this.fusion(input);
    if (flip) {
      // The letterbox is centred, so mirroring the network input equals letterboxing the mirrored photo.
      const mirrored = await this.fusion(flipHorizontalHwc(input, this.inW, this.inH, 3));
      const back = unflipLogits(
        mirrored.data,
        mirrored.channels,
        mirrored.height,
        mirrored.width,
        this.preset.flipPairs,
      );
      logits = { ...logits, data: average(logits.data, back) };
    }
    return { logits, forward };
  }

  /** Labels (and, on request, logits at photo size, C x H x W) in the preset's label set. */
  async predict(
    photo: Photo,
    options: { flip?: boolean; keepLogits?: boolean } = {},
  ): Promise<{ labels: Uint8Array; logits?: Float32Array }> {
    const { logits: l, forward } = await this.networkLogits(photo, options.flip);
    const up = upsampleAlignCorners(l.data, l.channels, l.height, l.width, this.inH, this.inW);
    return warpLogitsArgmax(
      up,
      l.channels,
      this.inH,
      this.inW,
      forward,
      photo.width,
      photo.height,
      options.keepLogits,
    );
  }
}

/** A parser for one SCHP preset; `path` undefined resolves the file from the model cache. */
export async function createSchpParser(
  presetId: SchpPreset['id'],
  path: string | undefined,
  options: ParserOptions,
): Promise<Parser> {
  const preset = SCHP_PRESETS[presetId];
  const file = path ?? (await resolveModelFile(presetId));
  const net = await SchpNetwork.load(preset, file);
  return {
    id: presetId,
    labelSet: preset.labelSet,
    async parse(photo: Photo): Promise<ParseResult> {
      const { labels } = await net.predict(photo, { flip: options.flip });
      const map: LabelMap = { width: photo.width, height: photo.height, labels, set: preset.labelSet };
      return { map };
    },
    dispose() {
      // sessions are cached per worker and shared; nothing to free per parser
    },
  };
}
