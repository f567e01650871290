/**
 * The person matte at full resolution: a segmentation network's soft, coarse mask made to follow the
 * photo's edges with a guided filter (He et al., ECCV 2010), so the S-map's outline is crisp.
 */

/** Mean over a (2r+1)^2 window, clipped at the borders (running sums: O(n) whatever r). */
export function boxMean(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const tmp = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let s = 0;
    for (let x = 0; x <= Math.min(r, width - 1); x++) s += src[row + x];
    for (let x = 0; x < width; x++) {
      const lo = x - r;
      const hi = x + r;
      tmp[row + x] = s / (Math.min(hi, width - 1) - Math.max(lo, 0) + 1);
      if (hi + 1 < width) s += src[row + hi + 1];
      if (lo >= 0) s -= src[row + lo];
    }
  }
  for (let x = 0; x < width; x++) {
    let s = 0;
    for (let y = 0; y <= Math.min(r, height - 1); y++) s += tmp[y * width + x];
    for (let y = 0; y < height; y++) {
      const lo = y - r;
      const hi = y + r;
      out[y * width + x] = s / (Math.min(hi, height - 1) - Math.max(lo, 0) + 1);
      if (hi + 1 < height) s += tmp[(hi + 1) * width + x];
      if (lo >= 0) s -= tmp[lo * width + x];
    }
  }
  return out;
}

/**
 * The guided filter's window-averaged linear coefficients (mean a, mean b) so that out = a * I + b: fitted
 * to `p` in each (2r+1)^2 window of the guide `I`.
 */
function guidedCoefficients(
  I: Float32Array,
  p: Float32Array,
  width: number,
  height: number,
  r: number,
  eps: number,
): { ma: Float32Array; mb: Float32Array } {
  const n = width * height;
  const Ip = new Float32Array(n);
  const II = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    Ip[i] = I[i] * p[i];
    II[i] = I[i] * I[i];
  }
  const mI = boxMean(I, width, height, r);
  const mp = boxMean(p, width, height, r);
  const mIp = boxMean(Ip, width, height, r);
  const mII = boxMean(II, width, height, r);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const cov = mIp[i] - mI[i] * mp[i];
    const v = mII[i] - mI[i] * mI[i];
    a[i] = cov / (v + eps);
    b[i] = mp[i] - a[i] * mI[i];
  }
  return { ma: boxMean(a, width, height, r), mb: boxMean(b, width, height, r) };
}

/**
 * Grayscale guided filter: the output is locally a linear function of the guide `I`, fitted to `p` in
 * each window, so where `p` is blurry but `I` has an edge, the output takes the edge.
 */
export function guidedFilter(
  I: Float32Array,
  p: Float32Array,
  width: number,
  height: number,
  r: number,
  eps: number,
): Float32Array {
  const n = width * height;
  const { ma, mb } = guidedCoefficients(I, p, width, height, r, eps);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ma[i] * I[i] + mb[i];
  return out;
}

/** Bilinear sample of a w x h float map at (u, v) in its pixel coordinates (centres at integers); 0 outside. */
export function sampleBilinear(map: Float32Array, w: number, h: number, u: number, v: number): number {
  const x0 = Math.floor(u);
  const y0 = Math.floor(v);
  const fx = u - x0;
  const fy = v - y0;
  const x1 = x0 + 1;
  const y1 = y0 + 1;
  const inX0 = x0 >= 0 && x0 < w;
  const inX1 = x1 >= 0 && x1 < w;
  let top = 0;
  let bottom = 0;
  if (y0 >= 0 && y0 < h) top = (inX0 ? (1 - fx) * map[y0 * w + x0] : 0) + (inX1 ? fx * map[y0 * w + x1] : 0);
  if (y1 >= 0 && y1 < h)
    bottom = (inX0 ? (1 - fx) * map[y1 * w + x0] : 0) + (inX1 ? fx * map[y1 * w + x1] : 0);
  return (1 - fy) * top + fy * bottom;
}

/**
 * sampleBilinear at every (us[x], vs[y]) of a grid, row-major: the same arithmetic, with the per-column and
 * per-row terms computed once (a matte's whole region is resampled per person).
 */
export function sampleGrid(
  map: Float32Array,
  w: number,
  h: number,
  us: ArrayLike<number>,
  vs: ArrayLike<number>,
): Float32Array {
  const nx = us.length;
  const out = new Float32Array(nx * vs.length);
  const x0s = new Int32Array(nx);
  const fxs = new Float64Array(nx);
  const in0 = new Uint8Array(nx);
  const in1 = new Uint8Array(nx);
  for (let x = 0; x < nx; x++) {
    const x0 = Math.floor(us[x]);
    x0s[x] = x0;
    fxs[x] = us[x] - x0;
    in0[x] = x0 >= 0 && x0 < w ? 1 : 0;
    in1[x] = x0 + 1 >= 0 && x0 + 1 < w ? 1 : 0;
  }
  for (let y = 0; y < vs.length; y++) {
    const y0 = Math.floor(vs[y]);
    const fy = vs[y] - y0;
    const inY0 = y0 >= 0 && y0 < h;
    const inY1 = y0 + 1 >= 0 && y0 + 1 < h;
    if (!inY0 && !inY1) continue; // the row stays 0
    const r0 = y0 * w;
    const r1 = r0 + w;
    for (let x = 0, o = y * nx; x < nx; x++, o++) {
      const fx = fxs[x];
      const x0 = x0s[x];
      let top = 0;
      let bottom = 0;
      if (inY0) top = (in0[x] ? (1 - fx) * map[r0 + x0] : 0) + (in1[x] ? fx * map[r0 + x0 + 1] : 0);
      if (inY1) bottom = (in0[x] ? (1 - fx) * map[r1 + x0] : 0) + (in1[x] ? fx * map[r1 + x0 + 1] : 0);
      out[o] = (1 - fy) * top + fy * bottom;
    }
  }
  return out;
}

/** Averages a w x h map over f x f blocks (edge blocks partial). */
export function downsample(
  src: Float32Array,
  w: number,
  h: number,
  f: number,
): { data: Float32Array; width: number; height: number } {
  const width = Math.ceil(w / f);
  const height = Math.ceil(h / f);
  const data = new Float32Array(width * height);
  const cnt = new Float32Array(width * height);
  for (let y = 0; y < h; y++) {
    const row = Math.floor(y / f) * width;
    for (let x = 0; x < w; x++) {
      const o = row + Math.floor(x / f);
      data[o] += src[y * w + x];
      cnt[o]++;
    }
  }
  for (let i = 0; i < data.length; i++) data[i] /= cnt[i];
  return { data, width, height };
}

/**
 * Fast guided filter (He & Sun 2015): the linear coefficients are fitted on an f-times smaller image and
 * upsampled, then applied with the full-resolution guide, so edges stay sharp at a fraction of the cost.
 */
export function fastGuidedFilter(
  I: Float32Array,
  p: Float32Array,
  width: number,
  height: number,
  r: number,
  eps: number,
  f: number,
): Float32Array {
  if (f <= 1) return guidedFilter(I, p, width, height, r, eps);
  const Is = downsample(I, width, height, f);
  const ps = downsample(p, width, height, f);
  const w = Is.width;
  const h = Is.height;
  const rs = Math.max(1, Math.round(r / f));
  const { ma, mb } = guidedCoefficients(Is.data, ps.data, w, h, rs, eps);
  const out = new Float32Array(width * height);
  // per-column source columns and weights, computed once rather than per pixel
  const cx0 = new Int32Array(width);
  const cx1 = new Int32Array(width);
  const cfx = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const u = (x + 0.5) / f - 0.5;
    cx0[x] = Math.max(0, Math.min(w - 1, Math.floor(u)));
    cx1[x] = Math.min(w - 1, cx0[x] + 1);
    cfx[x] = Math.max(0, Math.min(1, u - cx0[x]));
  }
  for (let y = 0; y < height; y++) {
    const v = (y + 0.5) / f - 0.5;
    const y0 = Math.max(0, Math.min(h - 1, Math.floor(v)));
    const y1 = Math.min(h - 1, y0 + 1);
    const fy = Math.max(0, Math.min(1, v - y0));
    const r0 = y0 * w;
    const r1 = y1 * w;
    for (let x = 0, o = y * width; x < width; x++, o++) {
      const fx = cfx[x];
      const i00 = r0 + cx0[x];
      const i01 = r0 + cx1[x];
      const i10 = r1 + cx0[x];
      const i11 = r1 + cx1[x];
      const A = (1 - fy) * ((1 - fx) * ma[i00] + fx * ma[i01]) + fy * ((1 - fx) * ma[i10] + fx * ma[i11]);
      const B = (1 - fy) * ((1 - fx) * mb[i00] + fx * mb[i01]) + fy * ((1 - fx) * mb[i10] + fx * mb[i11]);
      out[o] = A * I[o] + B;
    }
  }
  return out;
}

/** A limb's centre line in source pixels and its half width (the geometry's Chain). */
interface LimbLine {
  points: ReadonlyArray<{ x: number; y: number }>;
  radius: number;
}

/** Distance from (x, y) to a polyline. */
function lineDistance(x: number, y: number, pts: LimbLine['points']): number {
  let best = Infinity;
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i];
    const b = pts[i + 1];
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? ((x - a.x) * dx + (y - a.y) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    best = Math.min(best, Math.hypot(a.x + t * dx - x, a.y + t * dy - y));
  }
  return best;
}

/**
 * Fraction of points sampled along the limbs' centre lines (inside the photo) where a segmentation of a
 * square crop calls the person present (>= 0.5); 1 when no limb is inside the photo. A low value: the
 * mask misses a limb the skeleton sees.
 */
export function limbCoverage(
  seg: Float32Array,
  size: number,
  crop: { x: number; y: number; side: number },
  limbs: readonly LimbLine[],
  photo: { width: number; height: number },
  samplesPerSegment = 12,
): number {
  const k = size / crop.side;
  let n = 0;
  let hit = 0;
  for (const limb of limbs) {
    const p = limb.points;
    for (let i = 0; i + 1 < p.length; i++) {
      for (let s = 0; s < samplesPerSegment; s++) {
        const t = (s + 0.5) / samplesPerSegment;
        const x = p[i].x + (p[i + 1].x - p[i].x) * t;
        const y = p[i].y + (p[i + 1].y - p[i].y) * t;
        if (x < 0 || y < 0 || x >= photo.width || y >= photo.height) continue;
        n++;
        if (sampleBilinear(seg, size, size, (x - crop.x) * k - 0.5, (y - crop.y) * k - 0.5) >= 0.5) hit++;
      }
    }
  }
  return n ? hit / n : 1;
}

/**
 * Two segmentations of the same square crop joined where the skeleton supports it: the first, except near
 * a limb's centre line, where the larger of the two counts (full weight within `inner` radii, fading to
 * none at `outer` radii). A second mask's extra area away from the limbs (a car seat, a shadow) stays out.
 */
export function mergeNearLimbs(
  seg: Float32Array,
  extra: Float32Array,
  size: number,
  crop: { x: number; y: number; side: number },
  limbs: readonly LimbLine[],
  inner = 1,
  outer = 1.5,
): Float32Array {
  const out = Float32Array.from(seg);
  const k = crop.side / size;
  for (let j = 0; j < size; j++) {
    const y = crop.y + (j + 0.5) * k;
    for (let i = 0; i < size; i++) {
      const o = j * size + i;
      if (extra[o] <= out[o]) continue;
      const x = crop.x + (i + 0.5) * k;
      let w = 0;
      for (const limb of limbs) {
        const d = lineDistance(x, y, limb.points) / limb.radius;
        w = Math.max(w, d <= inner ? 1 : d >= outer ? 0 : (outer - d) / (outer - inner));
        if (w === 1) break;
      }
      if (w > 0) out[o] = Math.max(out[o], w * extra[o]);
    }
  }
  return out;
}
