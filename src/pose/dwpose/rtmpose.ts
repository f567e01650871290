import { scaleAbout, type Affine } from '../../parsing/schp/affine.js';
import type { Keypoint } from '../../types.js';

/**
 * RTMPose top-down numerics (pure), as mmpose / the DWPose annotator do them: box -> centre and scale
 * (grown by the padding, then to the input's aspect ratio), the crop affine, and SimCC decoding.
 */
export interface CropBox {
  cx: number;
  cy: number;
  /** Box width and height after padding and the aspect fix. */
  sw: number;
  sh: number;
}

/** `bbox_xyxy2cs(padding)` then `_fix_aspect_ratio(w / h)`: widen or heighten, never shrink. */
export function cropBox(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  padding: number,
  inW: number,
  inH: number,
): CropBox {
  let sw = (x2 - x1) * padding;
  let sh = (y2 - y1) * padding;
  const aspect = inW / inH;
  if (sw > sh * aspect) sh = sw / aspect;
  else {
    sw = sh * aspect;
  }
  return { cx: (x1 + x2) / 2, cy: (y1 + y2) / 2, sw, sh };
}

/** mmpose `_get_warp_matrix` without rotation: the box centre to the input centre, scale inW / sw. */
export function cropAffine(box: CropBox, inW: number, inH: number): Affine {
  return scaleAbout(inW / box.sw, box.cx, box.cy, inW / 2, inH / 2);
}

/**
 * SimCC decoding: per keypoint, x = argmax(simcc_x) / ratio, y = argmax(simcc_y) / ratio (first maximum),
 * score = min(max_x, max_y); a score <= 0 marks the point missing. Coordinates are then mapped from the
 * inW x inH crop back to the photo: p / [inW, inH] * [sw, sh] + centre - [sw, sh] / 2.
 */
export function decodeSimcc(
  simccX: Float32Array,
  simccY: Float32Array,
  keypoints: number,
  ratio: number,
  box: CropBox,
  inW: number,
  inH: number,
): Keypoint[] {
  const bx = simccX.length / keypoints;
  const by = simccY.length / keypoints;
  const out: Keypoint[] = [];
  for (let k = 0; k < keypoints; k++) {
    const [ix, vx] = argmax(simccX, k * bx, bx);
    const [iy, vy] = argmax(simccY, k * by, by);
    const score = Math.min(vx, vy);
    if (!(score > 0)) {
      out.push({ x: 0, y: 0, score: 0 });
      continue;
    }
    out.push({
      x: (ix / ratio / inW) * box.sw + box.cx - box.sw / 2,
      y: (iy / ratio / inH) * box.sh + box.cy - box.sh / 2,
      score,
    });
  }
  return out;
}

function argmax(a: Float32Array, start: number, n: number): [number, number] {
  let best = 0;
  let v = -Infinity;
  for (let i = 0; i < n; i++) {
    if (a[start + i] > v) {
      v = a[start + i];
      best = i;
    }
  }
  return [best, v];
}
