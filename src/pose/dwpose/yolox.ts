import { resizeBilinearHalfPixel } from '../../parsing/schp/affine.js';

/**
 * YOLOX person detection numerics (pure): top-left letterbox with grey padding, grid decoding of the
 * raw head output, NMS. Mirrors the YOLOX demo code that the DWPose annotator uses.
 */
export interface Detection {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

/**
 * Resizes the photo by r = min(size/h, size/w) (OpenCV INTER_LINEAR, sizes truncated) into the top-left
 * corner of a size x size canvas filled with `pad`. Returns RGB HWC bytes and r.
 */
export function yoloxLetterbox(
  rgb: Uint8Array,
  width: number,
  height: number,
  size: number,
  pad: number,
): { image: Uint8Array; ratio: number } {
  const ratio = Math.min(size / height, size / width);
  const rw = Math.max(1, Math.trunc(width * ratio));
  const rh = Math.max(1, Math.trunc(height * ratio));
  const resized = resizeBilinearHalfPixel(rgb, width, height, 3, rw, rh);
  const image = new Uint8Array(size * size * 3).fill(pad);
  for (let y = 0; y < rh; y++) image.set(resized.subarray(y * rw * 3, (y + 1) * rw * 3), y * size * 3);
  return { image, ratio };
}

/**
 * Decodes the raw [anchors, 5 + classes] output: for each stride's grid (row-major, x fastest),
 * centre = (dx + gx) * s, size = exp(dw) * s; score = objectness * class probability (both already
 * sigmoid-ed by the exported head). Returns boxes in photo pixels (divided by the letterbox ratio) whose
 * score for `cls` exceeds `minScore`.
 */
export function decodeYolox(
  output: Float32Array,
  size: number,
  strides: readonly number[],
  ratio: number,
  cls: number,
  minScore: number,
): Detection[] {
  const anchors = strides.reduce((n, s) => n + Math.floor(size / s) ** 2, 0);
  const stride = output.length / anchors;
  if (!Number.isInteger(stride) || stride < 6) {
    throw new Error(`YOLOX output has ${output.length} values, not ${anchors} anchors x (5 + classes)`);
  }
  const out: Detection[] = [];
  let a = 0;
  for (const s of strides) {
    const g = Math.floor(size / s);
    for (let gy = 0; gy < g; gy++) {
      for (let gx = 0; gx < g; gx++, a++) {
        const o = a * stride;
        const score = output[o + 4] * output[o + 5 + cls];
        if (!(score > minScore)) continue;
        const cx = (output[o] + gx) * s;
        const cy = (output[o + 1] + gy) * s;
        const w = Math.exp(output[o + 2]) * s;
        const h = Math.exp(output[o + 3]) * s;
        out.push({
          x1: (cx - w / 2) / ratio,
          y1: (cy - h / 2) / ratio,
          x2: (cx + w / 2) / ratio,
          y2: (cy + h / 2) / ratio,
          score,
        });
      }
    }
  }
  return out;
}

/** Greedy NMS by descending score; overlap as in the YOLOX demo (pixel-inclusive areas, +1). */
export function nms(dets: readonly Detection[], iouThreshold: number): Detection[] {
  const order = [...dets].sort((p, q) => q.score - p.score);
  const keep: Detection[] = [];
  const area = (d: Detection): number => (d.x2 - d.x1 + 1) * (d.y2 - d.y1 + 1);
  let rest = order;
  while (rest.length > 0) {
    const [best, ...others] = rest;
    keep.push(best);
    rest = others.filter((d) => {
      const w = Math.max(0, Math.min(best.x2, d.x2) - Math.max(best.x1, d.x1) + 1);
      const h = Math.max(0, Math.min(best.y2, d.y2) - Math.max(best.y1, d.y1) + 1);
      const inter = w * h;
      return inter / (area(best) + area(d) - inter) <= iouThreshold;
    });
  }
  return keep;
}
