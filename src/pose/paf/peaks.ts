/**
 * Part candidates: local maxima (3x3 non-maximum suppression) of a heatmap above a threshold, refined
 * to sub-pixel precision.
 */
export interface Peak {
  /** Sub-pixel position in map pixels. */
  x: number;
  y: number;
  /** Heatmap value at the peak (from `scoreMap` when given). */
  score: number;
}

export interface PeakOptions {
  /** Minimum score (the `scoreMap` value when given) of a peak (OpenPose's nms_threshold, 0.05). */
  threshold: number;
  /** Keep at most this many peaks, best first (OpenPose: 96 = POSE_MAX_PEOPLE). */
  maxPeaks?: number;
  /**
   * Map to read scores from, e.g. the unsmoothed heatmap when peaks are searched in a smoothed one
   * (smoothing lowers peak heights; scores and the threshold keep the network's meaning).
   */
  scoreMap?: Float32Array;
}

/**
 * Offset in -0.5..0.5 of the vertex of the parabola through (-1, l), (0, c), (1, r); 0 when flat.
 * For a sampled bump this recovers where the true maximum lies between grid points.
 */
export function parabolaOffset(l: number, c: number, r: number): number {
  const denom = l - 2 * c + r;
  if (denom >= 0) return 0;
  const d = (0.5 * (l - r)) / denom;
  return d < -0.5 ? -0.5 : d > 0.5 ? 0.5 : d;
}

/**
 * Finds peaks. A pixel is a peak when it is above the threshold, >= its later neighbours and > its
 * earlier ones (in raster order), so that a plateau yields exactly one peak.
 */
export function findPeaks(map: Float32Array, width: number, height: number, options: PeakOptions): Peak[] {
  const { threshold } = options;
  const scoreMap = options.scoreMap ?? map;
  const peaks: Peak[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = map[i];
      if (!(scoreMap[i] > threshold)) continue;
      let isPeak = true;
      for (let dy = -1; dy <= 1 && isPeak; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if ((dx === 0 && dy === 0) || xx < 0 || xx >= width) continue;
          const n = map[yy * width + xx];
          const earlier = dy < 0 || (dy === 0 && dx < 0);
          if (earlier ? n >= v : n > v) {
            isPeak = false;
            break;
          }
        }
      }
      if (!isPeak) continue;
      const ox = x > 0 && x < width - 1 ? parabolaOffset(map[i - 1], v, map[i + 1]) : 0;
      const oy = y > 0 && y < height - 1 ? parabolaOffset(map[i - width], v, map[i + width]) : 0;
      peaks.push({ x: x + ox, y: y + oy, score: scoreMap[i] });
    }
  }
  peaks.sort((a, b) => b.score - a.score);
  if (options.maxPeaks !== undefined && peaks.length > options.maxPeaks) peaks.length = options.maxPeaks;
  return peaks;
}
