/**
 * Debug overlays of the network's maps over the photo: `<id>_heatmaps.png` (strongest part heatmap,
 * colour = strength) and `<id>_pafs.png` (strongest limb field, hue = direction, brightness = length).
 */
import { join } from 'node:path';
import { encodeRgbPng } from '../../image/decode.js';
import { writeFileAtomic } from '../../io/atomic.js';
import type { Photo } from '../../types.js';
import type { PafLayout } from '../paf/layouts.js';
import { mapChannel, resizeMaps, type PlanarMaps } from '../paf/maps.js';

/** Reduces the maps to 3 channels (max heatmap, best PAF x, best PAF y) before upsampling to the photo. */
export function summariseMaps(maps: PlanarMaps, layout: PafLayout): PlanarMaps {
  const n = maps.width * maps.height;
  const out = new Float32Array(3 * n);
  for (let part = 0; part < layout.parts; part++) {
    const h = mapChannel(maps, part);
    for (let i = 0; i < n; i++) if (h[i] > out[i]) out[i] = h[i];
  }
  const best = new Float32Array(n);
  for (const limb of layout.limbs) {
    const fx = mapChannel(maps, layout.heatmapChannels + limb.pafX);
    const fy = mapChannel(maps, layout.heatmapChannels + limb.pafY);
    for (let i = 0; i < n; i++) {
      const m = fx[i] * fx[i] + fy[i] * fy[i];
      if (m > best[i]) {
        best[i] = m;
        out[n + i] = fx[i];
        out[2 * n + i] = fy[i];
      }
    }
  }
  return { width: maps.width, height: maps.height, channels: 3, data: out };
}

/** Hue in 0..1 -> RGB 0..1 at full saturation and value. */
function hueRgb(h: number): [number, number, number] {
  const k = (n: number): number => {
    const x = (n + h * 6) % 6;
    return 1 - Math.max(0, Math.min(x, 4 - x, 1));
  };
  return [k(5), k(3), k(1)];
}

/** Blue -> cyan -> yellow -> red for 0..1. */
function heatRgb(v: number): [number, number, number] {
  return hueRgb((2 / 3) * (1 - Math.min(1, Math.max(0, v))));
}

/** Renders both overlays as RGB pixels of the photo's size. */
export function renderDebugOverlays(
  photo: Photo,
  maps: PlanarMaps,
  layout: PafLayout,
): { heat: Uint8Array; paf: Uint8Array } {
  const { width, height, rgb } = photo;
  const full = resizeMaps(summariseMaps(maps, layout), width, height);
  const n = width * height;
  const heat = new Uint8Array(n * 3);
  const paf = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const v = Math.min(1, Math.max(0, full.data[i]));
    const c = heatRgb(v);
    const a = Math.min(1, v * 1.5) * 0.8;
    const fx = full.data[n + i];
    const fy = full.data[2 * n + i];
    const mag = Math.min(1, Math.hypot(fx, fy));
    const hue = (Math.atan2(fy, fx) / (2 * Math.PI) + 1) % 1;
    const d = hueRgb(hue);
    const b = mag * 0.85;
    for (let ch = 0; ch < 3; ch++) {
      const base = rgb[i * 3 + ch] * 0.45;
      heat[i * 3 + ch] = Math.round(base * (1 - a) + 255 * c[ch] * a);
      paf[i * 3 + ch] = Math.round(base * (1 - b) + 255 * d[ch] * b);
    }
  }
  return { heat, paf };
}

export async function writeDebugMaps(
  dir: string,
  photo: Photo,
  maps: PlanarMaps,
  layout: PafLayout,
): Promise<void> {
  const { heat, paf } = renderDebugOverlays(photo, maps, layout);
  await writeFileAtomic(
    join(dir, `${photo.id}_heatmaps.png`),
    await encodeRgbPng(heat, photo.width, photo.height),
  );
  await writeFileAtomic(
    join(dir, `${photo.id}_pafs.png`),
    await encodeRgbPng(paf, photo.width, photo.height),
  );
}
