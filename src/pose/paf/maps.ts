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
 * Bilinear resize of every channel. Pixel centres are aligned (half-pixel convention): both maps cover
 * the same extent, so map pixel x stands for image coordinate `(x + 0.5) * imageWidth / width - 0.5`.
 * `source` restricts the input to its top-left `width x height` map pixels (may be fractional), e.g. the
 * part of a letterboxed network input that holds the photo.
 */
export function resizeMaps(
  maps: PlanarMaps,
  width: number,
  height: number,
  source: { width: number; height: number } = maps,
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
  const x0 = new Int32Array(width);
  const x1 = new Int32Array(width);
  const fx = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const s = Math.min(
      Math.max(((x + 0.5) * source.width) / width - 0.5, 0),
      Math.max(0, Math.min(source.width, sw) - 1),
    );
    x0[x] = Math.floor(s);
    x1[x] = Math.min(x0[x] + 1, sw - 1);
    fx[x] = s - x0[x];
  }
  const out = new Float32Array(width * height * channels);
  const sn = sw * sh;
  const dn = width * height;
  for (let y = 0; y < height; y++) {
    const s = Math.min(
      Math.max(((y + 0.5) * source.height) / height - 0.5, 0),
      Math.max(0, Math.min(source.height, sh) - 1),
    );
    const y0 = Math.floor(s);
    const y1 = Math.min(y0 + 1, sh - 1);
    const fy = s - y0;
    for (let c = 0; c < channels; c++) {
      const r0 = c * sn + y0 * sw;
      const r1 = c * sn + y1 * sw;
      const d = c * dn + y * width;
      for (let x = 0; x < width; x++) {
        const top = maps.data[r0 + x0[x]] * (1 - fx[x]) + maps.data[r0 + x1[x]] * fx[x];
        const bottom = maps.data[r1 + x0[x]] * (1 - fx[x]) + maps.data[r1 + x1[x]] * fx[x];
        out[d + x] = top * (1 - fy) + bottom * fy;
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
