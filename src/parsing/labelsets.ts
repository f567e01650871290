import type { LabelSetId } from '../types.js';

/**
 * Label sets as data (SPEC §1): class names, display palettes, and mappings between sets. The pixel value
 * of a label map IS the class id; palettes only colour it for people to look at.
 */
export type Rgb = readonly [number, number, number];

export interface LabelSet {
  readonly id: LabelSetId;
  readonly names: readonly string[];
  readonly palette: readonly Rgb[];
}

/** Value for pixels that a metric must ignore (LIP protocol). */
export const IGNORE = 255;

/** PASCAL-VOC colour map as SCHP writes it: bit k of j goes to bit 7 - floor(k/3) of channel k mod 3. */
export function vocPalette(n = 256): Rgb[] {
  const out: Rgb[] = [];
  for (let j = 0; j < n; j++) {
    const c = [0, 0, 0];
    for (let k = 0, v = j; v > 0; k++, v >>= 1) {
      if (v & 1) c[k % 3] |= 1 << (7 - Math.floor(k / 3));
    }
    out.push([c[0], c[1], c[2]]);
  }
  return out;
}

const LIP_NAMES = [
  'Background',
  'Hat',
  'Hair',
  'Glove',
  'Sunglasses',
  'Upper-clothes',
  'Dress',
  'Coat',
  'Socks',
  'Pants',
  'Jumpsuits',
  'Scarf',
  'Skirt',
  'Face',
  'Left-arm',
  'Right-arm',
  'Left-leg',
  'Right-leg',
  'Left-shoe',
  'Right-shoe',
];

/** CIHP_PGN's display palette (what VITON-HD's image-parse-v3 files show). */
export const CIHP_PALETTE: Rgb[] = [
  [0, 0, 0],
  [128, 0, 0],
  [255, 0, 0],
  [0, 85, 0],
  [170, 0, 51],
  [255, 85, 0],
  [0, 0, 85],
  [0, 119, 221],
  [85, 85, 0],
  [0, 85, 85],
  [85, 51, 0],
  [52, 86, 128],
  [0, 128, 0],
  [0, 0, 255],
  [51, 170, 221],
  [0, 255, 255],
  [85, 255, 170],
  [170, 255, 85],
  [255, 255, 0],
  [255, 170, 0],
];

const VOC = vocPalette(20);

export const LABEL_SETS: Readonly<Record<LabelSetId, LabelSet>> = {
  cihp: {
    id: 'cihp',
    names: LIP_NAMES.map((n, i) => (i === 10 ? 'Neck' : n)),
    palette: CIHP_PALETTE,
  },
  lip: { id: 'lip', names: LIP_NAMES, palette: VOC },
  atr: {
    id: 'atr',
    names: [
      'Background',
      'Hat',
      'Hair',
      'Sunglasses',
      'Upper-clothes',
      'Skirt',
      'Pants',
      'Dress',
      'Belt',
      'Left-shoe',
      'Right-shoe',
      'Face',
      'Left-leg',
      'Right-leg',
      'Left-arm',
      'Right-arm',
      'Bag',
      'Scarf',
    ],
    palette: VOC.slice(0, 18),
  },
  pascal: {
    id: 'pascal',
    names: ['Background', 'Head', 'Torso', 'Upper Arms', 'Lower Arms', 'Upper Legs', 'Lower Legs'],
    palette: VOC.slice(0, 7),
  },
  viton13: {
    id: 'viton13',
    names: [
      'background',
      'hair',
      'face',
      'upper',
      'bottom',
      'left_arm',
      'right_arm',
      'left_leg',
      'right_leg',
      'left_shoe',
      'right_shoe',
      'socks',
      'noise',
    ],
    palette: VOC.slice(0, 13),
  },
  dresscode: {
    id: 'dresscode',
    names: [
      'bg',
      'hat',
      'hair',
      'sunglasses',
      'upper_clothes',
      'skirt',
      'pants',
      'dress',
      'belt',
      'left_shoe',
      'right_shoe',
      'head',
      'left_leg',
      'right_leg',
      'left_arm',
      'right_arm',
      'bag',
      'scarf',
    ],
    palette: VOC.slice(0, 18),
  },
};

export const OUTPUT_LABEL_SETS = ['cihp', 'lip', 'atr', 'pascal'] as const;
export type OutputLabelSetId = (typeof OUTPUT_LABEL_SETS)[number];

/** A lookup table: `table[srcClass]` is the destination class (IGNORE where the pixel must not count). */
export type LabelTable = Uint8Array;

function table(map: readonly number[]): LabelTable {
  const t = new Uint8Array(256).fill(IGNORE);
  map.forEach((v, i) => (t[i] = v));
  return t;
}

/**
 * CIHP-20 -> other sets. LIP has no torso-skin class (its 10 is Jumpsuits): the neck becomes background.
 * ATR's Face covers the neck (OOTDiffusion derives the neck as ATR face minus LIP face). Pascal's upper
 * and lower limbs cannot come from labels alone: see `splitLimbsForPascal` users, this table gives upper.
 */
// prettier-ignore
export const CIHP_TO: Readonly<Record<'lip' | 'atr' | 'pascal' | 'viton13', LabelTable>> = {
  lip: table([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 11, 12, 13, 14, 15, 16, 17, 18, 19]),
  atr: table([0, 1, 2, 0, 3, 4, 7, 4, 0, 6, 11, 17, 5, 11, 14, 15, 12, 13, 9, 10]),
  pascal: table([0, 1, 1, 4, 1, 2, 2, 2, 6, 5, 2, 2, 5, 1, 3, 3, 5, 5, 6, 6]),
  viton13: table([0, 1, 1, 12, 2, 3, 3, 3, 11, 4, 0, 12, 4, 2, 5, 6, 7, 8, 9, 10]),
};

/** Other sets -> CIHP-20 (what a set's class means in CIHP terms; IGNORE where CIHP has no such class). */
// prettier-ignore
export const TO_CIHP: Readonly<Record<'lip' | 'atr' | 'dresscode', LabelTable>> = {
  // LIP jumpsuits are a full-body garment: closest CIHP class is dress.
  lip: table([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 6, 11, 12, 13, 14, 15, 16, 17, 18, 19]),
  // ATR/Dress Code belt and bag have no CIHP class: ignored when scoring.
  atr: table([0, 1, 2, 4, 5, 12, 9, 6, IGNORE, 18, 19, 13, 16, 17, 14, 15, IGNORE, 11]),
  dresscode: table([0, 1, 2, 4, 5, 12, 9, 6, IGNORE, 18, 19, 13, 16, 17, 14, 15, IGNORE, 11]),
};

/** Applies a lookup table to a label array (returns a new array). */
export function applyTable(labels: Uint8Array, t: LabelTable): Uint8Array {
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = t[labels[i]];
  return out;
}

/** Composes two tables (first a, then b); IGNORE stays IGNORE. */
export function composeTables(a: LabelTable, b: LabelTable): LabelTable {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) t[i] = a[i] === IGNORE ? IGNORE : b[a[i]];
  return t;
}

/**
 * The table that brings a set's labels to the VITON-13 grouping (for comparing maps of different sets).
 * `neckAs: 'face'` scores CIHP's neck as head, as Dress Code's `head` class includes the neck.
 */
export function toViton13Table(
  set: LabelSetId,
  options: { neckAs?: 'background' | 'face' } = {},
): LabelTable {
  const fromCihp = new Uint8Array(CIHP_TO.viton13);
  if (options.neckAs === 'face') fromCihp[10] = 2;
  if (set === 'cihp') return fromCihp;
  if (set === 'viton13') return table(Array.from({ length: 13 }, (_, i) => i));
  if (set === 'lip' || set === 'atr' || set === 'dresscode') return composeTables(TO_CIHP[set], fromCihp);
  throw new Error(`no VITON-13 grouping for label set "${set}"`);
}

export function labelSet(id: LabelSetId): LabelSet {
  return LABEL_SETS[id];
}
