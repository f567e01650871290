import { access } from 'node:fs/promises';
import type { LabelMap, Parser, Person, Photo, PoseEstimator } from '../types.js';
import { decodePhoto, encodeRgbPng, loadPhoto, photoId } from '../image/decode.js';
import { writeFileAtomic } from '../io/atomic.js';
import { encodeNpyFloat32 } from '../io/npy.js';
import { createPoseEstimator } from '../pose/registry.js';
import { createParser, type ParserOptions } from '../parsing/registry.js';
import { writeOpenPoseJson } from '../pose/openpose-json.js';
import { renderPose } from '../pose/render.js';
import { convertLabelMap, convertProbabilities } from '../parsing/convert.js';
import { labelCounts, sMapOverlayPng, sMapPng } from '../parsing/output.js';
import { LABEL_SETS } from '../parsing/labelsets.js';
import { LAYOUT } from './layout.js';
import { inferenceTime } from '../runtime/clock.js';
import type { PipelineOptions } from './options.js';
import type { TaskOverrides } from './pool.js';

/** Encoded outputs of one photo, keyed by the layout's folder names. */
export interface PhotoOutputs {
  poseJson?: string;
  poseImg?: Buffer;
  poseVis?: Buffer;
  parse?: Buffer;
  parseVis?: Buffer;
  parseProb?: Buffer;
}

/** What the models found in one photo, before anything is encoded. */
export interface PhotoAnalysis {
  people: Person[];
  /** The S-map in the requested label set, when parsing. */
  map?: LabelMap;
  probabilities?: Float32Array;
  poseMs: number;
  parseMs: number;
  inferenceMs: number;
}

export interface PhotoResult {
  id: string;
  source: string;
  width: number;
  height: number;
  people: Person[];
  /** Label ids present in the S-map (in the output set), when parsed. */
  labelsPresent?: number[];
  /** Milliseconds spent in pose estimation, parsing, and encoding/writing. */
  timings: { decode: number; pose: number; parse: number; write: number; inference: number };
  skipped?: boolean;
}

/**
 * Turns photos into S-maps and P-maps with one set of loaded models. One decode and one pose estimation
 * per photo serve both maps. Each worker of the pool owns one PhotoProcessor.
 */
export class PhotoProcessor {
  private estimator?: PoseEstimator;
  private parser?: Parser;

  constructor(readonly options: PipelineOptions) {}

  /** Loads the models the options need (once). */
  async init(): Promise<void> {
    const o = this.options;
    this.estimator ??= await createPoseEstimator(o.poseModel, {
      quality: o.quality,
      netResolution: o.netResolution,
      scales: o.scales,
      debugMapsDir: o.debugMapsDir,
    });
    if (o.parse) this.parser ??= await createParser(o.parseModel, this.parserOptions());
  }

  private parserOptions(): ParserOptions {
    const o = this.options;
    return { flip: o.flip, probabilities: o.logits, prior: o.parsePrior };
  }

  /** Runs the models: people and (when parsing) the S-map in the requested label set. */
  async analyse(photo: Photo, overrides: TaskOverrides = {}): Promise<PhotoAnalysis> {
    await this.init();
    const o = { ...this.options, ...overrides };
    if (o.parse) this.parser ??= await createParser(o.parseModel, this.parserOptions());
    const t0 = performance.now();
    const inf0 = inferenceTime();
    const people = await this.estimator!.estimate(photo);
    const t1 = performance.now();
    let map: LabelMap | undefined;
    let probabilities: Float32Array | undefined;
    if (o.parse) {
      const parsed = await this.parser!.parse(photo, people);
      const native = parsed.map.set;
      map = o.labels === native ? parsed.map : convertLabelMap(parsed.map, o.labels, people);
      if (parsed.probabilities && o.labels === native) probabilities = parsed.probabilities;
      else if (parsed.probabilities && native === 'cihp') {
        probabilities = convertProbabilities(
          parsed.probabilities,
          photo.width,
          photo.height,
          'cihp',
          o.labels,
          people,
        );
      }
    }
    const t2 = performance.now();
    return {
      people,
      map,
      probabilities,
      poseMs: t1 - t0,
      parseMs: t2 - t1,
      inferenceMs: inferenceTime() - inf0,
    };
  }

  /** Runs the models and encodes every output in memory (used by the server and by processFile). */
  async processPhoto(
    photo: Photo,
    overrides: TaskOverrides = {},
  ): Promise<{ result: PhotoResult; outputs: PhotoOutputs }> {
    const o = { ...this.options, ...overrides };
    const a = await this.analyse(photo, overrides);
    const { people, map, probabilities } = a;
    const t2 = performance.now();
    const outputs: PhotoOutputs = {};
    // The PNG encodes run on sharp's threads: start them all, then wait once.
    const encodes: Array<Promise<void>> = [];
    if (o.pose) {
      outputs.poseJson = writeOpenPoseJson(people, { format: o.format });
      const drawFormat = o.format === 'body25' ? 'body25' : 'coco18';
      const poseImg = renderPose(people, photo.width, photo.height, {
        style: o.style,
        format: drawFormat,
        threshold: o.renderThreshold,
      });
      encodes.push(
        encodeRgbPng(poseImg, photo.width, photo.height).then((png) => {
          outputs.poseImg = png;
        }),
      );
      if (o.vis) {
        const poseVis = renderPose(people, photo.width, photo.height, {
          threshold: o.renderThreshold,
          style: o.style,
          format: drawFormat,
          background: photo.rgb,
        });
        encodes.push(
          encodeRgbPng(poseVis, photo.width, photo.height, { light: true }).then((png) => {
            outputs.poseVis = png;
          }),
        );
      }
    }
    let labelsPresent: number[] | undefined;
    if (map) {
      encodes.push(
        sMapOverlayPng(photo, map).then((png) => {
          outputs.parseVis = png;
        }),
      );
      outputs.parse = sMapPng(map);
      const counts = labelCounts(map.labels);
      labelsPresent = [...counts.keys()].filter((k) => counts[k] && k < LABEL_SETS[map.set].names.length);
      if (o.logits && probabilities) {
        const c = probabilities.length / (photo.width * photo.height);
        outputs.parseProb = encodeNpyFloat32(probabilities, [c, photo.height, photo.width]);
      }
    }
    await Promise.all(encodes);
    const t3 = performance.now();
    return {
      result: {
        id: photo.id,
        source: photo.source,
        width: photo.width,
        height: photo.height,
        people,
        labelsPresent,
        timings: { decode: 0, pose: a.poseMs, parse: a.parseMs, write: t3 - t2, inference: a.inferenceMs },
      },
      outputs,
    };
  }

  /** The files a photo's run writes (for resume checks). */
  expectedFiles(outDir: string, stem: string): string[] {
    const o = this.options;
    const files: string[] = [];
    if (o.pose) {
      files.push(LAYOUT.poseJson(outDir, stem), LAYOUT.poseImg(outDir, stem));
      if (o.vis) files.push(LAYOUT.poseVis(outDir, stem));
    }
    if (o.parse) {
      files.push(LAYOUT.parse(outDir, stem), LAYOUT.parseVis(outDir, stem));
      if (o.logits) files.push(LAYOUT.parseProb(outDir, stem));
    }
    return files;
  }

  /** Decodes a file, processes it and writes its outputs atomically; skips it when all outputs exist. */
  async processFile(path: string, outDir: string): Promise<PhotoResult> {
    const stem = photoId(path);
    if (!this.options.overwrite && (await allExist(this.expectedFiles(outDir, stem)))) {
      return emptyResult(path, true);
    }
    const t0 = performance.now();
    const photo = await loadPhoto(path, { maxPixels: this.options.maxPixels });
    const t1 = performance.now();
    const { result, outputs } = await this.processPhoto(photo);
    const t2 = performance.now();
    await writeOutputs(outDir, stem, outputs);
    result.timings.decode = t1 - t0;
    result.timings.write += performance.now() - t2;
    return result;
  }

  /** Processes encoded bytes (an upload) without touching the disk. */
  async processBytes(
    data: Uint8Array,
    name: string,
    overrides?: TaskOverrides,
  ): Promise<{ result: PhotoResult; outputs: PhotoOutputs }> {
    const t0 = performance.now();
    const photo = await decodePhoto(data, name, photoId(name), { maxPixels: this.options.maxPixels });
    const t1 = performance.now();
    const out = await this.processPhoto(photo, overrides);
    out.result.timings.decode = t1 - t0;
    return out;
  }

  dispose(): void {
    this.estimator?.dispose();
    this.parser?.dispose();
    this.estimator = undefined;
    this.parser = undefined;
  }
}

/** A result for a task that produced no analysis (skipped photos, cloth masks). */
export function emptyResult(source: string, skipped = false): PhotoResult {
  return {
    id: photoId(source),
    source,
    width: 0,
    height: 0,
    people: [],
    timings: { decode: 0, pose: 0, parse: 0, write: 0, inference: 0 },
    skipped,
  };
}

async function allExist(files: string[]): Promise<boolean> {
  if (!files.length) return false;
  for (const f of files) {
    try {
      await access(f);
    } catch {
      return false;
    }
  }
  return true;
}

export async function writeOutputs(outDir: string, stem: string, o: PhotoOutputs): Promise<void> {
  const writes: Array<Promise<void>> = [];
  if (o.poseJson !== undefined) writes.push(writeFileAtomic(LAYOUT.poseJson(outDir, stem), o.poseJson));
  if (o.poseImg) writes.push(writeFileAtomic(LAYOUT.poseImg(outDir, stem), o.poseImg));
  if (o.poseVis) writes.push(writeFileAtomic(LAYOUT.poseVis(outDir, stem), o.poseVis));
  if (o.parse) writes.push(writeFileAtomic(LAYOUT.parse(outDir, stem), o.parse));
  if (o.parseVis) writes.push(writeFileAtomic(LAYOUT.parseVis(outDir, stem), o.parseVis));
  if (o.parseProb) writes.push(writeFileAtomic(LAYOUT.parseProb(outDir, stem), o.parseProb));
  await Promise.all(writes);
}
