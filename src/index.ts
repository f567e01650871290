/**
 * parsepose as a library: the same pieces the CLI and the server use. Everything works on `Photo`s
 * (decoded, EXIF-rotated RGB) and returns plain data; writers turn results into the standard files.
 */
export type {
  Photo,
  Keypoint,
  Box,
  Person,
  LabelMap,
  LabelSetId,
  PoseEstimator,
  Parser,
  ParseResult,
  PoseFormat,
  Quality,
  SkeletonId,
} from './types.js';
export { ParseposeError, UsageError } from './errors.js';

// Image input
export { loadPhoto, decodePhoto, encodeRgbPng, sniffFormat, DEFAULT_MAX_PIXELS } from './image/decode.js';
export { expandInputs } from './image/inputs.js';
export { encodeIndexedPng, encodeGrayPng, decodePng } from './image/png.js';

// Pose (P-map)
export {
  createPoseEstimator,
  registerPoseEstimator,
  poseModelIds,
  type PoseEstimatorOptions,
} from './pose/registry.js';
export {
  BODY_25,
  COCO_18,
  COCO_17,
  BLAZEPOSE_33,
  SKELETONS,
  toBody25,
  fromBody25,
  type Skeleton,
} from './pose/skeletons.js';
export {
  writeOpenPoseJson,
  readOpenPoseJson,
  toOpenPoseDocument,
  type OpenPoseDocument,
} from './pose/openpose-json.js';
export { renderPose, type RenderPoseOptions, type PoseRenderStyle } from './pose/render.js';
export { decodePafMaps } from './pose/paf/decoder.js';

// Parsing (S-map)
export { createParser, registerParser, parserIds, type ParserOptions } from './parsing/registry.js';
export {
  LABEL_SETS,
  CIHP_TO,
  TO_CIHP,
  toViton13Table,
  vocPalette,
  type LabelSet,
} from './parsing/labelsets.js';
export { convertLabelMap } from './parsing/convert.js';
export { sMapPng, sMapOverlayPng } from './parsing/output.js';

// Try-on
export { parseAgnostic, agnosticImage, type AgnosticVariant } from './tryon/agnostic.js';
export { clothMask } from './tryon/cloth-mask.js';

// Evaluation
export { evaluateKeypoints, personToCocoDet, oks, type CocoKeypointStats } from './eval/coco.js';
export { createConfusion, addToConfusion, scoreConfusion, type ParsingScores } from './eval/parsing.js';

// Pipeline
export { PhotoProcessor } from './pipeline/process.js';
export { WorkerPool } from './pipeline/pool.js';
export { runBatch, type BatchSummary } from './pipeline/batch.js';
export { runDataset, type DatasetSummary } from './pipeline/dataset.js';
export { DEFAULT_PIPELINE_OPTIONS, type PipelineOptions } from './pipeline/options.js';
