/**
 * Filled drawing primitives that cover exactly the pixels PIL's ImageDraw covers (libImaging/Draw.c):
 * the try-on reference files (VITON-HD / HR-VITON agnostic maps) were drawn with PIL, so matching its
 * rasteriser pixel for pixel is what lets our outputs agree with theirs.
 *
 * Semantics carried over from PIL:
 * - every coordinate is truncated toward zero (a C `(int)` cast) before rasterising;
 * - boxes are inclusive: `ellipse([0,0,4,4])` spans 5 pixels, `rectangle([0,0,4,4])` 5x5;
 * - a wide line is a 4-vertex polygon with square, unrounded ends (`joint` is never used by the callers
 *   we copy, so no joints are drawn), a width <= 1 line is Bresenham's;
 * - polygon edges are scanned with 32-bit float arithmetic, as in C.
 * Anything outside the surface is clipped.
 */

/** A raster to draw on: row-major, `channels` bytes per pixel (1 for a label map or mask, 3 for RGB). */
export interface Surface {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

/** A label / gray value for one-channel surfaces, or one value per channel. */
export type Ink = number | readonly number[];

export type Point = readonly [number, number];
/** `[x0, y0, x1, y1]`, inclusive, as PIL's bounding boxes. */
export type Box = readonly [number, number, number, number];

/** Wraps a one-channel buffer (label map, mask). */
export function graySurface(data: Uint8Array, width: number, height: number): Surface {
  if (data.length !== width * height) throw new Error('buffer length does not match width*height');
  return { width, height, channels: 1, data };
}

/** Wraps an RGB buffer (HWC). */
export function rgbSurface(data: Uint8Array, width: number, height: number): Surface {
  if (data.length !== width * height * 3) throw new Error('buffer length does not match width*height*3');
  return { width, height, channels: 3, data };
}

const f32 = Math.fround;
/** C `(int)` of a double. */
const toInt = (v: number): number => {
  if (!Number.isFinite(v)) throw new Error(`coordinate is not a finite number (${v})`);
  return Math.trunc(v);
};
/** Draw.c ROUND_UP / ROUND_DOWN on a double (half away from / toward zero). */
const roundUp = (f: number): number => (f >= 0 ? Math.floor(f + 0.5) : -Math.floor(Math.abs(f) + 0.5));
const roundDown = (f: number): number => (f >= 0 ? Math.ceil(f - 0.5) : -Math.ceil(Math.abs(f) - 0.5));
/** The same macros on a C float: `f + 0.5F` is a float sum; on the negative side `fabs` makes it double. */
const roundUpF = (f: number): number => (f >= 0 ? Math.floor(f32(f + 0.5)) : -Math.floor(Math.abs(f) + 0.5));
const roundDownF = (f: number): number => (f >= 0 ? Math.ceil(f32(f - 0.5)) : -Math.ceil(Math.abs(f) - 0.5));
/** C roundf: half away from zero. */
const roundF = (f: number): number => (f >= 0 ? Math.floor(f + 0.5) : -Math.floor(-f + 0.5));

function inkBytes(s: Surface, ink: Ink): number[] {
  const v = typeof ink === 'number' ? Array<number>(s.channels).fill(ink) : [...ink];
  if (v.length !== s.channels)
    throw new Error(`ink has ${v.length} values, surface has ${s.channels} channels`);
  return v.map((c) => Math.max(0, Math.min(255, Math.round(c))));
}

type HLine = (x0: number, y: number, x1: number) => void;

/** PIL's hline8/hline32: inclusive span, clipped to the surface. */
function hliner(s: Surface, ink: Ink): HLine {
  const v = inkBytes(s, ink);
  const { width, height, channels, data } = s;
  return (x0, y, x1) => {
    if (y < 0 || y >= height) return;
    if (x0 < 0) x0 = 0;
    else if (x0 >= width) return;
    if (x1 < 0) return;
    else if (x1 >= width) x1 = width - 1;
    if (x0 > x1) return;
    if (channels === 1) data.fill(v[0], y * width + x0, y * width + x1 + 1);
    else {
      for (let x = x0; x <= x1; x++) {
        const o = (y * width + x) * channels;
        for (let c = 0; c < channels; c++) data[o + c] = v[c];
      }
    }
  };
}

function pointer(s: Surface, ink: Ink): (x: number, y: number) => void {
  const h = hliner(s, ink);
  return (x, y) => h(x, y, x);
}

// ---------------------------------------------------------------------------------------------------------
// Polygon scan conversion (Draw.c polygon_generic, non-blending branch)

interface Edge {
  x0: number;
  y0: number;
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  /** float32 slope dx/dy (0 for a horizontal edge) */
  dx: number;
}

function makeEdge(x0: number, y0: number, x1: number, y1: number): Edge {
  return {
    x0,
    y0,
    xmin: Math.min(x0, x1),
    xmax: Math.max(x0, x1),
    ymin: Math.min(y0, y1),
    ymax: Math.max(y0, y1),
    dx: y0 === y1 ? 0 : f32(f32(x1 - x0) / (y1 - y0)),
  };
}

/** x where `edge` crosses row `y`, as C computes it in float: (y - y0) * dx + x0. */
const edgeX = (e: Edge, y: number): number => f32(f32(f32(y - e.y0) * e.dx) + e.x0);

function fillEdges(height: number, edges: Edge[], hline: HLine): void {
  if (edges.length === 0) return;
  let ymin = height - 1;
  let ymax = 0;
  const table: Edge[] = [];
  for (const e of edges) {
    if (ymin > e.ymin) ymin = e.ymin;
    if (ymax < e.ymax) ymax = e.ymax;
    if (e.ymin === e.ymax) {
      hline(e.xmin, e.ymin, e.xmax);
      continue;
    }
    table.push(e);
  }
  if (ymin < 0) ymin = 0;
  if (ymax > height) ymax = height;
  const xx = new Float64Array(table.length * 2);
  for (let y = ymin; y <= ymax; y++) {
    let j = 0;
    for (let i = 0; i < table.length; i++) {
      const cur = table[i];
      if (y < cur.ymin || y > cur.ymax) continue;
      xx[j++] = edgeX(cur, y);
      if (y === cur.ymax && y < ymax) {
        // an edge ending on this row counts twice, so that polygons close consistently
        xx[j] = xx[j - 1];
        j++;
      } else if (cur.dx !== 0 && roundF(xx[j - 1]) === xx[j - 1]) {
        // PIL "connects discontiguous corners": where two edges sloping the same way meet on a whole pixel,
        // it moves a crossing to the neighbouring row's extent. It writes xx[k] (k = the other edge's index
        // in the edge table, not its slot in xx); that quirk is reproduced because it decides pixels.
        for (let k = 0; k < i; k++) {
          const other = table[k];
          if ((cur.dx > 0 && other.dx <= 0) || (cur.dx < 0 && other.dx >= 0)) continue;
          const meets = (y === cur.ymin && y === other.ymin) || (y === cur.ymax && y === other.ymax);
          if (!meets || xx[j - 1] !== edgeX(other, y)) continue;
          const offset = y === ymax ? -1 : 1;
          const a = edgeX(cur, y + offset);
          const b = edgeX(other, y + offset);
          if (y === cur.ymax) xx[k] = cur.dx > 0 ? f32(Math.max(a, b) + 1) : f32(Math.min(a, b) - 1);
          else xx[k] = cur.dx > 0 ? Math.min(a, b) : f32(Math.max(a, b) + 1);
          break;
        }
      }
    }
    const row = xx.subarray(0, j).sort();
    for (let i = 1; i < j; i += 2) hline(roundUpF(row[i - 1]), y, roundDownF(row[i]));
  }
}

/** Filled polygon through `points` (closed automatically), like `ImageDraw.polygon(xy, fill=ink)`. */
export function fillPolygon(s: Surface, points: readonly Point[], ink: Ink): void {
  if (points.length === 0) return;
  const xy = points.flatMap(([x, y]) => [toInt(x), toInt(y)]);
  const count = points.length;
  const edges: Edge[] = [];
  let i = 0;
  for (; i < count - 1; i++) {
    const [x0, y0, x1, y1] = [xy[i * 2], xy[i * 2 + 1], xy[i * 2 + 2], xy[i * 2 + 3]];
    if (y0 === y1 && i !== 0 && y0 === xy[i * 2 - 1]) {
      // a horizontal edge right after another one in the same direction extends it
      const last = edges[edges.length - 1];
      if (x1 > x0 && x0 > xy[i * 2 - 2]) {
        last.xmax = x1;
        continue;
      } else if (x1 < x0 && x0 < xy[i * 2 - 2]) {
        last.xmin = x1;
        continue;
      }
    }
    edges.push(makeEdge(x0, y0, x1, y1));
  }
  if (xy[i * 2] !== xy[0] || xy[i * 2 + 1] !== xy[1])
    edges.push(makeEdge(xy[i * 2], xy[i * 2 + 1], xy[0], xy[1]));
  fillEdges(s.height, edges, hliner(s, ink));
}

// ---------------------------------------------------------------------------------------------------------
// Lines

/** Bresenham's line as PIL draws it for width <= 1 (the end point is not drawn here). */
function thinLine(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  point: (x: number, y: number) => void,
): void {
  let dx = x1 - x0;
  let dy = y1 - y0;
  const xs = dx < 0 ? -1 : 1;
  const ys = dy < 0 ? -1 : 1;
  dx = Math.abs(dx);
  dy = Math.abs(dy);
  if (dx === 0) {
    for (let i = 0; i < dy; i++, y0 += ys) point(x0, y0);
  } else if (dy === 0) {
    for (let i = 0; i < dx; i++, x0 += xs) point(x0, y0);
  } else if (dx > dy) {
    const n = dx;
    dy += dy;
    let e = dy - dx;
    dx += dx;
    for (let i = 0; i < n; i++) {
      point(x0, y0);
      if (e >= 0) {
        y0 += ys;
        e -= dx;
      }
      e += dy;
      x0 += xs;
    }
  } else {
    const n = dy;
    dx += dx;
    let e = dx - dy;
    dy += dy;
    for (let i = 0; i < n; i++) {
      point(x0, y0);
      if (e >= 0) {
        x0 += xs;
        e -= dy;
      }
      e += dx;
      y0 += ys;
    }
  }
}

/** Draw.c ImagingDrawWideLine: the segment as a 4-vertex polygon, ends cut square at the end points. */
function wideLine(s: Surface, x0: number, y0: number, x1: number, y1: number, width: number, ink: Ink): void {
  const dx = x1 - x0;
  const dy = y1 - y0;
  if (dx === 0 && dy === 0) {
    pointer(s, ink)(x0, y0);
    return;
  }
  const big = Math.sqrt(dx * dx + dy * dy);
  const small = (width - 1) / 2;
  const ratioMax = roundUp(small) / big;
  const ratioMin = roundDown(small) / big;
  const dxmin = roundDown(ratioMin * dy);
  const dxmax = roundDown(ratioMax * dy);
  const dymin = roundDown(ratioMin * dx);
  const dymax = roundDown(ratioMax * dx);
  const v: Array<[number, number]> = [
    [x0 - dxmin, y0 + dymax],
    [x1 - dxmin, y1 + dymax],
    [x1 + dxmax, y1 - dymin],
    [x0 + dxmax, y0 - dymin],
  ];
  const edges = v.map(([ax, ay], i) => makeEdge(ax, ay, v[(i + 1) % 4][0], v[(i + 1) % 4][1]));
  fillEdges(s.height, edges, hliner(s, ink));
}

/**
 * `ImageDraw.line(points, fill=ink, width=width)`: each consecutive pair is one segment; segments are not
 * joined (PIL's default `joint=None`).
 */
export function drawLine(s: Surface, points: readonly Point[], ink: Ink, width = 0): void {
  if (!Number.isInteger(width) || width < 0)
    throw new Error(`line width must be a non-negative integer (${width})`);
  const xy = points.map(([x, y]): [number, number] => [toInt(x), toInt(y)]);
  if (width <= 1) {
    const point = pointer(s, ink);
    for (let i = 0; i + 1 < xy.length; i++) thinLine(xy[i][0], xy[i][1], xy[i + 1][0], xy[i + 1][1], point);
    if (xy.length >= 2) point(xy[xy.length - 1][0], xy[xy.length - 1][1]);
    return;
  }
  for (let i = 0; i + 1 < xy.length; i++)
    wideLine(s, xy[i][0], xy[i][1], xy[i + 1][0], xy[i + 1][1], width, ink);
}

// ---------------------------------------------------------------------------------------------------------
// Rectangle

/** `ImageDraw.rectangle(box, fill=ink)`: inclusive on all four sides. */
export function fillRectangle(s: Surface, box: Box, ink: Ink): void {
  let [x0, y0, x1, y1] = box.map(toInt);
  if (x1 < x0) [x0, x1] = [x1, x0];
  if (y1 < y0) [y0, y1] = [y1, y0];
  const hline = hliner(s, ink);
  for (let y = Math.max(0, y0); y <= Math.min(y1, s.height - 1); y++) hline(x0, y, x1);
}

// ---------------------------------------------------------------------------------------------------------
// Ellipse (Draw.c quarter_* / ellipse_* since Pillow 8.2): integer Bresenham on a grid of step 2

class Quarter {
  finished = false;
  private cx = 0;
  private cy = 0;
  private ex = 0;
  private ey = 0;
  private a2 = 0;
  private b2 = 0;
  private a2b2 = 0;
  private big = false;

  constructor(a: number, b: number) {
    if (a < 0 || b < 0) {
      this.finished = true;
      return;
    }
    this.cx = a;
    this.cy = b % 2;
    this.ex = a % 2;
    this.ey = b;
    this.a2 = a * a;
    this.b2 = b * b;
    this.a2b2 = this.a2 * this.b2;
    // beyond 2^53 the products lose integers: switch to BigInt (only for boxes thousands of pixels wide)
    this.big = this.a2b2 > 2 ** 50;
  }

  /** |a²y² + b²x² - a²b²|: how far (x, y) is from the curve; exact (BigInt once doubles would round). */
  private delta(x: number, y: number): number | bigint {
    if (!this.big) return Math.abs(this.a2 * y * y + this.b2 * x * x - this.a2b2);
    const d =
      BigInt(this.a2) * BigInt(y) * BigInt(y) + BigInt(this.b2) * BigInt(x) * BigInt(x) - BigInt(this.a2b2);
    return d < 0n ? -d : d;
  }

  /** The next point of the quarter (x, y >= 0), or undefined when done. */
  next(): [number, number] | undefined {
    if (this.finished) return undefined;
    const ret: [number, number] = [this.cx, this.cy];
    if (this.cx === this.ex && this.cy === this.ey) this.finished = true;
    else {
      let nx = this.cx;
      let ny = this.cy + 2;
      let nd = this.delta(nx, ny);
      if (nx > 1) {
        let d = this.delta(this.cx - 2, this.cy + 2);
        if (nd > d) {
          nx = this.cx - 2;
          ny = this.cy + 2;
          nd = d;
        }
        d = this.delta(this.cx - 2, this.cy);
        if (nd > d) {
          nx = this.cx - 2;
          ny = this.cy;
        }
      }
      this.cx = nx;
      this.cy = ny;
    }
    return ret;
  }
}

/** Yields the horizontal spans [x0, y, x1] of a ring of thickness `w` (in the doubled grid). */
function* ellipseSpans(a: number, b: number, w: number): Generator<[number, number, number]> {
  const leftmost = a % 2;
  const outer = new Quarter(a, b);
  const first = w < 1 ? undefined : outer.next();
  if (!first) return;
  let [pr, py] = first;
  const inner = new Quarter(a - 2 * (w - 1), b - 2 * (w - 1));
  let pl = leftmost;
  let finished = false;
  while (!finished) {
    const y = py;
    let l = pl;
    const r = pr;
    let p: [number, number] | undefined;
    while ((p = outer.next()) && p[1] <= y) {
      /* skip points on rows already covered */
    }
    if (!p) finished = true;
    else [pr, py] = p;
    let q: [number, number] | undefined;
    while ((q = inner.next()) && q[1] <= y) l = q[0];
    pl = q ? q[0] : leftmost;
    // PIL buffers these four and emits them last-in first-out
    const out: Array<[number, number, number]> = [];
    if ((l > 0 || l < r) && y > 0) out.push([l === 0 ? 2 : l, y, r]);
    if (y > 0) out.push([-r, y, -l]);
    if (l > 0 || l < r) out.push([l === 0 ? 2 : l, -y, r]);
    out.push([-r, -y, -l]);
    for (let i = out.length - 1; i >= 0; i--) yield out[i];
  }
}

/** `ImageDraw.ellipse(box, fill=ink)`: filled ellipse inscribed in the inclusive box. */
export function fillEllipse(s: Surface, box: Box, ink: Ink): void {
  const [x0, y0, x1, y1] = box.map(toInt);
  const a = x1 - x0;
  const b = y1 - y0;
  if (a < 0 || b < 0) return;
  const hline = hliner(s, ink);
  for (const [X0, Y, X1] of ellipseSpans(a, b, a + b)) {
    hline(x0 + Math.trunc((X0 + a) / 2), y0 + Math.trunc((Y + b) / 2), x0 + Math.trunc((X1 + a) / 2));
  }
}
