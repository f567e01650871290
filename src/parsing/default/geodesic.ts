/**
 * Geodesic distance on a grid (Dijkstra over the 8-neighbourhood): the cost of a path is the sum of the
 * colour differences it crosses plus a small cost per step. Cells reached from a garment's seeds without
 * crossing a colour edge are that garment even when their colour alone could be skin (a beige trouser leg
 * runs down from the hips without a hem; a bare leg starts at one).
 */
export interface GeodesicOptions {
  /** Cost per step of one cell (keeps long smooth paths from being free). */
  stepCost?: number;
  /** Cells where `mask` is below this cannot be entered. */
  maskMin?: number;
  /** Colour differences up to this are texture and noise, not edges (subtracted from each step). */
  noise?: number;
}

/** Min-heap of (distance, index) pairs. */
class Heap {
  private d: number[] = [];
  private i: number[] = [];
  get size(): number {
    return this.d.length;
  }
  push(dist: number, index: number): void {
    const d = this.d;
    const ix = this.i;
    let k = d.length;
    d.push(dist);
    ix.push(index);
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (d[p] <= dist) break;
      d[k] = d[p];
      ix[k] = ix[p];
      k = p;
    }
    d[k] = dist;
    ix[k] = index;
  }
  /** Removes the smallest; returns its index (distance in `lastDist`). */
  lastDist = 0;
  pop(): number {
    const d = this.d;
    const ix = this.i;
    const topIndex = ix[0];
    this.lastDist = d[0];
    const lastD = d.pop()!;
    const lastI = ix.pop()!;
    const n = d.length;
    if (n > 0) {
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && d[r] < d[l] ? r : l;
        if (d[c] >= lastD) break;
        d[k] = d[c];
        ix[k] = ix[c];
        k = c;
      }
      d[k] = lastD;
      ix[k] = lastI;
    }
    return topIndex;
  }
}

const DX = [1, -1, 0, 0, 1, 1, -1, -1];
const DY = [0, 0, 1, -1, 1, -1, 1, -1];
const DL = [1, 1, 1, 1, Math.SQRT2, Math.SQRT2, Math.SQRT2, Math.SQRT2];

/**
 * Distance from the nearest seed to every cell (Infinity where unreachable). `features` is n x 3 (e.g.
 * Lab with lightness down-weighted); `mask` (n) limits the region (e.g. the person matte).
 */
export function geodesicDistance(
  features: Float32Array,
  width: number,
  height: number,
  seeds: readonly number[],
  mask?: Float32Array,
  options: GeodesicOptions = {},
): Float32Array {
  const stepCost = options.stepCost ?? 0.5;
  const maskMin = options.maskMin ?? 0.5;
  const noise = options.noise ?? 0;
  const n = width * height;
  const dist = new Float32Array(n).fill(Infinity);
  const done = new Uint8Array(n);
  const heap = new Heap();
  for (const s of seeds) {
    if (s < 0 || s >= n) continue;
    dist[s] = 0;
    heap.push(0, s);
  }
  while (heap.size) {
    const i = heap.pop();
    if (done[i]) continue;
    done[i] = 1;
    const di = heap.lastDist;
    const x = i % width;
    const y = (i - x) / width;
    for (let k = 0; k < 8; k++) {
      const nx = x + DX[k];
      const ny = y + DY[k];
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const j = ny * width + nx;
      if (done[j] || (mask && mask[j] < maskMin)) continue;
      const a = features[i * 3] - features[j * 3];
      const b = features[i * 3 + 1] - features[j * 3 + 1];
      const c = features[i * 3 + 2] - features[j * 3 + 2];
      const nd = di + Math.max(0, Math.sqrt(a * a + b * b + c * c) - noise) + stepCost * DL[k];
      if (nd < dist[j]) {
        dist[j] = nd;
        heap.push(nd, j);
      }
    }
  }
  return dist;
}
