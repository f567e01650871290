/**
 * sRGB -> CIE Lab (D65), the colour space the per-photo colour models work in: distances in Lab follow
 * perceived colour differences better than RGB, and lightness can be down-weighted against shadows.
 */

const LINEAR = new Float32Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  LINEAR[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

const EPS = 216 / 24389;
const KAPPA = 24389 / 27;
const f = (t: number): number => (t > EPS ? Math.cbrt(t) : (KAPPA * t + 16) / 116);

/** Linear-light sRGB (0..1 each) -> Lab written into `out` at `o`. */
export function linearRgbToLab(r: number, g: number, b: number, out: Float32Array, o: number): void {
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const fx = f(x);
  const fy = f(y);
  const fz = f(z);
  out[o] = 116 * fy - 16;
  out[o + 1] = 500 * (fx - fy);
  out[o + 2] = 200 * (fy - fz);
}

/** 8-bit sRGB -> Lab (L 0..100, a/b about -128..127). */
export function rgbToLab(r: number, g: number, b: number): [number, number, number] {
  const out = new Float32Array(3);
  linearRgbToLab(LINEAR[r], LINEAR[g], LINEAR[b], out, 0);
  return [out[0], out[1], out[2]];
}

/** A region of the photo sampled on a regular grid: cell (gx, gy) covers source pixels from x0 + gx*step. */
export interface Grid {
  x0: number;
  y0: number;
  /** Source pixels per cell (>= 1, may be fractional). */
  step: number;
  width: number;
  height: number;
}

/**
 * Lab of each grid cell, from the mean linear RGB of the source pixels it covers (area averaging, so a
 * coarse grid does not alias textures). Cells outside the photo get the nearest edge pixel's colour.
 */
export function gridLab(rgb: Uint8Array, photoWidth: number, photoHeight: number, grid: Grid): Float32Array {
  const out = new Float32Array(grid.width * grid.height * 3);
  const sums = new Float32Array(grid.width * 3);
  const clampX = (x: number): number => (x < 0 ? 0 : x >= photoWidth ? photoWidth - 1 : x);
  const clampY = (y: number): number => (y < 0 ? 0 : y >= photoHeight ? photoHeight - 1 : y);
  // integer source spans per cell (at least one pixel)
  const xs = new Int32Array(grid.width + 1);
  for (let gx = 0; gx <= grid.width; gx++) xs[gx] = Math.round(grid.x0 + gx * grid.step);
  for (let gy = 0; gy < grid.height; gy++) {
    const sy0 = Math.round(grid.y0 + gy * grid.step);
    const sy1 = Math.max(sy0 + 1, Math.round(grid.y0 + (gy + 1) * grid.step));
    sums.fill(0);
    const rows = sy1 - sy0;
    for (let sy = sy0; sy < sy1; sy++) {
      const row = clampY(sy) * photoWidth;
      for (let gx = 0; gx < grid.width; gx++) {
        const a = xs[gx];
        const b = Math.max(a + 1, xs[gx + 1]);
        let r = 0;
        let g = 0;
        let bl = 0;
        for (let sx = a; sx < b; sx++) {
          const p = (row + clampX(sx)) * 3;
          r += LINEAR[rgb[p]];
          g += LINEAR[rgb[p + 1]];
          bl += LINEAR[rgb[p + 2]];
        }
        const n = b - a;
        sums[gx * 3] += r / n;
        sums[gx * 3 + 1] += g / n;
        sums[gx * 3 + 2] += bl / n;
      }
    }
    for (let gx = 0; gx < grid.width; gx++) {
      linearRgbToLab(
        sums[gx * 3] / rows,
        sums[gx * 3 + 1] / rows,
        sums[gx * 3 + 2] / rows,
        out,
        (gy * grid.width + gx) * 3,
      );
    }
  }
  return out;
}

/** Lab of single source pixels, for refining boundaries at full resolution. */
export function pixelLab(rgb: Uint8Array, index: number, out: Float32Array, o: number): void {
  linearRgbToLab(LINEAR[rgb[index * 3]], LINEAR[rgb[index * 3 + 1]], LINEAR[rgb[index * 3 + 2]], out, o);
}
