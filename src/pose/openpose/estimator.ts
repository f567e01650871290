import type { Person, Photo, PoseEstimator, Quality } from '../../types.js';
import { decodePafMaps, decodedToPersons, type PafDecoderParams } from '../paf/decoder.js';
import { layoutForChannels, type PafLayout } from '../paf/layouts.js';
import { averageMaps, resizeMaps, type MapInterpolation, type PlanarMaps } from '../paf/maps.js';
import { ParseposeError, UsageError } from '../../errors.js';
import { writeDebugMaps } from './debug.js';
import {
  DEFAULT_NET_RESOLUTION,
  encodeNetInput,
  netInputGeometry,
  parseNetResolution,
  resizePhotoRgb,
  type NetResolution,
  type PixelEncoding,
} from './netinput.js';

/**
 * An OpenPose-style bottom-up estimator around any network that turns a BGR image into heatmaps + PAFs:
 * per scale, resize the photo, run the net, bring its maps onto one decoding grid; average the scales;
 * decode people with the pure-TypeScript PAF decoder.
 */
export interface PafNetwork {
  readonly encoding: PixelEncoding;
  /** Runs batch 1 on an encoded `width x height` input; returns its maps (planar, any stride). */
  run(input: Float32Array, width: number, height: number): Promise<PlanarMaps>;
  dispose(): void;
}

export interface OpenPoseSettings {
  /** "WxH" with one side -1 to follow the photo's aspect (OpenPose --net_resolution). */
  netResolution: string;
  /** Input scales relative to netResolution whose maps are averaged (OpenPose --scale_number/--scale_gap). */
  scales: number[];
  /** Decoding grid step in network-input pixels at scale 1 (research: 4; the nets' stride is 8). */
  gridStride: number;
  /**
   * How the stride-8 maps are brought onto the grid: cubic as OpenPose's resizeAndMerge (bilinear
   * flattens peaks between map pixels and lowers their scores; see MapInterpolation).
   */
  interpolation: MapInterpolation;
  decoder: Partial<PafDecoderParams>;
  /** Layout to use; by default taken from the maps' channel count (57 COCO-18, 78 BODY_25). */
  layout?: PafLayout;
  /** Write `<id>_heatmaps.png` and `<id>_pafs.png` overlays here. */
  debugMapsDir?: string;
}

/**
 * Gaussian sigma, in network-input pixels, of the heatmap smoothing before the peak search:
 * tf-pose-estimation's (sigma 3 on maps upsampled to the input resolution, as in its COCO evaluation).
 */
export const HEATMAP_SMOOTH_SIGMA_PX = 3;

/**
 * Decoder settings for real network output on a grid of `gridStride` input pixels: the heatmap
 * smoothing above, OpenPose's / tf-pose's thresholds (peak 0.05, PAF 0.05, 10 samples of which more
 * than 80% agree, person mean 0.4) and tf-pose's at least 4 parts.
 */
export function networkDecoderParams(gridStride: number): Partial<PafDecoderParams> {
  return {
    peakThreshold: 0.05,
    smoothSigma: HEATMAP_SMOOTH_SIGMA_PX / gridStride,
    pafThreshold: 0.05,
    samples: 10,
    minAboveFraction: 0.8,
    minParts: 4,
    minMeanScore: 0.4,
  };
}

/** Scales per quality when none are given: 'best' averages heights 368 and 640. */
export function defaultScales(quality: Quality): number[] {
  return quality === 'best' ? [1, 1.75] : [1];
}

export interface MapsResult {
  /** Averaged maps on the decoding grid, which covers the whole photo. */
  maps: PlanarMaps;
  layout: PafLayout;
}

export class OpenPoseEstimator implements PoseEstimator {
  readonly id: string;
  private readonly network: PafNetwork;
  private readonly settings: OpenPoseSettings;
  private readonly resolution: NetResolution;

  constructor(id: string, network: PafNetwork, settings: Partial<OpenPoseSettings> = {}) {
    this.id = id;
    this.network = network;
    const gridStride = settings.gridStride ?? 4;
    this.settings = {
      netResolution: settings.netResolution ?? DEFAULT_NET_RESOLUTION,
      scales: settings.scales?.length ? settings.scales : [1],
      gridStride,
      interpolation: settings.interpolation ?? 'cubic',
      decoder: { ...networkDecoderParams(gridStride), ...settings.decoder },
      layout: settings.layout,
      debugMapsDir: settings.debugMapsDir,
    };
    this.resolution = parseNetResolution(this.settings.netResolution);
    for (const s of this.settings.scales) {
      if (!(s > 0 && s <= 4)) throw new UsageError(`scale ${s} is outside 0..4`);
    }
  }

  /** Network maps for a photo, averaged over the scales, on the decoding grid. */
  async computeMaps(photo: Photo): Promise<MapsResult> {
    const base = netInputGeometry(photo.width, photo.height, this.resolution, 1);
    const gridW = Math.max(2, Math.round(base.contentWidth / this.settings.gridStride));
    const gridH = Math.max(2, Math.round(base.contentHeight / this.settings.gridStride));
    const perScale: PlanarMaps[] = [];
    for (const scale of this.settings.scales) {
      const g = netInputGeometry(photo.width, photo.height, this.resolution, scale);
      const rgb = await resizePhotoRgb(photo, g.contentWidth, g.contentHeight);
      const out = await this.network.run(encodeNetInput(rgb, g, this.network.encoding), g.width, g.height);
      // The maps span the whole input; the photo is its top-left content part.
      const content = {
        width: (g.contentWidth * out.width) / g.width,
        height: (g.contentHeight * out.height) / g.height,
      };
      perScale.push(resizeMaps(out, gridW, gridH, content, this.settings.interpolation));
    }
    const maps = averageMaps(perScale);
    const layout = this.settings.layout ?? layoutForChannels(maps.channels);
    if (!layout) {
      throw new ParseposeError(
        'BAD_MODEL',
        `the network gives ${maps.channels} channels; expected 57 (COCO-18: 19 heatmaps + 38 PAFs) or 78 (BODY_25: 26 + 52)`,
      );
    }
    return { maps, layout };
  }

  async estimate(photo: Photo): Promise<Person[]> {
    const { maps, layout } = await this.computeMaps(photo);
    const decoded = decodePafMaps(maps, layout, this.settings.decoder);
    const people = decodedToPersons(decoded, layout, maps, photo);
    if (this.settings.debugMapsDir) await writeDebugMaps(this.settings.debugMapsDir, photo, maps, layout);
    return people;
  }

  dispose(): void {
    this.network.dispose();
  }
}
