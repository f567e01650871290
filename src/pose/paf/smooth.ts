/**
 * Separable Gaussian blur of one map channel (edges clamped). Smoothing the upsampled heatmaps before
 * peak search removes the ripples of bilinear upsampling and double peaks on wide joints.
 */
export function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    k[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/** Returns a blurred copy; sigma in map pixels, <= 0 returns an unchanged copy. */
export function gaussianBlur(map: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (sigma <= 0) return map.slice();
  const k = gaussianKernel(sigma);
  const r = (k.length - 1) / 2;
  const tmp = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  // Rows: clamped taps only near the borders.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      if (x >= r && x < width - r) {
        for (let i = -r; i <= r; i++) acc += k[i + r] * map[row + x + i];
      } else {
        for (let i = -r; i <= r; i++) acc += k[i + r] * map[row + Math.min(width - 1, Math.max(0, x + i))];
      }
      tmp[row + x] = acc;
    }
  }
  // Columns: accumulate whole rows at once (contiguous memory).
  for (let y = 0; y < height; y++) {
    const dst = y * width;
    for (let i = -r; i <= r; i++) {
      const src = Math.min(height - 1, Math.max(0, y + i)) * width;
      const w = k[i + r];
      for (let x = 0; x < width; x++) out[dst + x] += w * tmp[src + x];
    }
  }
  return out;
}
