import type { Photo } from '../../types.js';
import { cropAndResizeBox, pyramidLevel, type SquareRegion } from './crop.js';

/** Photos with a longer side above this are box-averaged down first (memory, and no crop needs more). */
export const MAX_PYRAMID_SIDE = 2048;

/**
 * Averages `factor` x `factor` blocks of an RGB image (the last partial row/column of blocks is dropped).
 */
export function boxDownscale(
  rgb: Uint8Array,
  width: number,
  height: number,
  factor: number,
): { rgb: Uint8Array; width: number; height: number } {
  const w = Math.max(1, Math.floor(width / factor));
  const h = Math.max(1, Math.floor(height / factor));
  const fx = Math.min(factor, width);
  const fy = Math.min(factor, height);
  const out = new Uint8Array(w * h * 3);
  const acc = new Float64Array(w * 3);
  for (let y = 0; y < h; y++) {
    acc.fill(0);
    for (let dy = 0; dy < fy; dy++) {
      const row = (y * fy + dy) * width * 3;
      for (let x = 0; x < w; x++) {
        let i = row + x * fx * 3;
        for (let dx = 0; dx < fx; dx++, i += 3) {
          acc[x * 3] += rgb[i];
          acc[x * 3 + 1] += rgb[i + 1];
          acc[x * 3 + 2] += rgb[i + 2];
        }
      }
    }
    const n = fx * fy;
    for (let j = 0; j < w * 3; j++) out[y * w * 3 + j] = Math.round(acc[j] / n);
  }
  return { rgb: out, width: w, height: h };
}

/** An RGB image in float32 (values 0..255), row-major, 3 channels. */
interface Level {
  data: Float32Array | Uint8Array;
  width: number;
  height: number;
}

/** A crop ready for a model: NHWC float32, 1 x size x size x 3. */
export interface Crop {
  data: Float32Array;
  shape: [number, number, number, number];
}

/** 2x2 average pooling, the last odd row/column dropped (tf.avgPool(x, 2, 2, 'valid')). */
function halve(src: Level): Level {
  const w = Math.floor(src.width / 2);
  const h = Math.floor(src.height / 2);
  const out = new Float32Array(w * h * 3);
  const d = src.data;
  const rowStride = src.width * 3;
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * rowStride;
    const r1 = r0 + rowStride;
    let o = y * w * 3;
    for (let x = 0; x < w; x++) {
      const c = x * 6;
      for (let k = 0; k < 3; k++, o++)
        out[o] = (d[r0 + c + k] + d[r0 + c + 3 + k] + d[r1 + c + k] + d[r1 + c + 3 + k]) / 4;
    }
  }
  return { data: out, width: w, height: h };
}

/**
 * The photo at full, half, quarter... resolution (2x2 average pooling, made on demand), so that a crop is
 * never resized down by more than 2x in one bilinear step (that aliases). Photos larger than
 * MAX_PYRAMID_SIDE start from a box-averaged copy. Crops are asked for in photo pixels and sampled like
 * tf.image.cropAndResize (bilinear, black outside the image), in plain JS: no tensors to copy around.
 */
export class Pyramid {
  private readonly levels: Level[] = [];
  /** Photo pixels per level-0 pixel (1 unless the photo was box-averaged first). */
  private readonly baseFactor: number;

  constructor(photo: Photo) {
    this.baseFactor = Math.max(1, Math.ceil(Math.max(photo.width, photo.height) / MAX_PYRAMID_SIDE));
    const base =
      this.baseFactor > 1
        ? boxDownscale(photo.rgb, photo.width, photo.height, this.baseFactor)
        : { rgb: photo.rgb, width: photo.width, height: photo.height };
    this.levels.push({ data: base.rgb, width: base.width, height: base.height });
  }

  get maxLevel(): number {
    const { width: w, height: h } = this.levels[0];
    let level = 0;
    while (Math.min(h, w) / 2 ** (level + 1) >= 32) level++;
    return level;
  }

  private level(k: number): Level {
    while (this.levels.length <= k) this.levels.push(halve(this.levels[this.levels.length - 1]));
    return this.levels[k];
  }

  /** The region resized to size x size (float32 RGB 0..255, black outside the photo), times `scale`. */
  crop(region: SquareRegion, size: number, scale = 1): Crop {
    const f = this.baseFactor;
    const k = pyramidLevel({ ...region, size: region.size / f }, size, this.maxLevel);
    const img = this.level(k);
    const box = cropAndResizeBox(region, img.width, img.height, size, 1 / (f * 2 ** k));
    return { data: sampleBox(img, box, size, scale), shape: [1, size, size, 3] };
  }

  dispose(): void {
    this.levels.length = 0;
  }
}

/**
 * tf.image.cropAndResize's bilinear sampling of one normalised box [y1, x1, y2, x2] to size x size, with
 * 0 outside the image (TF's extrapolation value), each value times `scale`.
 */
export function sampleBox(
  img: { data: Float32Array | Uint8Array; width: number; height: number },
  box: readonly [number, number, number, number],
  size: number,
  scale = 1,
): Float32Array {
  const { data, width: w, height: h } = img;
  const out = new Float32Array(size * size * 3);
  const [y1, x1, y2, x2] = box;
  const hs = size > 1 ? ((y2 - y1) * (h - 1)) / (size - 1) : 0;
  const ws = size > 1 ? ((x2 - x1) * (w - 1)) / (size - 1) : 0;
  // per output column: source columns and weight, or -1 outside the image
  const left = new Int32Array(size);
  const right = new Int32Array(size);
  const xl = new Float32Array(size);
  for (let x = 0; x < size; x++) {
    const ix = size > 1 ? x1 * (w - 1) + x * ws : 0.5 * (x1 + x2) * (w - 1);
    if (ix < 0 || ix > w - 1) {
      left[x] = -1;
      continue;
    }
    left[x] = Math.floor(ix);
    right[x] = Math.ceil(ix);
    xl[x] = ix - left[x];
  }
  for (let y = 0; y < size; y++) {
    const iy = size > 1 ? y1 * (h - 1) + y * hs : 0.5 * (y1 + y2) * (h - 1);
    if (iy < 0 || iy > h - 1) continue; // the row stays 0
    const top = Math.floor(iy);
    const bottom = Math.ceil(iy);
    const yl = iy - top;
    const rt = top * w * 3;
    const rb = bottom * w * 3;
    let o = y * size * 3;
    for (let x = 0; x < size; x++, o += 3) {
      const l = left[x];
      if (l < 0) continue;
      const tl = rt + l * 3;
      const tr = rt + right[x] * 3;
      const bl = rb + l * 3;
      const br = rb + right[x] * 3;
      const a = xl[x];
      for (let c = 0; c < 3; c++) {
        const t = data[tl + c] + (data[tr + c] - data[tl + c]) * a;
        const b = data[bl + c] + (data[br + c] - data[bl + c]) * a;
        out[o + c] = (t + (b - t) * yl) * scale;
      }
    }
  }
  return out;
}
