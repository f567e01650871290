import type { Photo } from '../../types.js';
import { tf } from '../../runtime/tfjs.js';
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

/**
 * The photo as float32 tensors at full, half, quarter... resolution (2x2 average pooling, made on demand),
 * so that a crop is never resized down by more than 2x in one bilinear step (that aliases). Photos larger
 * than MAX_PYRAMID_SIDE start from a box-averaged copy. Crops are asked for in photo pixels.
 */
export class Pyramid {
  private readonly levels: tf.Tensor4D[] = [];
  /** Photo pixels per level-0 pixel (1 unless the photo was box-averaged first). */
  private readonly baseFactor: number;

  constructor(photo: Photo) {
    this.baseFactor = Math.max(1, Math.ceil(Math.max(photo.width, photo.height) / MAX_PYRAMID_SIDE));
    const base =
      this.baseFactor > 1
        ? boxDownscale(photo.rgb, photo.width, photo.height, this.baseFactor)
        : { rgb: photo.rgb, width: photo.width, height: photo.height };
    this.levels.push(
      tf.tidy(() =>
        tf.expandDims(tf.cast(tf.tensor3d(base.rgb, [base.height, base.width, 3], 'int32'), 'float32'), 0),
      ),
    );
  }

  get maxLevel(): number {
    const [, h, w] = this.levels[0].shape;
    let level = 0;
    while (Math.min(h, w) / 2 ** (level + 1) >= 32) level++;
    return level;
  }

  level(k: number): tf.Tensor4D {
    while (this.levels.length <= k) {
      const prev = this.levels[this.levels.length - 1];
      this.levels.push(tf.tidy(() => tf.avgPool(prev, 2, 2, 'valid')));
    }
    return this.levels[k];
  }

  /** The region resized to size x size (float32 RGB 0..255, black outside the photo). */
  crop(region: SquareRegion, size: number): tf.Tensor4D {
    const f = this.baseFactor;
    const k = pyramidLevel({ ...region, size: region.size / f }, size, this.maxLevel);
    const img = this.level(k);
    const [, h, w] = img.shape;
    const box = cropAndResizeBox(region, w, h, size, 1 / (f * 2 ** k));
    return tf.tidy(() => tf.image.cropAndResize(img, [box], [0], [size, size], 'bilinear', 0));
  }

  dispose(): void {
    for (const t of this.levels) t.dispose();
    this.levels.length = 0;
  }
}
