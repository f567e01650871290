/**
 * Reading the inputs and encoding the outputs of the try-on maps, with errors that name the file.
 */
import sharp from 'sharp';
import { ParseposeError } from '../errors.js';
import { readInputFile } from '../io/read.js';
import { decodePng } from '../image/png.js';
import { LABEL_SETS } from '../parsing/labelsets.js';
import { readOpenPoseJson } from '../pose/openpose-json.js';
import type { Keypoint, LabelMap } from '../types.js';
import { encodeIndexedPng } from '../image/png.js';

/**
 * A CIHP-20 S-map from a palette PNG (index = class, as VITON-HD's image-parse-v3) or a grayscale PNG
 * (value = class, as CIHP ground truth).
 */
export async function readCihpParsePng(path: string): Promise<LabelMap> {
  const bytes = await readInputFile(path);
  let png;
  try {
    png = decodePng(bytes);
  } catch (err) {
    throw new ParseposeError('BAD_INPUT', `not a readable PNG label map (${(err as Error).message})`, path);
  }
  if (png.channels !== 1) {
    throw new ParseposeError(
      'BAD_INPUT',
      'label map must be a palette or grayscale PNG whose pixel values are class ids (this one is colour)',
      path,
    );
  }
  let max = 0;
  for (const v of png.data) if (v > max) max = v;
  if (max > 19) throw new ParseposeError('BAD_INPUT', `label ${max} is not a CIHP-20 class (0..19)`, path);
  return { width: png.width, height: png.height, labels: png.data, set: 'cihp' };
}

/** The first person's BODY_25 keypoints of an OpenPose / Dress Code JSON (what the reference code reads). */
export async function readFirstPersonKeypoints(path: string, scale = 1): Promise<Keypoint[]> {
  const text = (await readInputFile(path)).toString('utf8');
  let people;
  try {
    people = readOpenPoseJson(text, { scale }).people;
  } catch (err) {
    // JSON.parse quotes the offending bytes, which for a binary file is noise
    const why = err instanceof SyntaxError ? 'the file is not valid JSON' : (err as Error).message;
    throw new ParseposeError('BAD_INPUT', `not an OpenPose JSON file: ${why}`, path);
  }
  if (!people.length) throw new ParseposeError('BAD_INPUT', 'no person in the pose file', path);
  return people[0].keypoints;
}

/** The parse-agnostic as the dataset stores it: a palette PNG in CIHP_PGN's colours. */
export function encodeCihpPng(map: LabelMap): Buffer {
  return encodeIndexedPng(map.labels, map.width, map.height, LABEL_SETS.cihp.palette);
}

/** RGB as JPEG (agnostic-v3.2 is JPEG in the datasets); 4:4:4 keeps the grey shape's edges sharp. */
export async function encodeRgbJpeg(
  rgb: Uint8Array,
  width: number,
  height: number,
  quality = 95,
): Promise<Buffer> {
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .jpeg({ quality, chromaSubsampling: '4:4:4' })
    .toBuffer();
}

/** A 0/255 mask as grayscale JPEG (cloth-mask/*.jpg); readers threshold it at 128. */
export async function encodeMaskJpeg(
  mask: Uint8Array,
  width: number,
  height: number,
  quality = 95,
): Promise<Buffer> {
  return sharp(mask, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .jpeg({ quality })
    .toBuffer();
}
