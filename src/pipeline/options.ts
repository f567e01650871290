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
  logits: false,
  flip: false,
  maxPixels: 50_000_000,
  overwrite: false,
};
