import { join } from 'node:path';

/**
 * The one place that decides where outputs go and what they are named (VITON-HD layout, SPEC §6).
 */
export const LAYOUT = {
  poseJson: (out: string, stem: string) => join(out, 'openpose_json', `${stem}_keypoints.json`),
  poseImg: (out: string, stem: string) => join(out, 'openpose_img', `${stem}_rendered.png`),
  poseVis: (out: string, stem: string) => join(out, 'openpose_vis', `${stem}.png`),
  parse: (out: string, stem: string) => join(out, 'image-parse-v3', `${stem}.png`),
  parseVis: (out: string, stem: string) => join(out, 'image-parse-vis', `${stem}.png`),
  parseProb: (out: string, stem: string) => join(out, 'image-parse-prob', `${stem}.npy`),
  debugMaps: (out: string) => join(out, 'debug_maps'),
  parseAgnostic: (out: string, stem: string) => join(out, 'image-parse-agnostic-v3.2', `${stem}.png`),
  agnostic: (out: string, stem: string) => join(out, 'agnostic-v3.2', `${stem}.jpg`),
  clothMask: (out: string, stem: string) => join(out, 'cloth-mask', `${stem}.jpg`),
} as const;
