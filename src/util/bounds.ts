/** Bounds of a set of points, for crops and boxes. */
export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The smallest axis-aligned bounds holding `points` (undefined when there are none). */
export function pointBounds(points: Iterable<{ x: number; y: number }>): Bounds | undefined {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of points) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x);
    y1 = Math.max(y1, p.y);
  }
  return x0 === Infinity ? undefined : { x0, y0, x1, y1 };
}
