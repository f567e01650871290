/**
 * The parts the default parser labels internally, the appearance (colour model) each part uses, and the
 * CIHP-20 class each becomes. Skin parts share one skin model and differ only by where they are.
 */
export const PART = {
  BG: 0,
  HAIR: 1,
  FACE: 2,
  NECK: 3,
  UPPER: 4,
  LOWER: 5,
  ARM_R: 6,
  ARM_L: 7,
  LEG_R: 8,
  LEG_L: 9,
  SHOE_R: 10,
  SHOE_L: 11,
  HAT: 12,
} as const;
export const PART_COUNT = 13;

export const APPEARANCE = { BG: 0, SKIN: 1, HAIR: 2, UPPER: 3, LOWER: 4, SHOE: 5, HAT: 6 } as const;
export const APPEARANCE_COUNT = 7;

/** Appearance of each part, indexed by part. */
export const PART_APPEARANCE: readonly number[] = [
  APPEARANCE.BG,
  APPEARANCE.HAIR,
  APPEARANCE.SKIN,
  APPEARANCE.SKIN,
  APPEARANCE.UPPER,
  APPEARANCE.LOWER,
  APPEARANCE.SKIN,
  APPEARANCE.SKIN,
  APPEARANCE.SKIN,
  APPEARANCE.SKIN,
  APPEARANCE.SHOE,
  APPEARANCE.SHOE,
  APPEARANCE.HAT,
];

/** CIHP-20 class of each part (LOWER is pants until the skirt/dress rules decide otherwise). */
export const PART_TO_CIHP: readonly number[] = [0, 2, 13, 10, 5, 9, 15, 14, 17, 16, 19, 18, 1];

export const CIHP = {
  BG: 0,
  HAT: 1,
  HAIR: 2,
  UPPER: 5,
  DRESS: 6,
  COAT: 7,
  PANTS: 9,
  NECK: 10,
  SKIRT: 12,
  FACE: 13,
  ARM_L: 14,
  ARM_R: 15,
  LEG_L: 16,
  LEG_R: 17,
  SHOE_L: 18,
  SHOE_R: 19,
} as const;
