import type { Rgb } from '../skeletons.js';

/**
 * A tiny RGB rasteriser for skeleton renders: filled shapes, no anti-aliasing, each shape composited as
 * `alpha * colour + (1 - alpha) * below` per covered pixel. Values are kept as float32 (like OpenPose's GPU
 * renderer) and converted to bytes once at the end, so stacked translucent shapes match its numbers.
 * Every shape visits only the pixels near its own row spans (clipped to the canvas and to `clip`), and the
 * float buffer is read back only where something was drawn, so a 768x1024 render takes a few ms.
 */
export interface ClipBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const F = Math.fround;

/** The u with lo <= k u + c <= hi, as [from, to] (empty when from > to; everything when k = 0 and it holds). */
function linearRange(k: number, c: number, lo: number, hi: number): [number, number] {
  if (k === 0) return c >= lo && c <= hi ? [-Infinity, Infinity] : [Infinity, -Infinity];
  const u0 = (lo - c) / k;
  const u1 = (hi - c) / k;
  return u0 <= u1 ? [u0, u1] : [u1, u0];
}

/**
 * One float buffer per thread, reused by successive renders (two per photo: 12 MB each at 768x1024 that
 * the garbage collector would otherwise chase). Only touched pixels are ever read, and each is set on its
 * first touch, so a reused buffer needs no clearing; `touched` is cleared over the dirty box on release.
 */
let spare: { data: Float32Array; touched: Uint8Array } | undefined;

export class RgbCanvas {
  /** Float values of touched pixels only (untouched ones are read from the background at the end). */
  private readonly data: Float32Array;
  private readonly touched: Uint8Array;
  private readonly background?: Uint8Array;
  private dirty: ClipBox | null = null;
  private pooled: boolean;

  constructor(
    readonly width: number,
    readonly height: number,
    background?: Uint8Array,
  ) {
    if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
      throw new RangeError(`render size must be positive integers, got ${width}x${height}`);
    }
    if (background && background.length !== width * height * 3) {
      throw new RangeError(`background has ${background.length} bytes, expected ${width}x${height}x3`);
    }
    const n = width * height;
    const reuse = spare && spare.touched.length >= n ? spare : undefined;
    if (reuse) spare = undefined;
    this.pooled = !!reuse;
    this.data = reuse ? reuse.data : new Float32Array(n * 3);
    this.touched = reuse ? reuse.touched : new Uint8Array(n);
    this.background = background;
  }

  /** Hands the buffers back for the next canvas (after toBytes; idempotent). */
  release(): void {
    const b = this.dirty;
    if (b)
      for (let y = b.y0; y <= b.y1; y++)
        this.touched.fill(0, y * this.width + b.x0, y * this.width + b.x1 + 1);
    this.dirty = null;
    // a canvas that found the spare taken made its own buffers: they become the spare if none is left
    if (this.pooled || !spare || spare.touched.length < this.touched.length)
      spare = { data: this.data, touched: this.touched };
    this.pooled = false;
  }

  /**
   * Bytes, each channel truncated: the dataset renders show floor (e.g. 0.6*255 + 0.4*102 = 193.8 is
   * stored as 193). The background, when given, is copied, never changed.
   */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.width * this.height * 3);
    if (this.background) out.set(this.background);
    const box = this.dirty;
    if (!box) return out;
    const d = this.data;
    for (let y = box.y0; y <= box.y1; y++) {
      for (let x = box.x0, p = y * this.width + box.x0; x <= box.x1; x++, p++) {
        if (!this.touched[p]) continue;
        const i = p * 3;
        // +1e-3 absorbs float32 noise below an integer; values stay within 0..255 by construction.
        out[i] = Math.min(255, (d[i] + 1e-3) | 0);
        out[i + 1] = Math.min(255, (d[i + 1] + 1e-3) | 0);
        out[i + 2] = Math.min(255, (d[i + 2] + 1e-3) | 0);
      }
    }
    return out;
  }

  /** Integer pixel range of a float box, clipped to the canvas and the optional clip box; null when empty. */
  private span(x0: number, y0: number, x1: number, y1: number, clip?: ClipBox): ClipBox | null {
    let ax = Math.ceil(x0);
    let ay = Math.ceil(y0);
    let bx = Math.floor(x1);
    let by = Math.floor(y1);
    if (clip) {
      ax = Math.max(ax, Math.ceil(clip.x0));
      ay = Math.max(ay, Math.ceil(clip.y0));
      bx = Math.min(bx, Math.floor(clip.x1));
      by = Math.min(by, Math.floor(clip.y1));
    }
    ax = Math.max(ax, 0);
    ay = Math.max(ay, 0);
    bx = Math.min(bx, this.width - 1);
    by = Math.min(by, this.height - 1);
    return ax > bx || ay > by ? null : { x0: ax, y0: ay, x1: bx, y1: by };
  }

  private blend(x: number, y: number, color: Rgb, alpha: number): void {
    const p = y * this.width + x;
    const i = p * 3;
    const d = this.data;
    if (!this.touched[p]) {
      this.touched[p] = 1;
      if (this.background) {
        d[i] = this.background[i];
        d[i + 1] = this.background[i + 1];
        d[i + 2] = this.background[i + 2];
      } else {
        d[i] = 0;
        d[i + 1] = 0;
        d[i + 2] = 0;
      }
      const b = this.dirty;
      if (!b) this.dirty = { x0: x, y0: y, x1: x, y1: y };
      else {
        if (x < b.x0) b.x0 = x;
        if (x > b.x1) b.x1 = x;
        if (y < b.y0) b.y0 = y;
        if (y > b.y1) b.y1 = y;
      }
    }
    if (alpha >= 1) {
      d[i] = color[0];
      d[i + 1] = color[1];
      d[i + 2] = color[2];
      return;
    }
    const a = F(alpha);
    const b = F(1 - a);
    d[i] = F(a * color[0]) + F(b * d[i]);
    d[i + 1] = F(a * color[1]) + F(b * d[i + 1]);
    d[i + 2] = F(a * color[2]) + F(b * d[i + 2]);
  }

  /** Pixels with inner^2 <= (x-cx)^2 + (y-cy)^2 <= outer^2 (inner <= 0: a filled disc). */
  fillRing(
    cx: number,
    cy: number,
    inner: number,
    outer: number,
    color: Rgb,
    alpha = 1,
    clip?: ClipBox,
  ): void {
    if (!(outer >= 0) || !Number.isFinite(cx) || !Number.isFinite(cy)) return;
    const s = this.span(cx - outer, cy - outer, cx + outer, cy + outer, clip);
    if (!s) return;
    const o2 = outer * outer;
    const i2 = inner > 0 ? inner * inner : -1;
    for (let y = s.y0; y <= s.y1; y++) {
      const dy2 = (y - cy) * (y - cy);
      for (let x = s.x0; x <= s.x1; x++) {
        const d2 = (x - cx) * (x - cx) + dy2;
        if (d2 <= o2 && d2 >= i2) this.blend(x, y, color, alpha);
      }
    }
  }

  fillDisc(cx: number, cy: number, radius: number, color: Rgb, alpha = 1, clip?: ClipBox): void {
    this.fillRing(cx, cy, -1, radius, color, alpha, clip);
  }

  /**
   * OpenPose GPU limb: the ellipse whose major axis runs from (ax, ay) to (bx, by) (so it tapers to a point
   * at both joints) and whose semi-minor axis is `halfWidth`: pixels with A^2/a^2 + B^2/b^2 <= 1.
   */
  fillLimbEllipse(
    ax: number,
    ay: number,
    bx: number,
    by: number,
    halfWidth: number,
    color: Rgb,
    alpha = 1,
    clip?: ClipBox,
  ): void {
    const mx = (ax + bx) / 2;
    const my = (ay + by) / 2;
    const a2 = (ax - mx) * (ax - mx) + (ay - my) * (ay - my);
    const b2 = halfWidth * halfWidth;
    if (!(a2 > 0) || !(b2 > 0)) return; // a zero-length limb is never drawn (0/0 in OpenPose)
    const angle = Math.atan2(by - ay, bx - ax);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    // Bounding box of the rotated ellipse.
    const ex = Math.sqrt(a2 * cos * cos + b2 * sin * sin);
    const ey = Math.sqrt(a2 * sin * sin + b2 * cos * cos);
    const s = this.span(mx - ex, my - ey, mx + ex, my + ey, clip);
    if (!s) return;
    // Per row, the judge is a quadratic in dx: P dx^2 + Q dx + R <= 0; visit only its root interval (+1 px
    // each side) and keep the exact test, so the set of pixels is the same as testing every pixel.
    const P = (cos * cos) / a2 + (sin * sin) / b2;
    const Rk = (sin * sin) / a2 + (cos * cos) / b2;
    const Qk = 2 * cos * sin * (1 / a2 - 1 / b2);
    for (let y = s.y0; y <= s.y1; y++) {
      const dy = y - my;
      const Q = Qk * dy;
      const R = Rk * dy * dy - 1;
      const disc = Q * Q - 4 * P * R;
      if (disc < -1e-9) continue;
      const root = Math.sqrt(Math.max(0, disc));
      const from = Math.max(s.x0, Math.floor(mx + (-Q - root) / (2 * P)) - 1);
      const to = Math.min(s.x1, Math.ceil(mx + (-Q + root) / (2 * P)) + 1);
      for (let x = from; x <= to; x++) {
        const dx = x - mx;
        const A = cos * dx + sin * dy;
        const B = sin * dx - cos * dy;
        if ((A * A) / a2 + (B * B) / b2 <= 1) this.blend(x, y, color, alpha);
      }
    }
  }

  /** A thick line with round caps: pixels within `halfWidth` of the segment (OpenCV-style cv::line). */
  fillCapsule(
    ax: number,
    ay: number,
    bx: number,
    by: number,
    halfWidth: number,
    color: Rgb,
    alpha = 1,
    clip?: ClipBox,
  ): void {
    const s = this.span(
      Math.min(ax, bx) - halfWidth,
      Math.min(ay, by) - halfWidth,
      Math.max(ax, bx) + halfWidth,
      Math.max(ay, by) + halfWidth,
      clip,
    );
    if (!s) return;
    const vx = bx - ax;
    const vy = by - ay;
    const len2 = vx * vx + vy * vy;
    const len = Math.sqrt(len2);
    const h2 = halfWidth * halfWidth;
    for (let y = s.y0; y <= s.y1; y++) {
      // The capsule is convex: its row is the union of the two end discs' rows and the body's row.
      let lo = Infinity;
      let hi = -Infinity;
      const ra = h2 - (y - ay) * (y - ay);
      if (ra >= 0) {
        lo = ax - Math.sqrt(ra);
        hi = ax + Math.sqrt(ra);
      }
      const rb = h2 - (y - by) * (y - by);
      if (rb >= 0) {
        lo = Math.min(lo, bx - Math.sqrt(rb));
        hi = Math.max(hi, bx + Math.sqrt(rb));
      }
      if (len2 > 0) {
        const py = y - ay;
        // |(x-ax) vy - py vx| <= h len and 0 <= (x-ax) vx + py vy <= len2, both linear in x.
        const across = linearRange(vy, -py * vx, -halfWidth * len, halfWidth * len);
        const along = linearRange(vx, py * vy, 0, len2);
        const l = Math.max(across[0], along[0]);
        const r = Math.min(across[1], along[1]);
        if (l <= r) {
          lo = Math.min(lo, ax + l);
          hi = Math.max(hi, ax + r);
        }
      }
      if (!(lo <= hi)) continue;
      const from = Math.max(s.x0, Math.floor(lo) - 1);
      const to = Math.min(s.x1, Math.ceil(hi) + 1);
      for (let x = from; x <= to; x++) {
        const px = x - ax;
        let t = len2 > 0 ? (px * vx + (y - ay) * vy) / len2 : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const dx = px - t * vx;
        const dy = y - ay - t * vy;
        if (dx * dx + dy * dy <= h2) this.blend(x, y, color, alpha);
      }
    }
  }

  /**
   * A filled convex polygon, boundary included: on each pixel row the span between the left and right
   * edges, both ends rounded to the nearest pixel (as OpenCV's fillConvexPoly does for integer vertices).
   */
  fillConvexPolygon(
    pts: ReadonlyArray<readonly [number, number]>,
    color: Rgb,
    alpha = 1,
    clip?: ClipBox,
  ): void {
    if (pts.length === 0) return;
    let minY = Infinity;
    let maxY = -Infinity;
    for (const [, y] of pts) {
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    const s = this.span(-Infinity, minY, Infinity, maxY, clip);
    if (!s) return;
    // Each edge widens the [left, right] span of the rows it crosses.
    const rows = s.y1 - s.y0 + 1;
    const left = new Float64Array(rows).fill(Infinity);
    const right = new Float64Array(rows).fill(-Infinity);
    const n = pts.length;
    for (let i = 0; i < n; i++) {
      const [x0, y0] = pts[i];
      const [x1, y1] = pts[(i + 1) % n];
      const from = Math.max(s.y0, Math.ceil(Math.min(y0, y1)));
      const to = Math.min(s.y1, Math.floor(Math.max(y0, y1)));
      for (let y = from; y <= to; y++) {
        const r = y - s.y0;
        if (y0 === y1) {
          left[r] = Math.min(left[r], x0, x1);
          right[r] = Math.max(right[r], x0, x1);
        } else {
          const x = x0 + ((y - y0) * (x1 - x0)) / (y1 - y0);
          left[r] = Math.min(left[r], x);
          right[r] = Math.max(right[r], x);
        }
      }
    }
    for (let r = 0; r < rows; r++) {
      if (left[r] > right[r]) continue;
      const from = Math.max(s.x0, Math.floor(left[r] + 0.5));
      const to = Math.min(s.x1, Math.floor(right[r] + 0.5));
      for (let x = from; x <= to; x++) this.blend(x, r + s.y0, color, alpha);
    }
  }
}
