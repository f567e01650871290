import type { Box, Keypoint, Person } from '../../types.js';
import { toBody25 } from '../skeletons.js';
import { assemblePeople, personMeanScore } from './assemble.js';
import type { PafLayout } from './layouts.js';
import { scoreLimbCandidates, type LimbCandidate } from './limbs.js';
import { mapChannel, type PlanarMaps } from './maps.js';
import { matchLimb, type MatchingMethod } from './matching.js';
import { findPeaks, type Peak } from './peaks.js';
import { gaussianBlur } from './smooth.js';

/**
 * OpenPose's bottom-up decoder (SPEC §5), pure TypeScript: planar heatmaps + PAFs in, people out.
 * peaks (NMS + sub-pixel) -> limb candidates (PAF line integral + distance prior) -> bipartite matching
 * per limb (greedy or Hungarian) -> assembly with merging -> pruning.
 */
export interface PafDecoderParams {
  /** Minimum heatmap value (unsmoothed) at a part peak. OpenPose: 0.05. */
  peakThreshold: number;
  /** Gaussian sigma in map pixels applied to heatmaps before the peak search; 0 = none. */
  smoothSigma: number;
  /** Peaks kept per part, best first (bounds the quadratic candidate search). */
  maxPeaksPerPart: number;
  /** Points sampled along each candidate limb. OpenPose: 10. */
  samples: number;
  /** PAF alignment a sample must exceed to count as agreeing. OpenPose: 0.05. */
  pafThreshold: number;
  /** More than this fraction of samples must agree. Paper: 0.8. */
  minAboveFraction: number;
  /** greedy (OpenPose) or hungarian (optimal per limb). */
  matching: MatchingMethod;
  /** People with fewer parts are dropped. */
  minParts: number;
  /** People whose (part + limb scores) / parts is lower are dropped. OpenPose: 0.4. */
  minMeanScore: number;
  /**
   * Length scale of the distance prior, in map pixels; default: the map height (the image height, as
   * in OpenPose, when the maps cover the image).
   */
  priorHeight?: number;
}

export const DEFAULT_PAF_DECODER_PARAMS: Readonly<PafDecoderParams> = {
  peakThreshold: 0.05,
  smoothSigma: 0,
  maxPeaksPerPart: 96,
  samples: 10,
  pafThreshold: 0.05,
  minAboveFraction: 0.8,
  matching: 'greedy',
  minParts: 4,
  minMeanScore: 0.4,
};

export interface DecodedPerson {
  /** One entry per layout part, in map pixels; missing parts have score 0. */
  keypoints: Keypoint[];
  /**
   * OpenPose's person score: (peak scores + limb scores) / (parts + limbs of the layout), about 0..1;
   * favours complete, confident people (it ranks detections for COCO AP).
   */
  score: number;
  partCount: number;
  /** OpenPose's pruning score: (part + limb scores) / parts. */
  meanScore: number;
}

export interface DecodeIntermediates {
  peaks: Peak[][];
  matched: LimbCandidate[][];
}

/** Peaks of every part (smoothed search, raw scores). */
export function findAllPeaks(maps: PlanarMaps, layout: PafLayout, p: PafDecoderParams): Peak[][] {
  const { width, height } = maps;
  const peaks: Peak[][] = [];
  for (let part = 0; part < layout.parts; part++) {
    const raw = mapChannel(maps, part);
    const searched = p.smoothSigma > 0 ? gaussianBlur(raw, width, height, p.smoothSigma) : raw;
    peaks.push(
      findPeaks(searched, width, height, {
        threshold: p.peakThreshold,
        maxPeaks: p.maxPeaksPerPart,
        scoreMap: raw,
      }),
    );
  }
  return peaks;
}

/** Decodes people; `intermediates`, when given, receives the peaks and the matched limbs (debugging). */
export function decodePafMaps(
  maps: PlanarMaps,
  layout: PafLayout,
  params: Partial<PafDecoderParams> = {},
  intermediates?: DecodeIntermediates,
): DecodedPerson[] {
  const p: PafDecoderParams = { ...DEFAULT_PAF_DECODER_PARAMS, ...params };
  const needed = layout.heatmapChannels + layout.pafChannels;
  if (maps.channels < needed) {
    throw new Error(`decodePafMaps: ${layout.id} needs ${needed} channels, the maps have ${maps.channels}`);
  }
  const { width, height } = maps;
  const peaks = findAllPeaks(maps, layout, p);
  const scoreOptions = {
    samples: p.samples,
    pafThreshold: p.pafThreshold,
    minAboveFraction: p.minAboveFraction,
    priorHeight: p.priorHeight ?? height,
  };
  const matched = layout.limbs.map((limb) => {
    const pa = peaks[limb.a];
    const pb = peaks[limb.b];
    if (!pa.length || !pb.length) return [];
    const pafX = mapChannel(maps, layout.heatmapChannels + limb.pafX);
    const pafY = mapChannel(maps, layout.heatmapChannels + limb.pafY);
    const candidates = scoreLimbCandidates(pa, pb, pafX, pafY, width, height, scoreOptions);
    return matchLimb(p.matching, candidates, pa.length, pb.length);
  });
  if (intermediates) {
    intermediates.peaks = peaks;
    intermediates.matched = matched;
  }
  const people = assemblePeople(
    layout,
    peaks.map((list) => list.map((k) => k.score)),
    matched,
    { minParts: p.minParts, minMeanScore: p.minMeanScore },
  );
  return people
    .map((person) => {
      const keypoints: Keypoint[] = [];
      for (let part = 0; part < layout.parts; part++) {
        const i = person.parts[part];
        keypoints.push(i >= 0 ? { ...peaks[part][i] } : { x: 0, y: 0, score: 0 });
      }
      return {
        keypoints,
        score: (person.partScore + person.limbScore) / (layout.parts + layout.limbs.length),
        partCount: person.partCount,
        meanScore: personMeanScore(person),
      };
    })
    .sort((a, b) => b.score - a.score);
}

function boxOf(kps: readonly Keypoint[]): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const k of kps) {
    if (k.score <= 0) continue;
    x0 = Math.min(x0, k.x);
    y0 = Math.min(y0, k.y);
    x1 = Math.max(x1, k.x);
    y1 = Math.max(y1, k.y);
  }
  return x0 <= x1 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : { x: 0, y: 0, width: 0, height: 0 };
}

/**
 * Maps decoded people from map pixels to image pixels (the maps cover the whole image; pixel centres
 * aligned) and converts them to BODY_25 Persons.
 */
export function decodedToPersons(
  people: readonly DecodedPerson[],
  layout: PafLayout,
  map: { width: number; height: number },
  image: { width: number; height: number },
): Person[] {
  const sx = image.width / map.width;
  const sy = image.height / map.height;
  return people.map((person) => {
    const native = person.keypoints.map((k) =>
      k.score > 0
        ? { x: (k.x + 0.5) * sx - 0.5, y: (k.y + 0.5) * sy - 0.5, score: k.score }
        : { x: 0, y: 0, score: 0 },
    );
    const keypoints = toBody25(layout.skeleton, native);
    return { keypoints, score: Math.min(1, Math.max(0, person.score)), box: boxOf(keypoints) };
  });
}
