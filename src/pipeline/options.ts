import type { PoseFormat, Quality } from '../types.js';
import type { OutputLabelSetId } from '../parsing/labelsets.js';

/** What a run does to each photo; sent once to every worker (plain data, structured-clone safe). */
export interface PipelineOptions {
  /** Estimate poses (P-map). */
  pose: boolean;
  /** Parse (S-map). Parsing needs people, so a parse-only run still estimates poses, without writing them. */
  parse: boolean;
  /** Pose back-end spec, `default` or `<id>:<path>`. */
  poseModel: string;
  /** Parser spec, `default` or `<id>:<path>`. */
  parseModel: string;
  quality: Quality;
  format: PoseFormat;
  /** P-map drawing style for openpose_img. */
  style: 'openpose' | 'openpose-cpu' | 'controlnet';
  labels: OutputLabelSetId;
  /**
   * Keypoints drawn in the P-map renders when their confidence exceeds this. OpenPose draws above 0.05,
   * but it reports undetected parts as 0; the default estimator keeps a weak guess with its own score for
   * every point, so renders draw from 0.2 to leave out guesses (the JSON keeps every score).
   */
  renderThreshold: number;
  /** Also write the P-map blended over the photo (openpose_vis/). */
  vis: boolean;
  /** Write class probabilities (image-parse-prob/{stem}.npy, float32 C x H x W). */
  logits: boolean;
  /** Default parser: an extra body-part prior such as `bodypix:<dir>` (not npm-shipped, so off by default). */
  parsePrior?: string;
  /** Flip test for learned parsers. */
  flip: boolean;
  maxPixels: number;
  netResolution?: string;
  scales?: number[];
  /** Folder for heatmap/PAF debug overlays (OpenPose-style back-ends), when wanted. */
  debugMapsDir?: string;
  /** Re-create outputs that already exist (otherwise a photo whose outputs all exist is skipped). */
  overwrite: boolean;
}

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = {
  pose: true,
  parse: false,
  poseModel: 'default',
  parseModel: 'default',
  quality: 'balanced',
  format: 'body25',
  style: 'openpose',
  labels: 'cihp',
  vis: true,
  renderThreshold: 0.2,
  logits: false,
  flip: false,
  maxPixels: 50_000_000,
  overwrite: false,
};
