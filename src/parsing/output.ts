import { encodeIndexedPng } from '../image/png.js';
import { encodeRgbPng } from '../image/decode.js';
import type { LabelMap, Photo } from '../types.js';
import { labelSet, type Rgb } from './labelsets.js';

/**
 * Writers for S-maps: the palette PNG that try-on code reads (index = class id) and a colour overlay for
 * people to look at.
 */

/** The set's palette padded to 256 entries the way PIL pads a "P" image's palette (entry i = gray i). */
export function fullPalette(set: LabelMap['set']): Rgb[] {
  const own = labelSet(set).palette;
  return Array.from({ length: 256 }, (_, i): Rgb => own[i] ?? [i, i, i]);
}

/** An 8-bit palette PNG of the map's exact size; pixel index = class id; palette = the set's. */
export function sMapPng(map: LabelMap): Buffer {
  if (map.labels.length !== map.width * map.height)
    throw new Error('label map size does not match its labels');
  return encodeIndexedPng(map.labels, map.width, map.height, fullPalette(map.set));
}

// A 5x7 bitmap font (rows top to bottom, 5 bits each, MSB = left): the legend must not depend on
// system fonts, which a bare server or CI machine may not have.
// prettier-ignore
const GLYPHS: Record<string, readonly number[]> = {
  A: [14, 17, 17, 31, 17, 17, 17], B: [30, 17, 17, 30, 17, 17, 30], C: [14, 17, 16, 16, 16, 17, 14],
  D: [30, 17, 17, 17, 17, 17, 30], E: [31, 16, 16, 30, 16, 16, 31], F: [31, 16, 16, 30, 16, 16, 16],
  G: [14, 17, 16, 23, 17, 17, 15], H: [17, 17, 17, 31, 17, 17, 17], I: [14, 4, 4, 4, 4, 4, 14],
  J: [7, 2, 2, 2, 2, 18, 12], K: [17, 18, 20, 24, 20, 18, 17], L: [16, 16, 16, 16, 16, 16, 31],
  M: [17, 27, 21, 21, 17, 17, 17], N: [17, 17, 25, 21, 19, 17, 17], O: [14, 17, 17, 17, 17, 17, 14],
  P: [30, 17, 17, 30, 16, 16, 16], Q: [14, 17, 17, 17, 21, 18, 13], R: [30, 17, 17, 30, 20, 18, 17],
  S: [15, 16, 16, 14, 1, 1, 30], T: [31, 4, 4, 4, 4, 4, 4], U: [17, 17, 17, 17, 17, 17, 14],
  V: [17, 17, 17, 17, 17, 10, 4], W: [17, 17, 17, 21, 21, 21, 10], X: [17, 17, 10, 4, 10, 17, 17],
  Y: [17, 17, 10, 4, 4, 4, 4], Z: [31, 1, 2, 4, 8, 16, 31], '-': [0, 0, 0, 31, 0, 0, 0],
  _: [0, 0, 0, 0, 0, 0, 31], ' ': [0, 0, 0, 0, 0, 0, 0], '0': [14, 17, 19, 21, 25, 17, 14],
  '1': [4, 12, 4, 4, 4, 4, 14], '2': [14, 17, 1, 2, 4, 8, 31], '3': [30, 1, 1, 14, 1, 1, 30],
  '4': [2, 6, 10, 18, 31, 2, 2], '5': [31, 16, 30, 1, 1, 17, 14], '6': [6, 8, 16, 30, 17, 17, 14],
  '7': [31, 1, 2, 4, 8, 8, 8], '8': [14, 17, 17, 14, 17, 17, 14], '9': [14, 17, 17, 15, 1, 2, 12],
};

/** Draws `text` (upper-cased; unknown characters as blanks) into an RGB buffer at (x, y), `scale` px per dot. */
export function drawText(
  rgb: Uint8Array,
  width: number,
  height: number,
  text: string,
  x: number,
  y: number,
  scale: number,
  color: Rgb,
): void {
  let cx = x;
  for (const ch of text.toUpperCase()) {
    const rows = GLYPHS[ch] ?? GLYPHS[' '];
    for (let r = 0; r < 7; r++) {
      for (let c = 0; c < 5; c++) {
        if (!((rows[r] >> (4 - c)) & 1)) continue;
        for (let dy = 0; dy < scale; dy++) {
          const py = y + r * scale + dy;
          if (py < 0 || py >= height) continue;
          for (let dx = 0; dx < scale; dx++) {
            const px = cx + c * scale + dx;
            if (px < 0 || px >= width) continue;
            rgb.set(color, (py * width + px) * 3);
          }
        }
      }
    }
    cx += 6 * scale;
  }
}

/**
 * The photo with each labelled pixel tinted by its class colour (background left as is), and a legend
 * panel on the right listing the classes present with their colour and name.
 */
export async function sMapOverlayPng(photo: Photo, map: LabelMap): Promise<Buffer> {
  const { rgb, width } = sMapOverlay(photo, map);
  return encodeRgbPng(rgb, width, photo.height, { light: true });
}

/** Pixels per label value (256 entries). A sync function: V8 optimises loops in async ones poorly. */
export function labelCounts(labels: Uint8Array): Uint32Array {
  const counts = new Uint32Array(256);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

/** The overlay's pixels (photo width + legend panel) x photo height, RGB. */
export function sMapOverlay(photo: Photo, map: LabelMap): { rgb: Uint8Array; width: number } {
  const { width: w, height: h } = photo;
  if (map.width !== w || map.height !== h) throw new Error('label map and photo differ in size');
  const set = labelSet(map.set);
  const palette = fullPalette(map.set);
  const counts = labelCounts(map.labels);
  const present = [...counts.keys()].filter((c) => c !== 0 && counts[c] > 0);

  const scale = Math.max(1, Math.round(h / 512));
  const lineH = 10 * scale;
  const legendText = (c: number): string => `${c} ${set.names[c] ?? ''}`;
  const longest = Math.max(6, ...present.map((c) => legendText(c).length));
  const panelW = (4 + 9 + 6 * longest + 4) * scale;
  const outW = w + panelW;
  const out = new Uint8Array(outW * h * 3).fill(255);
  const alpha = 0.55;
  // blended values per (label, channel, photo value): a table lookup per pixel instead of arithmetic
  const blend = new Uint8Array(256 * 3 * 256);
  for (const l of present) {
    for (let k = 0; k < 3; k++) {
      const base = (l * 3 + k) * 256;
      for (let v = 0; v < 256; v++) blend[base + v] = Math.round((1 - alpha) * v + alpha * palette[l][k]);
    }
  }
  const { rgb } = photo;
  const labels = map.labels;
  let i = 0; // pixel index in the photo
  for (let y = 0; y < h; y++) {
    let o = y * outW * 3;
    for (let x = 0; x < w; x++, i++, o += 3) {
      const l = labels[i];
      const s = i * 3;
      if (l === 0) {
        out[o] = rgb[s];
        out[o + 1] = rgb[s + 1];
        out[o + 2] = rgb[s + 2];
      } else {
        const base = l * 768;
        out[o] = blend[base + rgb[s]];
        out[o + 1] = blend[base + 256 + rgb[s + 1]];
        out[o + 2] = blend[base + 512 + rgb[s + 2]];
      }
    }
  }
  drawText(out, outW, h, set.id, w + 4 * scale, 4 * scale, scale, [0, 0, 0]);
  present.forEach((c, row) => {
    const top = 4 * scale + (row + 1) * (lineH + 2 * scale);
    if (top + lineH > h) return;
    for (let y = top; y < top + 7 * scale; y++) {
      for (let x = w + 4 * scale; x < w + 11 * scale; x++) out.set(palette[c], (y * outW + x) * 3);
    }
    drawText(out, outW, h, legendText(c), w + 13 * scale, top, scale, [0, 0, 0]);
  });
  return { rgb: out, width: outW };
}
