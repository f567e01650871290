/**
 * Synthetic OpenPose maps for decoder tests and the benchmark: heatmaps are Gaussians at the keypoints
 * (max over people, background = 1 - max) and each limb's PAF is the unit vector a->b on pixels within
 * `limbWidth` of the segment, averaged where people overlap — the network's training targets.
 */
import type { PafLayout } from '../../../src/pose/paf/layouts.js';
import type { PlanarMaps } from '../../../src/pose/paf/maps.js';
import { seededRandom } from '../../../src/util/random.js';

export type Point = readonly [number, number];
/** Keypoints in the layout's part order, in map pixels; null = missing (not visible). */
export type SyntheticPerson = Array<Point | null>;

export interface RenderOptions {
  /** Heatmap Gaussian sigma in map pixels. */
  sigma?: number;
  /** Half-width of a limb's PAF band, in map pixels. */
  limbWidth?: number;
  /** Limb indices whose PAF stays zero. */
  zeroLimbs?: readonly number[];
}

export function renderMaps(
  layout: PafLayout,
  width: number,
  height: number,
  people: readonly SyntheticPerson[],
  options: RenderOptions = {},
): PlanarMaps {
  const sigma = options.sigma ?? 1.5;
  const limbWidth = options.limbWidth ?? 1.5;
  const n = width * height;
  const channels = layout.heatmapChannels + layout.pafChannels;
  const data = new Float32Array(channels * n);
  const r = Math.ceil(4 * sigma);
  for (const person of people) {
    person.forEach((pt, part) => {
      if (!pt || part >= layout.parts) return;
      const base = part * n;
      for (let y = Math.max(0, Math.floor(pt[1] - r)); y <= Math.min(height - 1, Math.ceil(pt[1] + r)); y++) {
        for (
          let x = Math.max(0, Math.floor(pt[0] - r));
          x <= Math.min(width - 1, Math.ceil(pt[0] + r));
          x++
        ) {
          const v = Math.exp(-((x - pt[0]) ** 2 + (y - pt[1]) ** 2) / (2 * sigma * sigma));
          if (v > data[base + y * width + x]) data[base + y * width + x] = v;
        }
      }
    });
  }
  const bg = (layout.heatmapChannels - 1) * n;
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let part = 0; part < layout.parts; part++) m = Math.max(m, data[part * n + i]);
    data[bg + i] = 1 - m;
  }
  const zero = new Set(options.zeroLimbs ?? []);
  const count = new Float32Array(n);
  layout.limbs.forEach((limb, k) => {
    if (zero.has(k)) return;
    count.fill(0);
    const cx = (layout.heatmapChannels + limb.pafX) * n;
    const cy = (layout.heatmapChannels + limb.pafY) * n;
    for (const person of people) {
      const a = person[limb.a];
      const b = person[limb.b];
      if (!a || !b) continue;
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const len = Math.hypot(dx, dy);
      if (len < 1e-6) continue;
      const ux = dx / len;
      const uy = dy / len;
      const x0 = Math.max(0, Math.floor(Math.min(a[0], b[0]) - limbWidth));
      const x1 = Math.min(width - 1, Math.ceil(Math.max(a[0], b[0]) + limbWidth));
      const y0 = Math.max(0, Math.floor(Math.min(a[1], b[1]) - limbWidth));
      const y1 = Math.min(height - 1, Math.ceil(Math.max(a[1], b[1]) + limbWidth));
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const along = (x - a[0]) * ux + (y - a[1]) * uy;
          const across = Math.abs((x - a[0]) * uy - (y - a[1]) * ux);
          if (along < -limbWidth / 2 || along > len + limbWidth / 2 || across > limbWidth) continue;
          const i = y * width + x;
          data[cx + i] += ux;
          data[cy + i] += uy;
          count[i]++;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      if (count[i] > 1) {
        data[cx + i] /= count[i];
        data[cy + i] /= count[i];
      }
    }
  });
  return { width, height, channels, data };
}

/**
 * A person facing the camera (their right on the image's left), COCO-18 parts relative to the top of
 * the head, in units of body height.
 */
// prettier-ignore
const COCO18_TEMPLATE: Point[] = [
  [0, 0.1], [0, 0.2], [-0.12, 0.2], [-0.16, 0.35], [-0.18, 0.49], [0.12, 0.2], [0.16, 0.35], [0.18, 0.49],
  [-0.07, 0.52], [-0.08, 0.72], [-0.08, 0.93], [0.07, 0.52], [0.08, 0.72], [0.08, 0.93],
  [-0.035, 0.075], [0.035, 0.075], [-0.07, 0.09], [0.07, 0.09],
];
// prettier-ignore
const BODY25_TEMPLATE: Point[] = [
  [0, 0.1], [0, 0.2], [-0.12, 0.2], [-0.16, 0.35], [-0.18, 0.49], [0.12, 0.2], [0.16, 0.35], [0.18, 0.49],
  [0, 0.52], [-0.07, 0.52], [-0.08, 0.72], [-0.08, 0.93], [0.07, 0.52], [0.08, 0.72], [0.08, 0.93],
  [-0.035, 0.075], [0.035, 0.075], [-0.07, 0.09], [0.07, 0.09],
  [0.1, 0.98], [0.14, 0.97], [0.07, 0.955], [-0.1, 0.98], [-0.14, 0.97], [-0.07, 0.955],
];

export interface PersonPlacement {
  /** x of the body's centre line, y of the top of the head (map pixels). */
  x: number;
  y: number;
  /** Body height in map pixels. */
  height: number;
  /** Arm rotations about the shoulders, radians (positive = clockwise on screen). */
  rightArm?: number;
  leftArm?: number;
  /** Parts to leave out. */
  missing?: readonly number[];
}

function rotate(p: Point, about: Point, angle: number): Point {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const dx = p[0] - about[0];
  const dy = p[1] - about[1];
  return [about[0] + c * dx - s * dy, about[1] + s * dx + c * dy];
}

export function makePerson(layout: PafLayout, place: PersonPlacement): SyntheticPerson {
  const template = layout.id === 'body25' ? BODY25_TEMPLATE : COCO18_TEMPLATE;
  const pts: Point[] = template.map(([u, v]) => [place.x + u * place.height, place.y + v * place.height]);
  const arms: Array<[number, number, number, number | undefined]> = [
    [2, 3, 4, place.rightArm],
    [5, 6, 7, place.leftArm],
  ];
  for (const [shoulder, elbow, wrist, angle] of arms) {
    if (!angle) continue;
    pts[elbow] = rotate(pts[elbow], pts[shoulder], angle);
    pts[wrist] = rotate(pts[wrist], pts[shoulder], angle);
  }
  const missing = new Set(place.missing ?? []);
  return pts.map((p, i) => (missing.has(i) ? null : p));
}

/** Deterministic PRNG so that random scenes are reproducible. */
export const rng = seededRandom;

/**
 * `count` people with random heights, positions and arm angles, laid out in grid cells so that no two
 * share a cell (people in neighbouring cells may still come close).
 */
export function randomScene(
  layout: PafLayout,
  count: number,
  width: number,
  height: number,
  seed: number,
): SyntheticPerson[] {
  const random = rng(seed);
  const cols = Math.ceil(Math.sqrt(count * (width / height)));
  const rows = Math.ceil(count / cols);
  const cellW = width / cols;
  const cellH = height / rows;
  const cells = Array.from({ length: cols * rows }, (_, i) => i);
  for (let i = cells.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [cells[i], cells[j]] = [cells[j], cells[i]];
  }
  return cells.slice(0, count).map((cell) => {
    const h = Math.min(cellH * (0.65 + 0.3 * random()), cellW * 2);
    const cx = (cell % cols) * cellW + cellW / 2 + (random() - 0.5) * Math.max(0, cellW - 0.6 * h);
    const top = Math.floor(cell / cols) * cellH + (cellH - h) * random();
    const person = makePerson(layout, {
      x: cx,
      y: top,
      height: h,
      rightArm: (random() - 0.5) * 1.2,
      leftArm: (random() - 0.5) * 1.2,
    });
    return keepInside(person, width, height, 2);
  });
}

/** Shifts a person so that every part lies at least `margin` pixels inside the map. */
export function keepInside(
  person: SyntheticPerson,
  width: number,
  height: number,
  margin: number,
): SyntheticPerson {
  const pts = person.filter((p): p is Point => p !== null);
  const minX = Math.min(...pts.map((p) => p[0]));
  const maxX = Math.max(...pts.map((p) => p[0]));
  const minY = Math.min(...pts.map((p) => p[1]));
  const maxY = Math.max(...pts.map((p) => p[1]));
  const dx = minX < margin ? margin - minX : maxX > width - 1 - margin ? width - 1 - margin - maxX : 0;
  const dy = minY < margin ? margin - minY : maxY > height - 1 - margin ? height - 1 - margin - maxY : 0;
  return person.map((p) => (p ? [p[0] + dx, p[1] + dy] : null));
}
