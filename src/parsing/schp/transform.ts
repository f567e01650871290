import { scaleAbout, type Affine } from './affine.js';

/**
 * SCHP's numerics as pure functions (SPEC §7; the reference is SCHP's SimpleFolderDataset + transform_logits):
 * letterbox affine, align-corners upsampling of the fusion logits, inverse warp back to the photo, argmax,
 * and the flip test's channel swap.
 */

/**
 * The affine SCHP uses to letterbox a whole `width x height` image into `inW x inH`: the box
 * [0, 0, w-1, h-1] grown to the input's aspect ratio, its centre on the input's centre, scale
 * (inW - 1) / boxW. The longer side's first and last pixel centres land on the input's first and last.
 */
export function schpLetterbox(width: number, height: number, inW: number, inH: number): Affine {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  let bw = Math.max(width - 1, 1);
  let bh = Math.max(height - 1, 1);
  const aspect = inW / inH;
  if (bw > aspect * bh) bh = bw / aspect;
  else if (bw < aspect * bh) bw = bh * aspect;
  return scaleAbout((inW - 1) / bw, cx, cy, (inW - 1) / 2, (inH - 1) / 2);
}

/**
 * `torch.nn.Upsample(mode='bilinear', align_corners=True)` of C x h x w planes to C x outH x outW:
 * output (0, 0) and (outW-1, outH-1) sample the input's corner cells exactly.
 */
export function upsampleAlignCorners(
  planes: Float32Array,
  channels: number,
  h: number,
  w: number,
  outH: number,
  outW: number,
): Float32Array {
  const out = new Float32Array(channels * outH * outW);
  const ry = outH > 1 ? (h - 1) / (outH - 1) : 0;
  const rx = outW > 1 ? (w - 1) / (outW - 1) : 0;
  const x0s = new Int32Array(outW);
  const x1s = new Int32Array(outW);
  const fxs = new Float32Array(outW);
  for (let x = 0; x < outW; x++) {
    const sx = x * rx;
    const x0 = Math.min(Math.floor(sx), w - 1);
    x0s[x] = x0;
    x1s[x] = Math.min(x0 + 1, w - 1);
    fxs[x] = sx - x0;
  }
  for (let c = 0; c < channels; c++) {
    const src = c * h * w;
    const dst = c * outH * outW;
    for (let y = 0; y < outH; y++) {
      const sy = y * ry;
      const y0 = Math.min(Math.floor(sy), h - 1);
      const y1 = Math.min(y0 + 1, h - 1);
      const fy = sy - y0;
      const r0 = src + y0 * w;
      const r1 = src + y1 * w;
      const o = dst + y * outW;
      for (let x = 0; x < outW; x++) {
        const fx = fxs[x];
        const top = planes[r0 + x0s[x]] * (1 - fx) + planes[r0 + x1s[x]] * fx;
        const bottom = planes[r1 + x0s[x]] * (1 - fx) + planes[r1 + x1s[x]] * fx;
        out[o + x] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}

/**
 * SCHP's `transform_logits` followed by argmax: every photo pixel samples the C x inH x inW logits at
 * `forward(x, y)` bilinearly (neighbours outside count as 0, OpenCV's constant border), and takes the
 * first class of highest logit (numpy's argmax). Returns labels, and the warped logits when asked
 * (C x height x width; memory grows with the photo, so only on request).
 */
export function warpLogitsArgmax(
  logits: Float32Array,
  channels: number,
  inH: number,
  inW: number,
  forward: Affine,
  width: number,
  height: number,
  keepLogits = false,
): { labels: Uint8Array; logits?: Float32Array } {
  const labels = new Uint8Array(width * height);
  const kept = keepLogits ? new Float32Array(channels * width * height) : undefined;
  const plane = inH * inW;
  const n = width * height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = forward[0] * x + forward[1] * y + forward[2];
      const sy = forward[3] * x + forward[4] * y + forward[5];
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const ok00 = x0 >= 0 && x0 < inW && y0 >= 0 && y0 < inH;
      const ok01 = x0 + 1 >= 0 && x0 + 1 < inW && y0 >= 0 && y0 < inH;
      const ok10 = x0 >= 0 && x0 < inW && y0 + 1 >= 0 && y0 + 1 < inH;
      const ok11 = x0 + 1 >= 0 && x0 + 1 < inW && y0 + 1 >= 0 && y0 + 1 < inH;
      const i00 = y0 * inW + x0;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      let best = 0;
      let bestV = -Infinity;
      const p = y * width + x;
      for (let c = 0; c < channels; c++) {
        const base = c * plane + i00;
        const v =
          (ok00 ? logits[base] * w00 : 0) +
          (ok01 ? logits[base + 1] * w01 : 0) +
          (ok10 ? logits[base + inW] * w10 : 0) +
          (ok11 ? logits[base + inW + 1] * w11 : 0);
        if (kept) kept[c * n + p] = v;
        if (v > bestV) {
          bestV = v;
          best = c;
        }
      }
      labels[p] = best;
    }
  }
  return { labels, logits: kept };
}

/**
 * The flip test's second half: C x h x w logits predicted on the mirrored input, mirrored back and with
 * each left/right pair of channels swapped, so they line up with the unflipped prediction.
 */
export function unflipLogits(
  logits: Float32Array,
  channels: number,
  h: number,
  w: number,
  pairs: ReadonlyArray<readonly [number, number]>,
): Float32Array {
  const source = Array.from({ length: channels }, (_, c) => c);
  for (const [a, b] of pairs) {
    source[a] = b;
    source[b] = a;
  }
  const out = new Float32Array(logits.length);
  for (let c = 0; c < channels; c++) {
    const src = source[c] * h * w;
    const dst = c * h * w;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) out[dst + y * w + x] = logits[src + y * w + (w - 1 - x)];
    }
  }
  return out;
}

/** Element-wise mean of two equally long arrays. */
export function average(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] + b[i]) / 2;
  return out;
}
