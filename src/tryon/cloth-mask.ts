/**
 * cloth-mask: 255 on the garment, 0 on the background of a product photo (SPEC §6 `cloth-mask/`).
 * Shop photos of garments are shot on a plain, usually near-white backdrop, so the background is whatever
 * can be reached from the image border through pixels close to the backdrop colour and not across an
 * edge; everything else (including enclosed regions such as a white print on a dark shirt, or the inside
 * of a collar) is garment. No model is needed, and the result is deterministic.
 */

export interface ClothMaskOptions {
  /**
   * Largest per-channel difference from the backdrop colour still counted as backdrop. Default: derived
   * from the border's own noise (JPEG, gradients), between 10 and 40.
   */
  tolerance?: number;
  /** Foreground pieces smaller than this fraction of the largest piece are dropped (default 0.01). */
  minPieceFraction?: number;
}

/** Median of a list of bytes (by counting). */
function median(values: Uint8Array | number[]): number {
  const hist = new Uint32Array(256);
  for (const v of values) hist[v]++;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v];
    if (seen * 2 >= values.length) return v;
  }
  return 255;
}

/** Backdrop colour (per-channel median of a 2-pixel frame) and how much the frame varies around it. */
function backdrop(rgb: Uint8Array, width: number, height: number): { color: number[]; spread: number } {
  const idx: number[] = [];
  const frame = Math.min(2, Math.floor(Math.min(width, height) / 2));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x < frame || y < frame || x >= width - frame || y >= height - frame) idx.push(y * width + x);
      else if (x === frame) x = width - frame - 1; // jump over the interior of the row
    }
  }
  const color = [0, 1, 2].map((c) => median(idx.map((p) => rgb[p * 3 + c])));
  const dist = idx.map((p) => Math.max(...[0, 1, 2].map((c) => Math.abs(rgb[p * 3 + c] - color[c]))));
  // the 75th percentile of the frame's distances measures its noise without counting garment pixels
  // that touch the border
  dist.sort((a, b) => a - b);
  return { color, spread: dist[Math.floor(dist.length * 0.75)] ?? 0 };
}

/** Sobel gradient magnitude of the luminance, (|gx| + |gy|) / 8, clamped to 255; edges replicate the border. */
function edgeStrength(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const lum = new Float32Array(width * height);
  for (let p = 0; p < lum.length; p++)
    lum[p] = 0.299 * rgb[p * 3] + 0.587 * rgb[p * 3 + 1] + 0.114 * rgb[p * 3 + 2];
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const up = Math.max(0, y - 1) * width;
    const mid = y * width;
    const down = Math.min(height - 1, y + 1) * width;
    for (let x = 0; x < width; x++) {
      const l = Math.max(0, x - 1);
      const r = Math.min(width - 1, x + 1);
      const gx =
        lum[up + r] + 2 * lum[mid + r] + lum[down + r] - lum[up + l] - 2 * lum[mid + l] - lum[down + l];
      const gy =
        lum[down + l] + 2 * lum[down + x] + lum[down + r] - lum[up + l] - 2 * lum[up + x] - lum[up + r];
      out[mid + x] = Math.min(255, Math.round((Math.abs(gx) + Math.abs(gy)) / 8));
    }
  }
  return out;
}

/** Labels 4-connected components of `on` pixels; returns labels (0 = off) and each component's size. */
function components(on: Uint8Array, width: number, height: number): { labels: Int32Array; sizes: number[] } {
  const n = width * height;
  const labels = new Int32Array(n);
  const sizes = [0];
  const stack = new Int32Array(n);
  for (let start = 0; start < n; start++) {
    if (!on[start] || labels[start]) continue;
    const id = sizes.length;
    let size = 0;
    let top = 0;
    labels[start] = id;
    stack[top++] = start;
    while (top) {
      const p = stack[--top];
      size++;
      const x = p % width;
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width]) {
        if (q >= 0 && q < n && on[q] && !labels[q]) {
          labels[q] = id;
          stack[top++] = q;
        }
      }
    }
    sizes.push(size);
  }
  return { labels, sizes };
}

/** 3x3 majority vote on a 0/1 mask: smooths JPEG-ragged outlines by one pixel. */
function majority3(mask: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let n = 0;
      let total = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          total++;
          n += mask[yy * width + xx];
        }
      }
      out[y * width + x] = n * 2 > total ? 1 : 0;
    }
  }
  return out;
}

/**
 * Garment mask of a product photo on a plain backdrop: 255 garment, 0 background, `width*height` bytes.
 */
export function clothMask(
  rgb: Uint8Array,
  width: number,
  height: number,
  options: ClothMaskOptions = {},
): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`invalid image size ${width}x${height}`);
  }
  if (rgb.length !== width * height * 3) throw new Error('RGB buffer does not match width*height*3');
  const n = width * height;
  const { color, spread } = backdrop(rgb, width, height);
  const tolerance = options.tolerance ?? Math.min(40, Math.max(10, 2 * spread + 6));
  const edges = edgeStrength(rgb, width, height);
  // an edge this strong stops the backdrop flood even where the colour is close (white garment, shadow line)
  const edgeStop = Math.max(12, 2 * tolerance);

  const close = new Uint8Array(n);
  const passable = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    const d = Math.max(
      Math.abs(rgb[p * 3] - color[0]),
      Math.abs(rgb[p * 3 + 1] - color[1]),
      Math.abs(rgb[p * 3 + 2] - color[2]),
    );
    close[p] = d <= tolerance ? 1 : 0;
    passable[p] = close[p] && edges[p] < edgeStop ? 1 : 0;
  }
  // flood the backdrop from every passable border pixel
  const background = new Uint8Array(n);
  const stack = new Int32Array(n);
  let top = 0;
  const seed = (p: number): void => {
    if (passable[p] && !background[p]) {
      background[p] = 1;
      stack[top++] = p;
    }
  };
  for (let x = 0; x < width; x++) {
    seed(x);
    seed((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    seed(y * width);
    seed(y * width + width - 1);
  }
  while (top) {
    const p = stack[--top];
    const x = p % width;
    if (x > 0) seed(p - 1);
    if (x < width - 1) seed(p + 1);
    if (p >= width) seed(p - width);
    if (p < n - width) seed(p + width);
  }

  // the edge test stops the flood one pixel early on the backdrop side of an outline: take back the
  // backdrop-coloured pixels right next to the flooded backdrop
  let fg: Uint8Array = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    const x = p % width;
    const nextToBackground =
      (x > 0 && background[p - 1]) ||
      (x < width - 1 && background[p + 1]) ||
      (p >= width && background[p - width]) ||
      (p < n - width && background[p + width]);
    fg[p] = background[p] || (close[p] && nextToBackground) ? 0 : 1;
  }
  fg = majority3(fg, width, height);

  // drop specks (dust, JPEG blocks, stray shadows) far smaller than the garment
  const { labels, sizes } = components(fg, width, height);
  const largest = Math.max(0, ...sizes.slice(1));
  const minSize = Math.max(16, largest * (options.minPieceFraction ?? 0.01));
  const out = new Uint8Array(n);
  for (let p = 0; p < n; p++) if (labels[p] && sizes[labels[p]] >= minSize) out[p] = 255;

  // holes that the smoothing or speck removal opened inside the garment are garment
  const holes = components(
    out.map((v) => (v ? 0 : 1)),
    width,
    height,
  );
  const touchesBorder = new Uint8Array(holes.sizes.length);
  for (let x = 0; x < width; x++) {
    touchesBorder[holes.labels[x]] = 1;
    touchesBorder[holes.labels[(height - 1) * width + x]] = 1;
  }
  for (let y = 0; y < height; y++) {
    touchesBorder[holes.labels[y * width]] = 1;
    touchesBorder[holes.labels[y * width + width - 1]] = 1;
  }
  for (let p = 0; p < n; p++) if (holes.labels[p] && !touchesBorder[holes.labels[p]]) out[p] = 255;
  return out;
}
