import type { ParseResult, Parser, Photo } from '../../types.js';
import type { ParserOptions } from '../registry.js';
import {
  BODYPIX_TO_LIP,
  BODYPIX_TO_PASCAL,
  decodePartSegmentation,
  partProbabilities,
  partsToLabels,
  type BodyPixProbabilities,
} from './decode.js';
import { BODYPIX_DEFAULTS, BodyPixModel, resolveBodyPixModelJson, type BodyPixOptions } from './model.js';

/**
 * BodyPix as a parser: 24 parts + person mask -> Pascal-Person-Part-7 (`bodypix-pascal`) or a LIP-like
 * map (`bodypix`, garments guessed from body parts), and as a per-pixel body-part prior for other parsers.
 */
const models = new Map<string, Promise<BodyPixModel>>();

/** The BodyPix model for a spec path (cached per worker; undefined = the model cache). */
export async function loadBodyPix(path?: string): Promise<BodyPixModel> {
  const json = await resolveBodyPixModelJson(path);
  let p = models.get(json);
  if (!p) {
    p = BodyPixModel.load(json);
    models.set(json, p);
    p.catch(() => models.delete(json));
  }
  return p;
}

/** Labels in `set` for one photo. */
export async function bodyPixLabels(
  model: BodyPixModel,
  photo: Photo,
  set: 'pascal' | 'lip',
  options: BodyPixOptions = {},
): Promise<Uint8Array> {
  const o = { ...BODYPIX_DEFAULTS, ...options };
  const { maps, geometry } = await model.predict(photo, o.internalResolution);
  const parts = decodePartSegmentation(maps, geometry, o.segmentationThreshold);
  return partsToLabels(parts, set === 'pascal' ? BODYPIX_TO_PASCAL : BODYPIX_TO_LIP);
}

/**
 * BodyPix part probabilities per pixel at photo size (24 x H x W, parts in BODYPIX_PARTS order, summing
 * to P(person)), for parsers that use BodyPix as a prior. `path` as in `bodypix:<path>`.
 */
export async function bodyPixPartProbabilities(
  photo: Photo,
  options: BodyPixOptions & { path?: string } = {},
): Promise<BodyPixProbabilities> {
  const model = await loadBodyPix(options.path);
  const { maps, geometry } = await model.predict(
    photo,
    options.internalResolution ?? BODYPIX_DEFAULTS.internalResolution,
  );
  return partProbabilities(maps, geometry);
}

export async function createBodyPixParser(
  set: 'pascal' | 'lip',
  path: string | undefined,
  _options: ParserOptions,
  bodyPixOptions: BodyPixOptions = {},
): Promise<Parser> {
  const model = await loadBodyPix(path);
  return {
    id: set === 'pascal' ? 'bodypix-pascal' : 'bodypix',
    labelSet: set,
    async parse(photo: Photo): Promise<ParseResult> {
      const labels = await bodyPixLabels(model, photo, set, bodyPixOptions);
      return { map: { width: photo.width, height: photo.height, labels, set } };
    },
    dispose() {
      // the model is shared by every parser of this worker
    },
  };
}
