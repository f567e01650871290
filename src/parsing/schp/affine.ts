/**
 * Affine image geometry shared by the ONNX presets (SCHP letterbox, RTMPose crops): 2x3 matrices,
 * OpenCV-compatible bilinear warps and resizes, and HWC -> normalised NCHW conversion. Pure functions on
 * typed arrays, so each preset's numerics can be tested without a model.
 */

/** `x' = a*x + b*y + c`, `y' = d*x + e*y + f` (OpenCV's 2x3 layout, row-major). */
export type Affine = readonly [number, number, number, number, number, number];

export function applyAffine(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

export function invertAffine(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (det === 0) throw new Error('affine matrix is singular');
  const ia = e / det;
  const ib = -b / det;
  const id = -d / det;
  const ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

/** A scale-and-shift: `x' = k*(x - cx) + ox`, `y' = k*(y - cy) + oy`. */
export function scaleAbout(k: number, cx: number, cy: number, ox: number, oy: number): Affine {
  return [k, 0, ox - k * cx, 0, k, oy - k * cy];
}

/**
 * `cv2.warpAffine(src, M, (outW, outH), INTER_LINEAR, BORDER_CONSTANT, border)`: every output pixel
 * samples the source at `M^-1 (x, y)` bilinearly; neighbours outside the source count as `border`.
 * Interleaved channels. A Uint8Array source gives a Uint8Array rounded to nearest (what OpenCV returns
 * for 8-bit images), a Float32Array source a Float32Array.
 */
export function warpAffineBilinear<T extends Uint8Array | Float32Array>(
  src: T,
  width: number,
  height: number,
  channels: number,
  forward: Affine,
  outW: number,
  outH: number,
  border = 0,
): T {
  const inv = invertAffine(forward);
  const isByte = src instanceof Uint8Array;
  const out = (
    isByte ? new Uint8Array(outW * outH * channels) : new Float32Array(outW * outH * channels)
  ) as T;
  const px = new Float64Array(channels);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const sx = inv[0] * x + inv[1] * y + inv[2];
      const sy = inv[3] * x + inv[4] * y + inv[5];
      sampleBilinear(src, width, height, channels, sx, sy, border, px);
      const o = (y * outW + x) * channels;
      for (let c = 0; c < channels; c++)
        out[o + c] = isByte ? Math.min(255, Math.max(0, Math.round(px[c]))) : px[c];
    }
  }
  return out;
}

/** Bilinear sample of interleaved channels at (sx, sy); neighbours outside the image count as `border`. */
export function sampleBilinear(
  src: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
  sx: number,
  sy: number,
  border: number,
  out: Float64Array,
): void {
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const fx = sx - x0;
  const fy = sy - y0;
  const w00 = (1 - fx) * (1 - fy);
  const w01 = fx * (1 - fy);
  const w10 = (1 - fx) * fy;
  const w11 = fx * fy;
  const in0 = y0 >= 0 && y0 < height;
  const in1 = y0 + 1 >= 0 && y0 + 1 < height;
  const ix0 = x0 >= 0 && x0 < width;
  const ix1 = x0 + 1 >= 0 && x0 + 1 < width;
  const r0 = y0 * width;
  const r1 = (y0 + 1) * width;
  for (let c = 0; c < channels; c++) {
    const v00 = in0 && ix0 ? src[(r0 + x0) * channels + c] : border;
    const v01 = in0 && ix1 ? src[(r0 + x0 + 1) * channels + c] : border;
    const v10 = in1 && ix0 ? src[(r1 + x0) * channels + c] : border;
    const v11 = in1 && ix1 ? src[(r1 + x0 + 1) * channels + c] : border;
    out[c] = v00 * w00 + v01 * w01 + v10 * w10 + v11 * w11;
  }
}

/**
 * `cv2.resize(src, (outW, outH), INTER_LINEAR)` on 8-bit interleaved channels: half-pixel centres,
 * edges replicated, result rounded to nearest.
 */
export function resizeBilinearHalfPixel(
  src: Uint8Array,
  width: number,
  height: number,
  channels: number,
  outW: number,
  outH: number,
): Uint8Array {
  const out = new Uint8Array(outW * outH * channels);
  const sxScale = width / outW;
  const syScale = height / outH;
  for (let y = 0; y < outH; y++) {
    let sy = (y + 0.5) * syScale - 0.5;
    if (sy < 0) sy = 0;
    let y0 = Math.floor(sy);
    if (y0 > height - 1) y0 = height - 1;
    const y1 = Math.min(y0 + 1, height - 1);
    const fy = Math.min(1, sy - y0);
    for (let x = 0; x < outW; x++) {
      let sx = (x + 0.5) * sxScale - 0.5;
      if (sx < 0) sx = 0;
      let x0 = Math.floor(sx);
      if (x0 > width - 1) x0 = width - 1;
      const x1 = Math.min(x0 + 1, width - 1);
      const fx = Math.min(1, sx - x0);
      for (let c = 0; c < channels; c++) {
        const v =
          (src[(y0 * width + x0) * channels + c] * (1 - fx) + src[(y0 * width + x1) * channels + c] * fx) *
            (1 - fy) +
          (src[(y1 * width + x0) * channels + c] * (1 - fx) + src[(y1 * width + x1) * channels + c] * fx) *
            fy;
        out[(y * outW + x) * channels + c] = Math.round(v);
      }
    }
  }
  return out;
}

/** How a network wants its pixels: channel order, then `(value * scale - mean[c]) / std[c]` per channel. */
export interface PixelNormalisation {
  /** Channel order of the tensor; the source is RGB. */
  order: 'rgb' | 'bgr';
  /** Applied to 0..255 values before mean/std (1/255 for networks trained on 0..1 inputs). */
  scale: number;
  /** Per tensor channel (in `order`). */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/** RGB HWC bytes -> float32 NCHW (N = 1) with the network's channel order and normalisation. */
export function toNchw(
  rgb: Uint8Array,
  width: number,
  height: number,
  norm: PixelNormalisation,
): Float32Array {
  const n = width * height;
  const out = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const srcC = norm.order === 'rgb' ? c : 2 - c;
    const k = norm.scale / norm.std[c];
    const b = -norm.mean[c] / norm.std[c];
    const plane = c * n;
    for (let i = 0; i < n; i++) out[plane + i] = rgb[i * 3 + srcC] * k + b;
  }
  return out;
}

/** Mirrors an RGB HWC image left-right. */
export function flipHorizontalHwc(
  src: Uint8Array,
  width: number,
  height: number,
  channels: number,
): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * channels;
      const d = (y * width + (width - 1 - x)) * channels;
      for (let c = 0; c < channels; c++) out[d + c] = src[s + c];
    }
  }
  return out;
}
