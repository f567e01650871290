import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  drawLine,
  fillEllipse,
  fillPolygon,
  fillRectangle,
  graySurface,
  rgbSurface,
  type Surface,
} from '../../src/tryon/draw.js';

/** A surface drawn by `draw`, as rows of '#' (set) and '.' (clear). */
function ascii(width: number, height: number, draw: (s: Surface) => void): string[] {
  const s = graySurface(new Uint8Array(width * height), width, height);
  draw(s);
  return Array.from({ length: height }, (_, y) =>
    Array.from({ length: width }, (_, x) => (s.data[y * width + x] ? '#' : '.')).join(''),
  );
}

test('rectangle: inclusive on every side, coordinates truncated toward zero', () => {
  assert.deepEqual(
    ascii(5, 4, (s) => fillRectangle(s, [1, 1, 3, 2], 1)),
    ['.....', '.###.', '.###.', '.....'],
  );
  // 0.9 -> 0 and 2.9 -> 2 (C int cast), not rounding
  assert.deepEqual(
    ascii(4, 3, (s) => fillRectangle(s, [0.9, 0.9, 2.9, 1.9], 1)),
    ['###.', '###.', '....'],
  );
  // negative coordinates truncate toward zero too (-0.5 -> 0), and the rest is clipped
  assert.deepEqual(
    ascii(3, 2, (s) => fillRectangle(s, [-5, -0.5, 1, 0], 1)),
    ['##.', '...'],
  );
});

test('ellipse: filled inside the inclusive box, as PIL rasterises it', () => {
  // a 5x5 box: the corners stay empty, the middle rows span the box
  assert.deepEqual(
    ascii(7, 6, (s) => fillEllipse(s, [0, 0, 4, 4], 1)),
    ['.###...', '#####..', '#####..', '#####..', '.###...', '.......'],
  );
  // a 7x4 box
  assert.deepEqual(
    ascii(9, 6, (s) => fillEllipse(s, [1, 1, 7, 4], 1)),
    ['.........', '..#####..', '.#######.', '.#######.', '..#####..', '.........'],
  );
  // degenerate boxes: a single point draws nothing in PIL, a 2x1 box draws its two pixels
  assert.deepEqual(
    ascii(3, 2, (s) => fillEllipse(s, [0, 0, 0, 0], 1)),
    ['...', '...'],
  );
  assert.deepEqual(
    ascii(3, 2, (s) => fillEllipse(s, [0, 0, 1, 0], 1)),
    ['##.', '...'],
  );
  // fractional boxes are truncated first: (2.7,2.7)-(2.7,3.9) is the 1x2 box at x=2, y=2..3
  assert.deepEqual(
    ascii(5, 5, (s) => fillEllipse(s, [2.7, 2.7, 2.7, 3.9], 1)),
    ['.....', '.....', '..#..', '..#..', '.....'],
  );
});

test('ellipse: a large disk is symmetric and close to the true circle area', () => {
  const n = 401;
  const s = graySurface(new Uint8Array(n * n), n, n);
  fillEllipse(s, [50, 50, 350, 350], 1); // radius 150 around (200, 200)
  let area = 0;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const v = s.data[y * n + x];
      area += v;
      assert.equal(v, s.data[y * n + (400 - x)], `left/right symmetry at ${x},${y}`);
      assert.equal(v, s.data[(400 - y) * n + x], `top/bottom symmetry at ${x},${y}`);
    }
  }
  const exact = Math.PI * 150.5 * 150.5;
  assert.ok(Math.abs(area - exact) / exact < 0.01, `area ${area} vs ${exact.toFixed(0)}`);
  assert.equal(s.data[200 * n + 50], 1);
  assert.equal(s.data[200 * n + 49], 0);
});

test('polygon: filled triangle including its edges', () => {
  assert.deepEqual(
    ascii(6, 6, (s) =>
      fillPolygon(
        s,
        [
          [0, 0],
          [4, 0],
          [0, 4],
        ],
        1,
      ),
    ),
    ['#####.', '####..', '###...', '##....', '#.....', '......'],
  );
});

test('line width 1: Bresenham including both end points', () => {
  assert.deepEqual(
    ascii(5, 2, (s) =>
      drawLine(
        s,
        [
          [0, 0],
          [3, 0],
        ],
        1,
        1,
      ),
    ),
    ['####.', '.....'],
  );
  assert.deepEqual(
    ascii(10, 6, (s) =>
      drawLine(
        s,
        [
          [1, 1],
          [8, 4],
        ],
        1,
      ),
    ),
    ['..........', '.##.......', '...##.....', '.....##...', '.......##.', '..........'],
  );
});

test('wide line: square ends at the end points, PIL splits an even width toward +y', () => {
  // width 3 along x: rows 4..6; the ends are cut exactly at x=1 and x=8
  assert.deepEqual(
    ascii(10, 9, (s) =>
      drawLine(
        s,
        [
          [1, 5],
          [8, 5],
        ],
        1,
        3,
      ),
    ).slice(3, 8),
    ['..........', '.########.', '.########.', '.########.', '..........'],
  );
  // width 4: (4-1)/2 = 1.5 is rounded up on one side and down on the other -> rows 4..7
  assert.deepEqual(
    ascii(10, 9, (s) =>
      drawLine(
        s,
        [
          [1, 5],
          [8, 5],
        ],
        1,
        4,
      ),
    ).slice(3, 9),
    ['..........', '.########.', '.########.', '.########.', '.########.', '..........'],
  );
  // vertical, width 3: columns 4..6
  const v = ascii(10, 10, (s) =>
    drawLine(
      s,
      [
        [5, 1],
        [5, 8],
      ],
      1,
      3,
    ),
  );
  assert.deepEqual(v.slice(0, 3), ['..........', '....###...', '....###...']);
  assert.equal(v[8], '....###...');
  assert.equal(v[9], '..........');
});

test('wide diagonal line covers a band of about its width and nothing far from the segment', () => {
  const n = 60;
  const s = graySurface(new Uint8Array(n * n), n, n);
  drawLine(
    s,
    [
      [10, 10],
      [50, 40],
    ],
    1,
    10,
  );
  let area = 0;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (!s.data[y * n + x]) continue;
      area++;
      // distance to the infinite line through the segment, and position along it
      const t = ((x - 10) * 40 + (y - 10) * 30) / 2500;
      const d = Math.abs((x - 10) * 30 - (y - 10) * 40) / 50;
      assert.ok(d <= 5.5, `pixel ${x},${y} is ${d.toFixed(2)} from the line`);
      assert.ok(t >= -0.03 && t <= 1.03, `pixel ${x},${y} lies beyond an end (t=${t.toFixed(3)})`);
    }
  }
  assert.ok(Math.abs(area - 50 * 10) < 50, `area ${area} vs 500`);
});

test('RGB surfaces take one value per channel; a wrong ink length is an error', () => {
  const s = rgbSurface(new Uint8Array(4 * 2 * 3), 4, 2);
  fillRectangle(s, [1, 0, 2, 0], [128, 64, 32]);
  assert.deepEqual([...s.data.subarray(0, 12)], [0, 0, 0, 128, 64, 32, 128, 64, 32, 0, 0, 0]);
  assert.ok(s.data.subarray(12).every((v) => v === 0));
  assert.throws(() => fillRectangle(s, [0, 0, 1, 1], [1, 2]), /channels/);
  // a number ink paints every channel
  fillRectangle(s, [0, 1, 0, 1], 7);
  assert.deepEqual([...s.data.subarray(12, 15)], [7, 7, 7]);
});

test('shapes far outside the surface are clipped, and NaN coordinates are refused', () => {
  const s = graySurface(new Uint8Array(16), 4, 4);
  fillEllipse(s, [-500, -500, -100, -100], 1);
  fillPolygon(
    s,
    [
      [100, 100],
      [200, 100],
      [150, 300],
    ],
    1,
  );
  drawLine(
    s,
    [
      [-50, 2],
      [-10, 2],
    ],
    1,
    9,
  );
  assert.ok(s.data.every((v) => v === 0));
  // a line crossing the surface draws only its visible part
  drawLine(
    s,
    [
      [-100, 1],
      [100, 1],
    ],
    1,
    1,
  );
  assert.deepEqual([...s.data.subarray(4, 8)], [1, 1, 1, 1]);
  assert.throws(() => fillRectangle(s, [Number.NaN, 0, 1, 1], 1), /finite/);
});
