import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridLab, rgbToLab } from '../../../src/parsing/default/color.js';

test('rgbToLab matches CIE Lab (D65) reference values', () => {
  const close = (a: number[], b: number[], tol = 0.05): void =>
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < tol, `${a} vs ${b}`));
  close(rgbToLab(255, 255, 255), [100, 0, 0]);
  close(rgbToLab(0, 0, 0), [0, 0, 0]);
  close(rgbToLab(255, 0, 0), [53.24, 80.09, 67.2], 0.1);
  close(rgbToLab(0, 0, 255), [32.3, 79.19, -107.86], 0.1);
});

test('gridLab averages each cell in linear light and clamps cells outside the photo', () => {
  // 4x2 photo: left 2x2 block black and white in a checker, right block all red
  const rgb = new Uint8Array(4 * 2 * 3);
  const set = (x: number, y: number, c: number[]): void => rgb.set(c, (y * 4 + x) * 3);
  set(0, 0, [0, 0, 0]);
  set(1, 0, [255, 255, 255]);
  set(0, 1, [255, 255, 255]);
  set(1, 1, [0, 0, 0]);
  for (const [x, y] of [
    [2, 0],
    [3, 0],
    [2, 1],
    [3, 1],
  ])
    set(x, y, [255, 0, 0]);
  const lab = gridLab(rgb, 4, 2, { x0: 0, y0: 0, step: 2, width: 3, height: 1 });
  // half white in linear light: Y = 0.5 -> L = 76.07
  assert.ok(Math.abs(lab[0] - 76.07) < 0.1, `L ${lab[0]}`);
  assert.ok(Math.abs(lab[1]) < 0.1 && Math.abs(lab[2]) < 0.1);
  assert.ok(Math.abs(lab[3] - 53.24) < 0.1, 'red cell');
  // the third cell lies outside: it repeats the edge colour (red)
  assert.ok(Math.abs(lab[6] - 53.24) < 0.1, 'clamped cell');
});
