import type { PixelNormalisation } from '../../parsing/schp/affine.js';

/**
 * DWPose as data (SPEC §8; the reference is the DWPose annotator of ControlNet, onnxdet.py + onnxpose.py):
 * a YOLOX person detector, then RTMPose with SimCC heads on each person box.
 */
export interface YoloxPreset {
  readonly inputName: string;
  /** Square input side. */
  readonly size: number;
  /** Grey the letterbox pads with. */
  readonly padValue: number;
  readonly strides: readonly number[];
  /** Raw 0..255 values; the DWPose annotator hands the detector the same RGB image as the pose model. */
  readonly pixels: PixelNormalisation;
  /** Person = class 0 of COCO-80. */
  readonly personClass: number;
  /** Candidates above this go into NMS ... */
  readonly nmsScoreThreshold: number;
  readonly nmsIouThreshold: number;
  /** ... and boxes above this are kept. */
  readonly scoreThreshold: number;
  readonly fileName: string;
}

export interface RtmposePreset {
  readonly inputName: string;
  /** Network input width x height (the model's own fixed size wins when it declares one). */
  readonly width: number;
  readonly height: number;
  /** Person box grown by this factor before the crop. */
  readonly boxPadding: number;
  readonly pixels: PixelNormalisation;
  /** SimCC bins per input pixel. */
  readonly simccSplitRatio: number;
  readonly keypoints: number;
  readonly fileName: string;
}

export const YOLOX_L: YoloxPreset = {
  inputName: 'images',
  size: 640,
  padValue: 114,
  strides: [8, 16, 32],
  pixels: { order: 'rgb', scale: 1, mean: [0, 0, 0], std: [1, 1, 1] },
  personClass: 0,
  nmsScoreThreshold: 0.1,
  nmsIouThreshold: 0.45,
  scoreThreshold: 0.3,
  fileName: 'yolox_l.onnx',
};

export const DW_LL_UCOCO_384: RtmposePreset = {
  inputName: 'input',
  width: 288,
  height: 384,
  boxPadding: 1.25,
  pixels: { order: 'rgb', scale: 1, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] },
  simccSplitRatio: 2,
  keypoints: 133,
  fileName: 'dw-ll_ucoco_384.onnx',
};
