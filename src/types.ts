/**
 * The few types every part of parsepose shares (see DESIGN: Photo -> Person[] -> LabelMap -> outputs).
 * Coordinates are always in source-image pixels of the EXIF-rotated photo.
 */

/** A decoded photo: EXIF orientation applied, 8-bit sRGB, no alpha, row-major HWC. */
export interface Photo {
  /** File stem (name without extension); output files are named after it. */
  readonly id: string;
  /** Where it came from (a path, or a label such as "upload"). */
  readonly source: string;
  readonly width: number;
  readonly height: number;
  /** width * height * 3 bytes, R G B. */
  readonly rgb: Uint8Array;
}

/** A keypoint in source pixels; a missing point has score 0 (and is written 0,0,0). */
export interface Keypoint {
  x: number;
  y: number;
  score: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One person. `keypoints` are BODY_25 ordered (25 entries); hands are 21 each, the face 70. */
export interface Person {
  keypoints: Keypoint[];
  /** Overall confidence in 0..1. */
  score: number;
  box: Box;
  handLeft?: Keypoint[];
  handRight?: Keypoint[];
  face?: Keypoint[];
  /**
   * Optional raw landmark output of the model that found this person, in its own skeleton, e.g. the 33
   * BlazePose landmarks; parsers use it as a body-part prior when present.
   */
  extra?: { skeleton: string; keypoints: Keypoint[] };
}

export type SkeletonId = 'body25' | 'coco18' | 'coco17' | 'blazepose33' | 'wholebody133';
export type PoseFormat = 'body25' | 'coco18' | 'coco17';

export type LabelSetId = 'cihp' | 'lip' | 'atr' | 'pascal' | 'viton13' | 'dresscode';

/** A per-pixel label map; `labels[y * width + x]` is the class id in `set`. */
export interface LabelMap {
  width: number;
  height: number;
  labels: Uint8Array;
  set: LabelSetId;
}

/** Finds every person in a photo. Implementations own their models; `dispose` frees them. */
export interface PoseEstimator {
  readonly id: string;
  estimate(photo: Photo): Promise<Person[]>;
  dispose(): void;
}

export interface ParseResult {
  map: LabelMap;
  /** Optional class probabilities, C x H x W (C = the set's class count), for users who post-process. */
  probabilities?: Float32Array;
}

/** Parses a photo into labelled parts, given the people a pose estimator found in it. */
export interface Parser {
  readonly id: string;
  /** The label set this parser produces natively (mapped to the requested set by the caller). */
  readonly labelSet: LabelSetId;
  parse(photo: Photo, people: Person[]): Promise<ParseResult>;
  dispose(): void;
}

export type Quality = 'fast' | 'balanced' | 'best';
