import { basename, extname } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { ParseposeError } from '../errors.js';
import { readInputFile } from '../io/read.js';
import type { Photo } from '../types.js';

export interface DecodeOptions {
  /** Photos with more pixels are refused (decompression bombs, mistakes). Default 50 megapixels. */
  maxPixels?: number;
}

export const DEFAULT_MAX_PIXELS = 50_000_000;
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif', 'avif', 'heif']);

/** The stem output files are named after: `photos/a.b.jpg` -> `a.b`. */
export function photoId(path: string): string {
  const name = basename(path);
  const ext = extname(name);
  return ext ? name.slice(0, -ext.length) : name;
}

/** Reads and decodes one image file; every failure is a ParseposeError naming the file and the reason. */
export async function loadPhoto(path: string, options: DecodeOptions = {}): Promise<Photo> {
  const data = await readInputFile(path, 'UNREADABLE_IMAGE');
  return decodePhoto(data, path, photoId(path), options);
}

/**
 * Decodes encoded image bytes to a Photo: EXIF orientation applied (phone photos stand up), any colour
 * space (grayscale, CMYK, 16-bit, palette) converted to 8-bit sRGB, alpha flattened onto white.
 */
export async function decodePhoto(
  data: Uint8Array,
  source: string,
  id: string,
  options: DecodeOptions = {},
): Promise<Photo> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (data.length === 0) throw new ParseposeError('EMPTY_FILE', 'file is empty (0 bytes)', source);
  let meta: Metadata;
  try {
    meta = await sharp(data, { limitInputPixels: false }).metadata();
  } catch (err) {
    const kind = sniffFormat(data);
    if (kind) {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new ParseposeError('UNREADABLE_IMAGE', `corrupt or truncated ${kind} file (${why})`, source);
    }
    throw new ParseposeError('NOT_AN_IMAGE', 'not an image (no JPEG, PNG or WebP signature)', source);
  }
  if (!meta.format || !ACCEPTED_FORMATS.has(meta.format)) {
    throw new ParseposeError('UNSUPPORTED_FORMAT', `unsupported image format "${meta.format}"`, source);
  }
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (!w || !h) throw new ParseposeError('UNREADABLE_IMAGE', 'image has no size', source);
  if (w * h > maxPixels) {
    throw new ParseposeError(
      'IMAGE_TOO_LARGE',
      `image is ${w}x${h} = ${((w * h) / 1e6).toFixed(1)} megapixels, over the limit of ${(maxPixels / 1e6).toFixed(1)} (--max-pixels)`,
      source,
    );
  }
  try {
    const { data: rgb, info } = await sharp(data, { limitInputPixels: false, failOn: 'truncated' })
      .rotate() // applies EXIF orientation, then drops the tag
      .flatten({ background: { r: 255, g: 255, b: 255 } })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoder returned ${info.channels} channels`);
    return {
      id,
      source,
      width: info.width,
      height: info.height,
      rgb: new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.byteLength),
    };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const reason = /premature|truncat|end of file|corrupt|invalid|bad/i.test(msg)
      ? `corrupt or truncated image data (${msg.split('\n')[0]})`
      : `cannot decode image (${msg.split('\n')[0]})`;
    throw new ParseposeError('UNREADABLE_IMAGE', reason, source);
  }
}

/** Recognises an image container from its first bytes (content sniffing, not the file name). */
export function sniffFormat(
  b: Uint8Array,
): 'JPEG' | 'PNG' | 'WebP' | 'GIF' | 'TIFF' | 'AVIF/HEIF' | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'JPEG';
  if (b[0] === 0x89 && ascii(1, 4) === 'PNG') return 'PNG';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'WebP';
  if (ascii(0, 4) === 'GIF8') return 'GIF';
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'TIFF';
  if (ascii(4, 8) === 'ftyp') return 'AVIF/HEIF';
  return undefined;
}

/**
 * Encodes RGB pixels to PNG bytes. `light`: for overlays (photo + drawing), made to be looked at: a light
 * deflate level costs ~40% of level 6's time for ~10% larger files; the pixels are the same (lossless).
 */
export async function encodeRgbPng(
  rgb: Uint8Array,
  width: number,
  height: number,
  options: { light?: boolean } = {},
): Promise<Buffer> {
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .png(options.light ? { compressionLevel: 2, adaptiveFiltering: false } : { compressionLevel: 6 })
    .toBuffer();
}
