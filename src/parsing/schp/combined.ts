import { UsageError } from '../../errors.js';
import { resolveModelFile } from '../../models/cache.js';
import type { LabelMap, ParseResult, Parser, Photo } from '../../types.js';
import { TO_CIHP, applyTable } from '../labelsets.js';
import type { ParserOptions } from '../registry.js';
import { SchpNetwork } from './parser.js';
import { SCHP_PRESETS } from './presets.js';

/** LIP / ATR face ids (SPEC §1). */
const LIP_FACE = 13;
const ATR_FACE = 11;
const CIHP_NECK = 10;

/**
 * Keeps the largest 8-connected component of a 0/1 mask (ties: the first found in raster order), the
 * way OOTDiffusion keeps the largest neck contour. Returns a new mask.
 */
export function largestComponent(mask: Uint8Array, width: number, height: number): Uint8Array {
  const comp = new Int32Array(mask.length).fill(-1);
  const stack = new Int32Array(mask.length);
  let best = -1;
  let bestSize = 0;
  let next = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || comp[start] >= 0) continue;
    const id = next++;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    comp[start] = id;
    while (top > 0) {
      const p = stack[--top];
      size++;
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if ((dx === 0 && dy === 0) || nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (mask[q] && comp[q] < 0) {
            comp[q] = id;
            stack[top++] = q;
          }
        }
      }
    }
    if (size > bestSize) {
      bestSize = size;
      best = id;
    }
  }
  const out = new Uint8Array(mask.length);
  if (best >= 0) for (let i = 0; i < mask.length; i++) out[i] = comp[i] === best ? 1 : 0;
  return out;
}

/**
 * CIHP-20 from a LIP map and an ATR map of the same photo: LIP classes (Jumpsuits read as Dress), plus
 * Neck (10) where ATR sees face and LIP does not, keeping the largest such region, as OOTDiffusion derives it.
 */
export function combineLipAtr(lip: Uint8Array, atr: Uint8Array, width: number, height: number): Uint8Array {
  if (lip.length !== width * height || atr.length !== lip.length)
    throw new Error('LIP and ATR maps differ in size');
  const out = applyTable(lip, TO_CIHP.lip);
  const neck = new Uint8Array(lip.length);
  for (let i = 0; i < lip.length; i++) neck[i] = atr[i] === ATR_FACE && lip[i] !== LIP_FACE ? 1 : 0;
  const kept = largestComponent(neck, width, height);
  for (let i = 0; i < out.length; i++) if (kept[i]) out[i] = CIHP_NECK;
  return out;
}

/** Parses `schp-lip[:<file>],schp-atr[:<file>]` (either order); a part without a path comes from the cache. */
export function splitCombinedSpec(spec: string): { lip?: string; atr?: string } {
  const parts = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const found: { lip?: string | null; atr?: string | null } = {};
  for (const part of parts) {
    const i = part.indexOf(':');
    const id = i < 0 ? part : part.slice(0, i);
    const path = i < 0 ? null : part.slice(i + 1) || null;
    if (id === 'schp-lip' && found.lip === undefined) found.lip = path;
    else if (id === 'schp-atr' && found.atr === undefined) found.atr = path;
    else throw new UsageError(`"${spec}": a combined parse model is schp-lip[:<file>],schp-atr[:<file>]`);
  }
  if (found.lip === undefined || found.atr === undefined) {
    throw new UsageError(`"${spec}": a combined parse model needs both schp-lip and schp-atr`);
  }
  return { lip: found.lip ?? undefined, atr: found.atr ?? undefined };
}

/** The combined LIP + ATR parser (CIHP-20 with a neck). */
export async function createCombinedSchpParser(spec: string, options: ParserOptions): Promise<Parser> {
  const { lip, atr } = splitCombinedSpec(spec);
  const lipNet = await SchpNetwork.load(
    SCHP_PRESETS['schp-lip'],
    lip ?? (await resolveModelFile('schp-lip')),
  );
  const atrNet = await SchpNetwork.load(
    SCHP_PRESETS['schp-atr'],
    atr ?? (await resolveModelFile('schp-atr')),
  );
  return {
    id: 'schp-lip+atr',
    labelSet: 'cihp',
    async parse(photo: Photo): Promise<ParseResult> {
      const l = await lipNet.predict(photo, { flip: options.flip });
      const a = await atrNet.predict(photo, { flip: options.flip });
      const map: LabelMap = {
        width: photo.width,
        height: photo.height,
        labels: combineLipAtr(l.labels, a.labels, photo.width, photo.height),
        set: 'cihp',
      };
      return { map };
    },
    dispose() {},
  };
}
