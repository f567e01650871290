import type { Net } from '../../runtime/net.js';
import type { Keypoint, Photo } from '../../types.js';

/**
 * BlazePose (full) on one person's square crop: a 256x256 person segmentation (probabilities) and 33
 * landmarks. The npm-shipped model takes RGB in 0..1 and returns, among others, `[1,195]` landmarks
 * (x, y, z, visibility, presence per point, in crop pixels) and `[1,256,256,1]` segmentation.
 */
export const BLAZEPOSE_SIZE = 256;

export interface SquareCrop {
  /** top-left corner and side, source pixels */
  x: number;
  y: number;
  side: number;
}

export interface BlazePoseResult {
  crop: SquareCrop;
  /** 256 x 256 person probability over the crop */
  segmentation: Float32Array;
  /** 33 landmarks in source pixels, score = sigmoid(visibility) */
  landmarks: Keypoint[];
}

/** Bilinear crop of the photo to size x size RGB floats in 0..1 (outside the photo: black, as tfjs pads). */
export function cropInput(photo: Photo, crop: SquareCrop, size: number): Float32Array {
  const out = new Float32Array(size * size * 3);
  const { width: w, height: h, rgb } = photo;
  const k = crop.side / size;
  for (let j = 0; j < size; j++) {
    const sy = crop.y + (j + 0.5) * k - 0.5;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let i = 0; i < size; i++) {
      const sx = crop.x + (i + 0.5) * k - 0.5;
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      const o = (j * size + i) * 3;
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let dy = 0; dy < 2; dy++) {
          const yy = y0 + dy;
          if (yy < 0 || yy >= h) continue;
          const wy = dy ? fy : 1 - fy;
          for (let dx = 0; dx < 2; dx++) {
            const xx = x0 + dx;
            if (xx < 0 || xx >= w) continue;
            v += wy * (dx ? fx : 1 - fx) * rgb[(yy * w + xx) * 3 + c];
          }
        }
        out[o + c] = v / 255;
      }
    }
  }
  return out;
}

/** BlazePose's outputs: the 256x256 segmentation and the [1,195] landmarks. */
const BLAZEPOSE_OUTPUTS = ['Identity_1:0', 'Identity_2:0'];

export async function runBlazePose(model: Net, photo: Photo, crop: SquareCrop): Promise<BlazePoseResult> {
  const input = cropInput(photo, crop, BLAZEPOSE_SIZE);
  const [seg, ld] = await model.run(input, [1, BLAZEPOSE_SIZE, BLAZEPOSE_SIZE, 3], BLAZEPOSE_OUTPUTS);
  if (seg.data.length !== BLAZEPOSE_SIZE * BLAZEPOSE_SIZE || ld.data.length !== 195)
    throw new Error('blazepose model outputs are not the expected segmentation and landmarks');
  const k = crop.side / BLAZEPOSE_SIZE;
  const landmarks: Keypoint[] = [];
  for (let j = 0; j < 33; j++) {
    landmarks.push({
      x: crop.x + ld.data[j * 5] * k,
      y: crop.y + ld.data[j * 5 + 1] * k,
      score: 1 / (1 + Math.exp(-ld.data[j * 5 + 3])),
    });
  }
  return { crop, segmentation: seg.data, landmarks };
}
