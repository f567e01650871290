import type { LabelSetId } from '../../types.js';
import type { PixelNormalisation } from './affine.js';

/**
 * SCHP (Self-Correction Human Parsing) presets as data (SPEC §7): input size, pixel normalisation, the
 * label set the network predicts and the left/right channel pairs a flip test swaps.
 */
export interface SchpPreset {
  /** Parser / model id (`--parse-model schp-lip`). */
  readonly id: 'schp-lip' | 'schp-atr' | 'schp-pascal';
  readonly labelSet: LabelSetId;
  readonly numClasses: number;
  /** Square network input (W = H); a model that declares a fixed size of its own wins. */
  readonly inputSize: number;
  readonly pixels: PixelNormalisation;
  /** Channels that trade places when the image is mirrored (person's left <-> right). */
  readonly flipPairs: ReadonlyArray<readonly [number, number]>;
  /** Input name of the OOTDiffusion / IDM-VTON exports (matched by shape when absent). */
  readonly inputName: string;
  /** File name users have it under (`parsing_lip.onnx`). */
  readonly fileName: string;
}

/** SCHP reads images with OpenCV (BGR), scales to 0..1 and normalises with ImageNet statistics in B,G,R. */
const SCHP_PIXELS: PixelNormalisation = {
  order: 'bgr',
  scale: 1 / 255,
  mean: [0.406, 0.456, 0.485],
  std: [0.225, 0.224, 0.229],
};

export const SCHP_PRESETS: Readonly<Record<SchpPreset['id'], SchpPreset>> = {
  'schp-lip': {
    id: 'schp-lip',
    labelSet: 'lip',
    numClasses: 20,
    inputSize: 473,
    pixels: SCHP_PIXELS,
    // Left-arm/Right-arm, Left-leg/Right-leg, Left-shoe/Right-shoe
    flipPairs: [
      [14, 15],
      [16, 17],
      [18, 19],
    ],
    inputName: 'input.1',
    fileName: 'parsing_lip.onnx',
  },
  'schp-atr': {
    id: 'schp-atr',
    labelSet: 'atr',
    numClasses: 18,
    inputSize: 512,
    pixels: SCHP_PIXELS,
    // Left-shoe/Right-shoe, Left-leg/Right-leg, Left-arm/Right-arm
    flipPairs: [
      [9, 10],
      [12, 13],
      [14, 15],
    ],
    inputName: 'input.1',
    fileName: 'parsing_atr.onnx',
  },
  'schp-pascal': {
    id: 'schp-pascal',
    labelSet: 'pascal',
    numClasses: 7,
    inputSize: 512,
    pixels: SCHP_PIXELS,
    flipPairs: [],
    inputName: 'input.1',
    fileName: 'parsing_pascal.onnx',
  },
};
