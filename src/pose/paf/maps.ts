/**
 * Network output maps in the one layout the decoder reads: planar (channel-major, CHW) float32, so
 * that each heatmap or PAF component is one contiguous `width * height` slice.
 */
export interface PlanarMaps {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  /** channels * height * width values; channel c, pixel (x, y) at `c*w*h + y*w + x`. */
  readonly data: Float32Array;
}

/** One channel as a view (no copy). */
export function mapChannel(maps: PlanarMaps, c: number): Float32Array {
  const n = maps.width * maps.height;
  return maps.data.subarray(c * n, (c + 1) * n);
}

/** Converts channels-last (HWC, e.g. a tfjs NHWC output with N = 1) to planar. */
export function planarFromChannelsLast(
  data: Float32Array,
  width: number,
  height: number,
  channels: number,
): PlanarMaps {
  if (data.length !== width * height * channels) {
    throw new Error(`maps: ${data.length} values for ${width}x${height}x${channels}`);
  }
  const n = width * height;
  const out = new Float32Array(n * channels);
  for (let p = 0; p < n; p++) {
    const src = p * channels;
    for (let c = 0; c < channels; c++) out[c * n + p] = data[src + c];
  }
  return { width, height, channels, data: out };
}

/** Wraps planar data (e.g. an ONNX NCHW output with N = 1) after checking its size. */
export function planarMaps(data: Float32Array, width: number, height: number, channels: number): PlanarMaps {
  if (data.length !== width * height * channels) {
    throw new Error(`maps: ${data.length} values for ${width}x${height}x${channels}`);
  }
  return { width, height, channels, data };
}

/**
 * How `resizeMaps` interpolates. `cubic` is OpenPose's (resizeAndMergeCpu: cv::INTER_CUBIC, Keys
 * a = -0.75). A bilinear map has its maxima only at source pixels and flattens every peak between them:
 * on the half-stride decoding grid a tf-pose-like heatmap blob (sigma one map pixel) scores 15-18% below
 * what the network gives a blob centred on a map pixel, whatever its sub-pixel phase; cubic: 1-4%.
 * Peak and person scores, and their thresholds, are meant on the network's own scale.
 */
export type MapInterpolation = 'bilinear' | 'cubic';

const CUBIC_A = -0.75;

/** Keys' cubic convolution kernel (cv::INTER_CUBIC's coefficient). */
function cubicWeight(t: number): number {
  const x = Math.abs(t);
  if (x <= 1) return ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1;
  if (x < 2) return ((CUBIC_A * x - 5 * CUBIC_A) * x + 8 * CUBIC_A) * x - 4 * CUBIC_A;
  return 0;
}

/** Per output pixel, `taps` source indices and weights along one axis. */
interface AxisTaps {
  taps: number;
  index: Int32Array;
  weight: Float32Array;
}

/**
 * Taps of output pixels 0..outLength-1 over the source extent [0, extent) of a `sourceLength`-pixel
 * axis, pixel centres aligned. Positions and taps stay inside the extent (the partial last pixel of a
 * fractional extent included), so padding beyond it never leaks in.
 */
function axisTaps(outLength: number, extent: number, sourceLength: number, kind: MapInterpolation): AxisTaps {
  const taps = kind === 'cubic' ? 4 : 2;
  const last = Math.max(0, Math.min(Math.ceil(extent), sourceLength) - 1);
  const maxPos = Math.max(0, Math.min(extent, sourceLength) - 1);
  const index = new Int32Array(outLength * taps);
  const weight = new Float32Array(outLength * taps);
  for (let d = 0; d < outLength; d++) {
    const s = Math.min(Math.max(((d + 0.5) * extent) / outLength - 0.5, 0), maxPos);
    const f = Math.floor(s);
    const t = s - f;
    const first = kind === 'cubic' ? f - 1 : f;
    for (let k = 0; k < taps; k++) {
      const i = first + k;
      index[d * taps + k] = Math.min(Math.max(i, 0), last);
      weight[d * taps + k] = kind === 'cubic' ? cubicWeight(s - i) : k === 0 ? 1 - t : t;
    }
  }
  return { taps, index, weight };
}

/**
 * Resizes every channel (separably). Pixel centres are aligned (half-pixel convention): both maps
 * cover the same extent, so map pixel x stands for image coordinate `(x + 0.5) * imageWidth / width - 0.5`.
 * `source` restricts the input to its top-left `width x height` map pixels (may be fractional), e.g. the
 * part of a letterboxed network input that holds the photo.
 */
export function resizeMaps(
  maps: PlanarMaps,
  width: number,
  height: number,
  source: { width: number; height: number } = maps,
  interpolation: MapInterpolation = 'bilinear',
): PlanarMaps {
  if (
    width === maps.width &&
    height === maps.height &&
    source.width === maps.width &&
    source.height === maps.height
  ) {
    return maps;
  }
  const { width: sw, height: sh, channels } = maps;
  const tx = axisTaps(width, source.width, sw, interpolation);
  const ty = axisTaps(height, source.height, sh, interpolation);
  // Only source rows that some output row reads need the horizontal pass.
  const rows = [...new Set(ty.index)];
  const out = new Float32Array(width * height * channels);
  const tmp = new Float32Array(sh * width);
  const sn = sw * sh;
  const dn = width * height;
  for (let c = 0; c < channels; c++) {
    const src = maps.data.subarray(c * sn, (c + 1) * sn);
    for (const y of rows) {
      const r = y * sw;
      const t = y * width;
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let k = 0, j = x * tx.taps; k < tx.taps; k++, j++) acc += tx.weight[j] * src[r + tx.index[j]];
        tmp[t + x] = acc;
      }
    }
    const dst = out.subarray(c * dn, (c + 1) * dn);
    for (let y = 0; y < height; y++) {
      const d = y * width;
      for (let k = 0, j = y * ty.taps; k < ty.taps; k++, j++) {
        const w = ty.weight[j];
        if (w === 0) continue;
        const t = ty.index[j] * width;
        for (let x = 0; x < width; x++) dst[d + x] += w * tmp[t + x];
      }
    }
  }
  return { width, height, channels, data: out };
}

/** Keeps a subset of channels (in the given order). */
export function selectChannels(maps: PlanarMaps, channels: readonly number[]): PlanarMaps {
  const n = maps.width * maps.height;
  const out = new Float32Array(n * channels.length);
  channels.forEach((c, i) => out.set(mapChannel(maps, c), i * n));
  return { width: maps.width, height: maps.height, channels: channels.length, data: out };
}

/** Element-wise mean of maps of one size (multi-scale averaging, as OpenPose's --scale_number). */
export function averageMaps(list: readonly PlanarMaps[]): PlanarMaps {
  if (list.length === 0) throw new Error('averageMaps: no maps');
  const first = list[0];
  if (list.length === 1) return first;
  const out = new Float32Array(first.data.length);
  for (const m of list) {
    if (m.width !== first.width || m.height !== first.height || m.channels !== first.channels) {
      throw new Error('averageMaps: maps differ in size');
    }
    for (let i = 0; i < out.length; i++) out[i] += m.data[i];
  }
  const k = 1 / list.length;
  for (let i = 0; i < out.length; i++) out[i] *= k;
  return { width: first.width, height: first.height, channels: first.channels, data: out };
}
