/**
 * BodyPix 2.0 numerics as pure functions (tfjs-models body-pix: padAndResizeTo, scaleAndCropToInputTensorShape,
 * decodePartSegmentation), written out because the package's own decoding needs an int32 matMul that the
 * wasm backend rejects. Maps are channels-last, as the network returns them.
 */

/** The 24 parts in channel order (models/README.md). */
export const BODYPIX_PARTS = [
  'left_face',
  'right_face',
  'left_upper_arm_front',
  'left_upper_arm_back',
  'right_upper_arm_front',
  'right_upper_arm_back',
  'left_lower_arm_front',
  'left_lower_arm_back',
  'right_lower_arm_front',
  'right_lower_arm_back',
  'left_hand',
  'right_hand',
  'torso_front',
  'torso_back',
  'left_upper_leg_front',
  'left_upper_leg_back',
  'right_upper_leg_front',
  'right_upper_leg_back',
  'left_lower_leg_front',
  'left_lower_leg_back',
  'right_lower_leg_front',
  'right_lower_leg_back',
  'left_feet',
  'right_feet',
] as const;

/** Part -> Pascal-Person-Part-7: head, torso, upper arms, lower arms (+ hands), upper legs, lower legs (+ feet). */
// prettier-ignore
export const BODYPIX_TO_PASCAL: readonly number[] = [1, 1, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 2, 2, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6];

/**
 * Part -> a LIP-20 map (BodyPix knows body parts, not garments): face 13, torso as Upper-clothes 5, arms
 * and hands 14 / 15, upper legs as Pants 9, lower legs 16 / 17, feet as shoes 18 / 19. BodyPix's "left"
 * is the person's left, as LIP's is.
 */
// prettier-ignore
export const BODYPIX_TO_LIP: readonly number[] = [13, 13, 14, 14, 15, 15, 14, 14, 15, 15, 14, 15, 5, 5, 9, 9, 9, 9, 16, 16, 17, 17, 18, 19];

/** How a photo becomes the network input and how output cells map back to photo pixels. */
export interface BodyPixGeometry {
  width: number;
  height: number;
  /** Network input size, `k * stride + 1` each. */
  resW: number;
  resH: number;
  /** Padding (photo pixels) that brings the photo to the input's aspect ratio before resizing. */
  padT: number;
  padB: number;
  padL: number;
  padR: number;
  stride: number;
  /** Output map size: (res - 1) / stride + 1. */
  outW: number;
  outH: number;
}

/** `toValidInputResolution`: the largest k * stride + 1 not above the value (the value when already valid). */
export function validResolution(value: number, stride: number): number {
  if ((value - 1) % stride === 0) return value;
  return Math.floor(value / stride) * stride + 1;
}

/** BodyPix's geometry at an internal resolution (0.5 = 'medium', 0.75 'high', 1 'full'). */
export function bodyPixGeometry(
  width: number,
  height: number,
  internalScale: number,
  stride: number,
): BodyPixGeometry {
  const resH = Math.max(stride + 1, validResolution(height * internalScale, stride));
  const resW = Math.max(stride + 1, validResolution(width * internalScale, stride));
  const targetAspect = resW / resH;
  let padT = 0;
  let padB = 0;
  let padL = 0;
  let padR = 0;
  if (width / height < targetAspect) {
    padL = padR = Math.round(0.5 * (targetAspect * height - width));
  } else {
    padT = padB = Math.round(0.5 * (width / targetAspect - height));
  }
  return {
    width,
    height,
    resW,
    resH,
    padT,
    padB,
    padL,
    padR,
    stride,
    outW: (resW - 1) / stride + 1,
    outH: (resH - 1) / stride + 1,
  };
}

/**
 * The network input: the photo padded with black, resized bilinearly to resW x resH the way tfjs's
 * `resizeBilinear` does by default (source = destination * in/out, no half-pixel offset, last row and
 * column clamped), scaled to `pixel / 127.5 - 1`. HWC float32.
 */
export function bodyPixInput(rgb: Uint8Array, g: BodyPixGeometry): Float32Array {
  const pw = g.width + g.padL + g.padR;
  const ph = g.height + g.padT + g.padB;
  const sx = pw / g.resW;
  const sy = ph / g.resH;
  const out = new Float32Array(g.resW * g.resH * 3);
  const at = (px: number, py: number, c: number): number => {
    const x = px - g.padL;
    const y = py - g.padT;
    return x >= 0 && x < g.width && y >= 0 && y < g.height ? rgb[(y * g.width + x) * 3 + c] : 0;
  };
  for (let v = 0; v < g.resH; v++) {
    const fy = v * sy;
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, ph - 1);
    const dy = fy - y0;
    for (let u = 0; u < g.resW; u++) {
      const fx = u * sx;
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, pw - 1);
      const dx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const top = at(x0, y0, c) + (at(x1, y0, c) - at(x0, y0, c)) * dx;
        const bottom = at(x0, y1, c) + (at(x1, y1, c) - at(x0, y1, c)) * dx;
        out[(v * g.resW + u) * 3 + c] = (top + (bottom - top) * dy) / 127.5 - 1;
      }
    }
  }
  return out;
}

/**
 * Where photo pixel (x, y) falls on the output map: `scaleAndCropToInputTensorShape` resizes the map to
 * the input with aligned corners and crops the padding with `cropAndResize`, which together put it at
 * ((padL + x) * (outW - 1) / (paddedW - 1), (padT + y) * (outH - 1) / (paddedH - 1)).
 */
export function outputCoordinates(g: BodyPixGeometry): { xs: Float64Array; ys: Float64Array } {
  const pw = g.width + g.padL + g.padR;
  const ph = g.height + g.padT + g.padB;
  const xs = new Float64Array(g.width);
  const ys = new Float64Array(g.height);
  for (let x = 0; x < g.width; x++) xs[x] = pw > 1 ? ((g.padL + x) * (g.outW - 1)) / (pw - 1) : 0;
  for (let y = 0; y < g.height; y++) ys[y] = ph > 1 ? ((g.padT + y) * (g.outH - 1)) / (ph - 1) : 0;
  return { xs, ys };
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** The raw network maps for one photo. */
export interface BodyPixMaps {
  /** outH x outW x 1 person logits. */
  segments: Float32Array;
  /** outH x outW x 24 part logits. */
  parts: Float32Array;
}

/** Visits every photo pixel with its bilinearly sampled person logit and 24 part logits. */
function forEachPixel(
  maps: BodyPixMaps,
  g: BodyPixGeometry,
  visit: (p: number, segment: number, parts: Float64Array) => void,
): void {
  const { xs, ys } = outputCoordinates(g);
  const parts = new Float64Array(24);
  const { outW, outH } = g;
  for (let y = 0; y < g.height; y++) {
    const fy = ys[y];
    const y0 = Math.min(Math.floor(fy), outH - 1);
    const y1 = Math.min(y0 + 1, outH - 1);
    const dy = fy - y0;
    for (let x = 0; x < g.width; x++) {
      const fx = xs[x];
      const x0 = Math.min(Math.floor(fx), outW - 1);
      const x1 = Math.min(x0 + 1, outW - 1);
      const dx = fx - x0;
      const w00 = (1 - dx) * (1 - dy);
      const w01 = dx * (1 - dy);
      const w10 = (1 - dx) * dy;
      const w11 = dx * dy;
      const i00 = y0 * outW + x0;
      const i01 = y0 * outW + x1;
      const i10 = y1 * outW + x0;
      const i11 = y1 * outW + x1;
      const s = maps.segments;
      const segment = s[i00] * w00 + s[i01] * w01 + s[i10] * w10 + s[i11] * w11;
      const m = maps.parts;
      for (let c = 0; c < 24; c++) {
        parts[c] =
          m[i00 * 24 + c] * w00 + m[i01 * 24 + c] * w01 + m[i10 * 24 + c] * w10 + m[i11 * 24 + c] * w11;
      }
      visit(y * g.width + x, segment, parts);
    }
  }
}

/**
 * `segmentPersonParts`: per photo pixel, the part of highest score where sigmoid(person logit) exceeds
 * `threshold`, else -1 (as BodyPix returns); here as an Int8Array.
 */
export function decodePartSegmentation(maps: BodyPixMaps, g: BodyPixGeometry, threshold: number): Int8Array {
  const out = new Int8Array(g.width * g.height).fill(-1);
  forEachPixel(maps, g, (p, segment, parts) => {
    if (!(sigmoid(segment) > threshold)) return;
    let best = 0;
    for (let c = 1; c < 24; c++) if (parts[c] > parts[best]) best = c;
    out[p] = best;
  });
  return out;
}

/** Part ids (-1 = background) through a part -> class table (background -> 0). */
export function partsToLabels(parts: Int8Array, table: readonly number[]): Uint8Array {
  const out = new Uint8Array(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = parts[i] < 0 ? 0 : table[parts[i]];
  return out;
}

/** Per-pixel body-part probabilities at photo size, for use as a prior. */
export interface BodyPixProbabilities {
  width: number;
  height: number;
  /** P(person) = sigmoid of the person logit, H x W. */
  person: Float32Array;
  /**
   * 24 x H x W: P(person) x softmax over the 24 part logits, so a pixel's parts sum to P(person) and
   * `1 - person` is the background.
   */
  parts: Float32Array;
}

export function partProbabilities(maps: BodyPixMaps, g: BodyPixGeometry): BodyPixProbabilities {
  const n = g.width * g.height;
  const person = new Float32Array(n);
  const out = new Float32Array(24 * n);
  const e = new Float64Array(24);
  forEachPixel(maps, g, (p, segment, parts) => {
    const pp = sigmoid(segment);
    person[p] = pp;
    let max = -Infinity;
    for (let c = 0; c < 24; c++) max = Math.max(max, parts[c]);
    let sum = 0;
    for (let c = 0; c < 24; c++) sum += e[c] = Math.exp(parts[c] - max);
    for (let c = 0; c < 24; c++) out[c * n + p] = (pp * e[c]) / sum;
  });
  return { width: g.width, height: g.height, person, parts: out };
}
