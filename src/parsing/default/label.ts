import type { Grid } from './color.js';
import { edgeWeights, meanField, type CrfResult } from './crf.js';
import {
  chainDistance,
  ellipseRadius,
  polygonSignedDistance,
  type BodyModel,
  type Chain,
} from './geometry.js';
import { fitGmm, gmmNll, type Gmm } from './gmm.js';
import { APPEARANCE, APPEARANCE_COUNT, PART, PART_APPEARANCE, PART_COUNT } from './parts.js';
import { coveredFromAbove, positionCosts, SKIN_PARTS } from './zones.js';
import { geodesicDistance } from './geodesic.js';

/**
 * Labels one person on a coarse grid: colour models learned from this photo (skin from the face, hair
 * above it, garments from the torso and thighs, shoes at the feet, background outside the matte), plus
 * position priors from the skeleton and the matte, made coherent by a CRF; then the colour models are
 * refitted on the result and the labelling is run again.
 */
export interface LabelInput {
  grid: Grid;
  /** n x 3 Lab per cell */
  lab: Float32Array;
  /** n: person probability per cell (0 where another person owns it) */
  matte: Float32Array;
  body: BodyModel;
  /** Optional n x PART_COUNT costs from a learned body-part prior (e.g. BodyPix), added to the zones'. */
  prior?: Float32Array;
}

export interface LabelOutput {
  parts: Uint8Array;
  /** n x PART_COUNT marginals */
  q: Float32Array;
  /** colour model per appearance (undefined: none could be learned) */
  models: Array<Gmm | undefined>;
  /** n x PART_COUNT unary costs of the last pass */
  unary: Float32Array;
  /** seed cells per appearance (for inspection) */
  seeds: number[][];
  /** garment reach per cell, 0..1 (for inspection) */
  reach?: Float32Array;
  /** cells where the matte was not trusted (see shadedBeyondArmWidth): background there stays background */
  matteDoubt?: Uint8Array;
}

export interface LabelOptions {
  /** Lightness weight in colour features (shading changes L most). */
  lightWeight: number;
  /** Cap on a colour model's cost relative to the best model. */
  colourCap: number;
  colourWeight: number;
  matteWeight: number;
  crfWeight: number;
  crfSigma: number;
  refits: number;
  /** Cost added to skin parts at cells joined to a garment's seeds without a colour edge (0: off). */
  garmentReach: number;
  /** Geodesic distance (colour units) over which that cost fades. */
  garmentReachScale: number;
  /** Colour steps up to this size are texture, not edges. */
  garmentReachNoise: number;
  /** Lightness below which colour on the face counts for less (0: off); see faceShadowTrust. */
  faceShadowL: number;
  /** Same for the arms' zones outside the torso: a limb in deep shadow is told apart by position. */
  armShadowL: number;
  /** Refit passes also fit a skin model per limb on its own confident cells (limbs lit unlike the face). */
  limbSkin: boolean;
  /** Marginal above which a limb cell counts as confidently labelled. */
  limbSkinConfidence: number;
  /** Fewest confident cells for a limb's own model. */
  limbSkinMinCells: number;
  /**
   * How much worse (mean negative log-likelihood per cell) the shared skin model must explain a limb's
   * confident cells than its own seeds before the limb gets its own model.
   */
  limbSkinMismatch: number;
  /**
   * Refit passes: cost added to neck skin on cells the upper garment covers from above (see
   * coveredFromAbove; 0: off), and to the face and limbs there outside their own zones.
   */
  coveredNeckCost: number;
  /** How far up (body-scale units) the skin above such a cell may run, and the garment's least extent. */
  coveredNeckReach: number;
  coveredNeckRun: number;
  /**
   * Refit passes: in shaded cells of a forearm's zone farther from its centre line than this times the
   * forearm's lit half-width, the matte counts for no more than an even one (0: off); see
   * shadedBeyondArmWidth.
   */
  armWidthFactor: number;
}

export const DEFAULT_LABEL_OPTIONS: LabelOptions = {
  lightWeight: 0.5,
  colourCap: 14,
  colourWeight: 1,
  matteWeight: 4,
  crfWeight: 1.6,
  crfSigma: 9,
  refits: 1,
  garmentReach: 2.5,
  garmentReachScale: 0.3,
  garmentReachNoise: 0.02,
  faceShadowL: 30,
  armShadowL: 30,
  limbSkin: true,
  limbSkinConfidence: 0.8,
  limbSkinMinCells: 30,
  limbSkinMismatch: 3,
  coveredNeckCost: 20,
  coveredNeckReach: 0.3,
  coveredNeckRun: 0.03,
  armWidthFactor: 1,
};

const COMPONENTS = [5, 3, 3, 4, 4, 3, 3]; // per appearance: bg, skin, hair, upper, lower, shoe, hat
const MIN_SEEDS = 12;
const LIMB_COMPONENTS = 2;
const NOT_SKIN: readonly number[] = [
  APPEARANCE.UPPER,
  APPEARANCE.LOWER,
  APPEARANCE.HAIR,
  APPEARANCE.SHOE,
  APPEARANCE.HAT,
];

/** A broad prior for skin when the face is not in the photo (Lab, L weighted later). */
const GENERIC_SKIN = { L: 62, a: 14, b: 17, sd: [14, 6, 7] };

function genericSkin(lightWeight: number): Gmm {
  const sd = [GENERIC_SKIN.sd[0] * lightWeight, GENERIC_SKIN.sd[1], GENERIC_SKIN.sd[2]];
  const det = (sd[0] * sd[1] * sd[2]) ** 2;
  return {
    k: 1,
    weights: Float64Array.of(1),
    means: Float64Array.of(GENERIC_SKIN.L * lightWeight, GENERIC_SKIN.a, GENERIC_SKIN.b),
    inv: Float64Array.of(1 / sd[0] ** 2, 0, 0, 1 / sd[1] ** 2, 0, 1 / sd[2] ** 2),
    logConst: Float64Array.of(-0.5 * Math.log(det * (2 * Math.PI) ** 3)),
  };
}

function features(lab: Float32Array, lightWeight: number): Float32Array {
  const f = new Float32Array(lab.length);
  for (let i = 0; i < lab.length; i += 3) {
    f[i] = lab[i] * lightWeight;
    f[i + 1] = lab[i + 1];
    f[i + 2] = lab[i + 2];
  }
  return f;
}

function gather(f: Float32Array, cells: number[]): Float32Array {
  const out = new Float32Array(cells.length * 3);
  cells.forEach((c, i) => {
    out[i * 3] = f[c * 3];
    out[i * 3 + 1] = f[c * 3 + 1];
    out[i * 3 + 2] = f[c * 3 + 2];
  });
  return out;
}

function fit(f: Float32Array, cells: number[], k: number): Gmm | undefined {
  if (cells.length < MIN_SEEDS) return undefined;
  return fitGmm(gather(f, cells), cells.length, k);
}

/**
 * Skin seen in one light (the face) must also be recognised in shade and in highlight elsewhere on the
 * body: the samples are joined by darker and lighter copies (L scaled, chroma scaled less).
 */
function fitSkin(f: Float32Array, cells: number[], k: number): Gmm | undefined {
  if (cells.length < MIN_SEEDS) return undefined;
  const base = gather(f, cells);
  const m = cells.length;
  const x = new Float32Array(m * 9);
  x.set(base);
  for (let i = 0; i < m; i++) {
    x[(m + i) * 3] = base[i * 3] * 0.6;
    x[(m + i) * 3 + 1] = base[i * 3 + 1] * 0.8;
    x[(m + i) * 3 + 2] = base[i * 3 + 2] * 0.8;
    x[(2 * m + i) * 3] = Math.min(100, base[i * 3] * 1.2);
    x[(2 * m + i) * 3 + 1] = base[i * 3 + 1] * 0.9;
    x[(2 * m + i) * 3 + 2] = base[i * 3 + 2] * 0.9;
  }
  return fitGmm(x, 3 * m, k, { maxSamples: 2400 });
}

/** Whether a cell's Lab colour could be skin: reddish-yellow hue, some chroma, not near black. */
export function isSkinHue(lab: Float32Array, i: number): boolean {
  const L = lab[i * 3];
  const a = lab[i * 3 + 1];
  const b = lab[i * 3 + 2];
  if (L < 15 || a < 2 || b < 3) return false;
  const hue = (Math.atan2(b, a) * 180) / Math.PI;
  return hue > 15 && hue < 85 && Math.hypot(a, b) > 6;
}

/** Seed cells per appearance from the skeleton's most certain zones. */
export function seedCells(input: LabelInput): number[][] {
  const { grid, matte, body } = input;
  const S = body.scale;
  const seeds: number[][] = Array.from({ length: APPEARANCE_COUNT }, () => []);
  const torso = body.torso.length >= 4 ? body.torso : undefined;
  const handCells: number[] = [];
  // crown cells by a looser rule, for short hair or a face ellipse reaching the hairline
  const looseCrown: number[] = [];
  for (let gy = 0; gy < grid.height; gy++) {
    const y = grid.y0 + (gy + 0.5) * grid.step;
    for (let gx = 0; gx < grid.width; gx++) {
      const x = grid.x0 + (gx + 0.5) * grid.step;
      const i = gy * grid.width + gx;
      const m = matte[i];
      if (m < 0.1) {
        seeds[APPEARANCE.BG].push(i);
        continue;
      }
      if (m < 0.7) continue;
      const eFace = body.face ? ellipseRadius(x, y, body.face) : Infinity;
      if (eFace < 0.55) seeds[APPEARANCE.SKIN].push(i);
      else {
        // hands: past the wrist, nearly always bare
        for (const arm of body.arms) {
          if (!arm || arm.points.length < 4) continue;
          const [, , wrist, tip] = arm.points;
          const d = chainDistance(x, y, {
            points: [{ x: wrist.x + (tip.x - wrist.x) * 0.35, y: wrist.y + (tip.y - wrist.y) * 0.35 }, tip],
            radius: 0,
          });
          if (d < arm.radius * 0.45) handCells.push(i);
        }
      }
      if (body.head && body.face && eFace > 1.0) {
        // the crown: above the face's top along its own axis (a tilted head keeps its hair on top), inside
        // a generous skull circle; forehead skin caught here is removed with the other skin-like seeds
        const f = body.face;
        const up = (x - f.cx) * Math.sin(f.angle) - (y - f.cy) * Math.cos(f.angle);
        const inSkull = Math.hypot(x - body.head.cx, y - body.head.cy) < body.head.r * 1.15;
        if (up > 0.8 * f.ry && eFace > 1.05 && inSkull) seeds[APPEARANCE.HAIR].push(i);
        else if (up > 0.5 * f.ry && inSkull) looseCrown.push(i);
      }
      // an arm lying across the torso or resting on a thigh is not the garment there
      const onArm = body.arms.some((arm) => !!arm && chainDistance(x, y, arm) < arm.radius);
      if (torso && !onArm && polygonSignedDistance(x, y, torso) < -0.12 * S) seeds[APPEARANCE.UPPER].push(i);
      for (const leg of onArm ? [] : body.legs) {
        if (!leg || leg.points.length < 2) continue;
        const [a, b] = leg.points;
        // the top of the thigh (a mini skirt ends not far below the hips)
        const d = chainDistance(x, y, {
          points: [
            { x: a.x + (b.x - a.x) * 0.05, y: a.y + (b.y - a.y) * 0.05 },
            { x: a.x + (b.x - a.x) * 0.3, y: a.y + (b.y - a.y) * 0.3 },
          ],
          radius: 0,
        });
        if (d < leg.radius * 0.7) seeds[APPEARANCE.LOWER].push(i);
      }
      for (const foot of body.feet) {
        if (!foot) continue;
        // the toe half of the foot (sandals show skin at the ankle)
        const pts = foot.points;
        const a = pts[pts.length - 2];
        const b = pts[pts.length - 1];
        const d = chainDistance(x, y, { points: [{ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, b], radius: 0 });
        if (d < foot.radius * 0.7) seeds[APPEARANCE.SHOE].push(i);
      }
    }
  }
  if (seeds[APPEARANCE.HAIR].length < 2 * MIN_SEEDS) seeds[APPEARANCE.HAIR].push(...looseCrown);
  // skin from the face and the hands: the face alone is lit as the head is (a face in the sun, arms in the
  // shade of a car); hands are nearly always bare and lit as the arms are
  seeds[APPEARANCE.SKIN].push(...handCells);
  // skin of any tone is warm and chromatic: eyes, brows, stray hair and whatever hides a hand are not
  const warm = seeds[APPEARANCE.SKIN].filter((i) => isSkinHue(input.lab, i));
  if (warm.length >= MIN_SEEDS) seeds[APPEARANCE.SKIN] = warm;
  return seeds;
}

/**
 * How far each cell's colour is to be trusted (1 everywhere but in deep shadow on the face): a face lit
 * from one side has a near-black half whose colour says nothing (it fits hair as well as skin), so there
 * the face's position decides. 0.15 at black, 1 from lightness `darkL` up; undefined when off.
 */
export function faceShadowTrust(input: LabelInput, darkL: number): Float32Array | undefined {
  const face = input.body.face;
  if (!face || darkL <= 0) return undefined;
  const { grid, lab } = input;
  const n = grid.width * grid.height;
  const trust = new Float32Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    const x = grid.x0 + ((i % grid.width) + 0.5) * grid.step;
    const y = grid.y0 + (Math.floor(i / grid.width) + 0.5) * grid.step;
    if (ellipseRadius(x, y, face) >= 0.9) continue;
    trust[i] = Math.max(0.15, Math.min(1, (lab[i * 3] - darkL / 2) / (darkL / 2)));
  }
  return trust;
}

/**
 * Lowers colour trust (as faceShadowTrust does on the face) in the arms' zones for cells darker than the
 * garments (below the lightness of each one's darkest tenth of seed cells, and below `darkL`): an arm in
 * deep shadow is near black, which a light garment's shadow component explains better than the skin seen
 * on the face. Off when a garment is dark (median seed lightness below `darkL`): black may be the garment.
 * Returns `trust` (created when undefined and needed).
 */
export function armShadowTrust(
  input: LabelInput,
  darkL: number,
  garmentSeeds: ReadonlyArray<readonly number[]>,
  trust?: Float32Array,
): Float32Array | undefined {
  const { grid, lab, body } = input;
  const arms = body.arms.filter((a): a is NonNullable<typeof a> => !!a);
  if (darkL <= 0 || !arms.length) return trust;
  let limit = darkL;
  for (const cells of garmentSeeds) {
    if (cells.length < MIN_SEEDS) continue;
    const ls = cells.map((c) => lab[c * 3]).sort((a, b) => a - b);
    // a dark garment: a near-black cell may well be it
    if (ls[Math.floor(ls.length / 2)] < darkL) return trust;
    limit = Math.min(limit, ls[Math.floor(ls.length * 0.1)]);
  }
  const n = grid.width * grid.height;
  let out = trust;
  for (let i = 0; i < n; i++) {
    if (lab[i * 3] >= limit) continue;
    const x = grid.x0 + ((i % grid.width) + 0.5) * grid.step;
    const y = grid.y0 + (Math.floor(i / grid.width) + 0.5) * grid.step;
    if (!arms.some((a) => chainDistance(x, y, a) < a.radius)) continue;
    out ??= new Float32Array(n).fill(1);
    out[i] = Math.min(out[i], Math.max(0.15, Math.min(1, (lab[i * 3] - limit / 2) / (limit / 2))));
  }
  return out;
}

/** Per cell and appearance: colour cost relative to the best-fitting model, capped. */
function colourCosts(
  f: Float32Array,
  n: number,
  models: Array<Gmm | undefined>,
  cap: number,
  best?: Float32Array,
): Float32Array {
  const out = new Float32Array(n * APPEARANCE_COUNT);
  for (let i = 0; i < n; i++) {
    const o = i * APPEARANCE_COUNT;
    let mn = Infinity;
    for (let a = 0; a < APPEARANCE_COUNT; a++) {
      const g = models[a];
      const v = g ? gmmNll(g, f[i * 3], f[i * 3 + 1], f[i * 3 + 2]) : Infinity;
      out[o + a] = v;
      if (v < mn) mn = v;
    }
    if (best) best[i] = mn;
    for (let a = 0; a < APPEARANCE_COUNT; a++) out[o + a] = Math.min(cap, out[o + a] - mn);
  }
  return out;
}

function unaryCosts(
  colour: Float32Array,
  pos: Float32Array,
  matte: Float32Array,
  n: number,
  o: LabelOptions,
  trust?: Float32Array,
): Float32Array {
  const u = new Float32Array(n * PART_COUNT);
  for (let i = 0; i < n; i++) {
    const m = matte[i];
    const cw = trust ? trust[i] : 1;
    const person = -Math.log(m + 0.02) * o.matteWeight;
    const bg = -Math.log(1.02 - m) * o.matteWeight;
    for (let p = 0; p < PART_COUNT; p++) {
      u[i * PART_COUNT + p] =
        cw * o.colourWeight * colour[i * APPEARANCE_COUNT + PART_APPEARANCE[p]] +
        pos[i * PART_COUNT + p] +
        (p === PART.BG ? bg : person);
    }
  }
  return u;
}

/**
 * The skin model's cost below which a colour counts as typical skin: a high percentile of the costs of
 * the cells the model was fitted on.
 */
function skinThreshold(f: Float32Array, cells: number[], skin: Gmm, percentile = 0.85): number {
  if (cells.length < MIN_SEEDS) return -Infinity;
  const v = cells.map((c) => gmmNll(skin, f[c * 3], f[c * 3 + 1], f[c * 3 + 2])).sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor(v.length * percentile))];
}

/**
 * Removes cells of typical skin colour from another appearance's samples (necklines, bare midriffs,
 * open shoes), unless that would leave too few.
 */
function withoutSkin(
  f: Float32Array,
  cells: number[],
  skin: Gmm | undefined,
  threshold: number,
  garment = false,
): number[] {
  if (!skin || !Number.isFinite(threshold)) return cells;
  const kept = cells.filter((c) => gmmNll(skin, f[c * 3], f[c * 3 + 1], f[c * 3 + 2]) > threshold);
  // most of a garment's own zone (mid torso, top of the thighs) looking like skin means a skin-coloured
  // garment, not a neckline; shoes and hair zones are small and often mostly skin (sandals, foreheads)
  if (garment && kept.length < cells.length / 2) return cells;
  return kept.length >= MIN_SEEDS ? kept : cells;
}

/**
 * The lower garment's cells without those of the top's typical colours: a long top hangs over the top
 * of the thighs, where the lower garment's seeds are. All are kept when most look like the top (one
 * colour from shoulders to thighs: a dress, a suit) or too few would be left.
 */
export function withoutTopColours(
  f: Float32Array,
  lowerCells: number[],
  upperCells: number[],
  upper: Gmm | undefined,
): number[] {
  if (!upper || upperCells.length < MIN_SEEDS) return lowerCells;
  return withoutSkin(f, lowerCells, upper, skinThreshold(f, upperCells, upper), true);
}

const COVER_LIMBS: readonly number[] = SKIN_PARTS.filter((p) => p !== PART.NECK);

const isGarment = (a: number): boolean => a === APPEARANCE.UPPER || a === APPEARANCE.LOWER;

/**
 * Garment reach per cell in 0..1: 1 where a path from the garments' seeds leads without ever turning from
 * garment-like to skin-like colour, fading with the change crossed. The path cost is the change in
 * P(garment | colour) between neighbours (Bai & Sapiro's geodesic segmentation): a hem into bare skin
 * costs about 1 however soft the edge; a skin-coloured garment, whose colour is as likely either way, costs
 * nothing along its length.
 */
function garmentReach(
  f: Float32Array,
  grid: Grid,
  matte: Float32Array,
  garmentSeeds: number[],
  models: Array<Gmm | undefined>,
  o: LabelOptions,
  pGarment: Float32Array,
): Float32Array {
  const n = grid.width * grid.height;
  const out = new Float32Array(n);
  const skin = models[APPEARANCE.SKIN];
  const garments = [models[APPEARANCE.UPPER], models[APPEARANCE.LOWER]].filter((g): g is Gmm => !!g);
  if (!garmentSeeds.length || o.garmentReach <= 0 || !skin || !garments.length) return out;
  // P(garment) as a 1-channel feature (the geodesic works on 3 channels: the other two stay 0)
  const p = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const x = f[i * 3];
    const y = f[i * 3 + 1];
    const z = f[i * 3 + 2];
    let g = Infinity;
    for (const m of garments) g = Math.min(g, gmmNll(m, x, y, z));
    const d = gmmNll(skin, x, y, z) - g;
    p[i * 3] = 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, d))));
  }
  const d = geodesicDistance(p, grid.width, grid.height, garmentSeeds, matte, {
    noise: o.garmentReachNoise,
    stepCost: 0.002,
  });
  for (let i = 0; i < n; i++) out[i] = Math.exp(-d[i] / o.garmentReachScale);
  for (let i = 0; i < n; i++) pGarment[i] = p[i * 3];
  return out;
}

/** A limb's own skin model and the cells of its zone, where it competes with the shared skin model. */
export interface LimbSkin {
  part: number;
  zone: number[];
  model: Gmm;
}

/**
 * Skin models per arm and leg, each fitted on the cells confidently labelled as that limb inside its
 * zone: one skin model from the face and hands misses a limb lit otherwise (an arm in a blue shadow).
 * Only a limb whose cells the shared model explains clearly worse than its own seeds gets one: a limb
 * lit as the face needs none, and a model fitted on it anyway learns the edge and sleeve cells the
 * labelling already let in and spreads them (the try-on photos' arms grew by 3%).
 */
export function limbSkinModels(
  f: Float32Array,
  grid: Grid,
  body: BodyModel,
  labels: Uint8Array,
  q: Float32Array,
  models: ReadonlyArray<Gmm | undefined>,
  /** the cells the shared skin model was fitted on */
  skinCells: readonly number[],
  o: Pick<LabelOptions, 'limbSkinConfidence' | 'limbSkinMinCells' | 'limbSkinMismatch'>,
): LimbSkin[] {
  const out: LimbSkin[] = [];
  const skin = models[APPEARANCE.SKIN];
  if (!skin || !skinCells.length) return out;
  const nll = (g: Gmm, c: number): number => gmmNll(g, f[c * 3], f[c * 3 + 1], f[c * 3 + 2]);
  const cx = (i: number): number => grid.x0 + ((i % grid.width) + 0.5) * grid.step;
  const cy = (i: number): number => grid.y0 + (Math.floor(i / grid.width) + 0.5) * grid.step;
  let skinRef: number | undefined;
  const limbs: Array<[number, Chain | undefined]> = [
    [PART.ARM_R, body.arms[0]],
    [PART.ARM_L, body.arms[1]],
    [PART.LEG_R, body.legs[0]],
    [PART.LEG_L, body.legs[1]],
  ];
  for (const [part, chain] of limbs) {
    if (!chain) continue;
    const own: number[] = [];
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== part || q[i * PART_COUNT + part] <= o.limbSkinConfidence) continue;
      if (chainDistance(cx(i), cy(i), chain) < chain.radius) own.push(i);
    }
    if (own.length < Math.max(MIN_SEEDS, o.limbSkinMinCells)) continue;
    let skinFit = 0;
    for (const c of own) skinFit += nll(skin, c);
    if (skinRef === undefined) {
      skinRef = 0;
      for (const c of skinCells) skinRef += nll(skin, c);
      skinRef /= skinCells.length;
    }
    if (skinFit / own.length - skinRef < o.limbSkinMismatch) continue;
    const model = fit(f, own, LIMB_COMPONENTS);
    if (!model) continue;
    // the zone: cells within the limb's radius (scan only its bounding box)
    const xs = chain.points.map((p) => p.x);
    const ys = chain.points.map((p) => p.y);
    const col = (x: number): number => Math.floor((x - grid.x0) / grid.step);
    const row = (y: number): number => Math.floor((y - grid.y0) / grid.step);
    const x0 = Math.max(0, col(Math.min(...xs) - chain.radius));
    const x1 = Math.min(grid.width - 1, col(Math.max(...xs) + chain.radius));
    const y0 = Math.max(0, row(Math.min(...ys) - chain.radius));
    const y1 = Math.min(grid.height - 1, row(Math.max(...ys) + chain.radius));
    const zone: number[] = [];
    for (let gy = y0; gy <= y1; gy++)
      for (let gx = x0; gx <= x1; gx++) {
        const i = gy * grid.width + gx;
        if (chainDistance(cx(i), cy(i), chain) < chain.radius) zone.push(i);
      }
    out.push({ part, zone, model });
  }
  return out;
}

/**
 * `cells` without those in the zones of `limbs` whose part is one of `parts`; all are kept when fewer
 * than a third (or too few to fit a model) would remain.
 */
export function outsideLimbZones(
  cells: number[],
  limbs: readonly LimbSkin[],
  parts: readonly number[],
  n: number,
): number[] {
  const zones = limbs.filter((l) => parts.includes(l.part));
  if (!zones.length) return cells;
  const inZone = new Uint8Array(n);
  for (const l of zones) for (const i of l.zone) inZone[i] = 1;
  const kept = cells.filter((i) => !inZone[i]);
  return kept.length >= Math.max(MIN_SEEDS, cells.length / 3) ? kept : cells;
}

/** The forearm and hand: an arm chain from the elbow on. */
const forearm = (arm: Chain): Chain => ({ points: arm.points.slice(1), radius: arm.radius });

/**
 * A forearm's half-width measured where it is lit: a high percentile of the distances to its centre line
 * of the cells confidently labelled as the arm, with full colour trust, inside its zone and nearer the
 * forearm than the upper arm (undefined: too few such cells). The upper arm is left out: it is wider, its
 * shoulder keypoint may sit off the real arm, and skin-coloured cells of the top in sunlight are taken
 * for it.
 */
export function litForearmWidth(
  grid: Grid,
  arm: Chain,
  part: number,
  labels: Uint8Array,
  q: Float32Array,
  armTrust: Float32Array,
  minCells = 30,
  percentile = 0.95,
): number | undefined {
  if (arm.points.length < 3) return undefined;
  const fore = forearm(arm);
  const ds: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== part || armTrust[i] < 1 || q[i * PART_COUNT + part] <= 0.8) continue;
    const x = grid.x0 + ((i % grid.width) + 0.5) * grid.step;
    const y = grid.y0 + (Math.floor(i / grid.width) + 0.5) * grid.step;
    const d = chainDistance(x, y, fore);
    if (d >= arm.radius || chainDistance(x, y, arm) < d) continue;
    ds.push(d);
  }
  if (ds.length < minCells) return undefined;
  ds.sort((a, b) => a - b);
  return ds[Math.min(ds.length - 1, Math.floor(ds.length * percentile))];
}

/**
 * Shaded cells (colour trust below 1, see armShadowTrust) in a forearm's zone farther from its centre
 * line than `armWidthFactor` times the forearm's lit half-width (litForearmWidth), and inside no other
 * arm's part of the zone that is not so: n flags (undefined: none). The zone is wide enough for any arm
 * and the matte's edge there is BlazePose's guess; in deep shade colour cannot tell an arm from the dark
 * lap or seat beside it, so position alone gave such cells to the arm.
 */
export function shadedBeyondArmWidth(
  input: LabelInput,
  labels: Uint8Array,
  q: Float32Array,
  armTrust: Float32Array,
  factor: number,
): Uint8Array | undefined {
  if (factor <= 0) return undefined;
  const { grid, body } = input;
  const n = grid.width * grid.height;
  const parts = [PART.ARM_R, PART.ARM_L];
  const widths = body.arms.map((arm, a) =>
    arm ? litForearmWidth(grid, arm, parts[a], labels, q, armTrust) : undefined,
  );
  if (widths.every((w) => w === undefined)) return undefined;
  const forearms = body.arms.map((arm) => arm && forearm(arm));
  const out = new Uint8Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (armTrust[i] >= 1) continue;
    const x = grid.x0 + ((i % grid.width) + 0.5) * grid.step;
    const y = grid.y0 + (Math.floor(i / grid.width) + 0.5) * grid.step;
    let beyond = false;
    let within = false;
    body.arms.forEach((arm, a) => {
      if (!arm) return;
      const d = chainDistance(x, y, arm);
      if (d >= arm.radius) return;
      const w = widths[a];
      const onForearm = chainDistance(x, y, forearms[a]!) <= d;
      if (w === undefined || !onForearm || d <= w * factor) within = true;
      else beyond = true;
    });
    if (beyond && !within) {
      out[i] = 1;
      any = true;
    }
  }
  return any ? out : undefined;
}

/** How far past the skin seeds' typical cost a cell's colour must be to seed hair beside the face. */
const SIDE_HAIR_SKIN_MARGIN = 1;

/**
 * Hair seeds beside the face, for a photo without the crown (cut through the face): cells of the head
 * circle above the shoulders, off the face's middle (ellipse radius 0.7 and beyond), of the person, and
 * of a colour the skin model explains worse than `skinLimit`.
 */
export function sideHairCells(input: LabelInput, f: Float32Array, skin: Gmm, skinLimit: number): number[] {
  const { grid, matte, body } = input;
  const face = body.face;
  const head = body.head;
  if (!face || !head) return [];
  const out: number[] = [];
  for (let i = 0; i < matte.length; i++) {
    if (matte[i] < 0.7) continue;
    const x = grid.x0 + ((i % grid.width) + 0.5) * grid.step;
    const y = grid.y0 + (Math.floor(i / grid.width) + 0.5) * grid.step;
    if (Math.hypot(x - head.cx, y - head.cy) > head.r) continue;
    if (body.shoulderY !== undefined && y > body.shoulderY) continue;
    if (ellipseRadius(x, y, face) < 0.7) continue;
    if (gmmNll(skin, f[i * 3], f[i * 3 + 1], f[i * 3 + 2]) <= skinLimit) continue;
    out.push(i);
  }
  return out;
}

export function labelPerson(input: LabelInput, options: Partial<LabelOptions> = {}): LabelOutput {
  const o = { ...DEFAULT_LABEL_OPTIONS, ...options };
  const { grid, lab, matte } = input;
  const n = grid.width * grid.height;
  const f = features(lab, o.lightWeight);
  const pos = positionCosts(input.body, grid);
  if (input.prior) for (let i = 0; i < pos.length; i++) pos[i] += input.prior[i];
  const weights = edgeWeights(lab, grid.width, grid.height, { weight: o.crfWeight, sigma: o.crfSigma });

  const seeds = seedCells(input);
  const models: Array<Gmm | undefined> = seeds.map((cells, a) =>
    a === APPEARANCE.SKIN ? fitSkin(f, cells, COMPONENTS[a]) : fit(f, cells, COMPONENTS[a]),
  );
  if (!models[APPEARANCE.SKIN]) models[APPEARANCE.SKIN] = genericSkin(o.lightWeight);
  const seedSkin = models[APPEARANCE.SKIN]!;
  const skinTh = skinThreshold(f, seeds[APPEARANCE.SKIN], seedSkin);
  if (!models[APPEARANCE.HAIR]) {
    // no crown in the photo (a crop through the face, as Dress Code's): hair is seen beside the face
    const side = sideHairCells(input, f, seedSkin, skinTh + SIDE_HAIR_SKIN_MARGIN);
    const hair = fit(f, side, COMPONENTS[APPEARANCE.HAIR]);
    if (hair) {
      seeds[APPEARANCE.HAIR] = side;
      models[APPEARANCE.HAIR] = hair;
    }
  }
  const kept: number[][] = seeds.map((c) => c);
  for (const a of NOT_SKIN) {
    const cells = withoutSkin(f, seeds[a], models[APPEARANCE.SKIN], skinTh, isGarment(a));
    kept[a] = cells;
    if (cells.length !== seeds[a].length) models[a] = fit(f, cells, COMPONENTS[a]);
  }
  const lowerSeeds = withoutTopColours(
    f,
    kept[APPEARANCE.LOWER],
    kept[APPEARANCE.UPPER],
    models[APPEARANCE.UPPER],
  );
  if (lowerSeeds.length !== kept[APPEARANCE.LOWER].length) {
    kept[APPEARANCE.LOWER] = lowerSeeds;
    models[APPEARANCE.LOWER] = fit(f, lowerSeeds, COMPONENTS[APPEARANCE.LOWER]);
  }
  // the feet: below the trousers' end (shoes, socks, a bare foot), where the legs' reach is the arms'
  const onFoot = new Uint8Array(n);
  for (const foot of input.body.feet) {
    if (!foot) continue;
    for (let i = 0; i < n; i++) {
      const x = grid.x0 + ((i % grid.width) + 0.5) * grid.step;
      const y = grid.y0 + (Math.floor(i / grid.width) + 0.5) * grid.step;
      if (chainDistance(x, y, foot) < foot.radius * 1.5) onFoot[i] = 1;
    }
  }
  const pGarment = new Float32Array(n);
  const garmentSeeds = [...kept[APPEARANCE.UPPER], ...kept[APPEARANCE.LOWER]];
  const armTrust = armShadowTrust(input, o.armShadowL, [kept[APPEARANCE.UPPER], kept[APPEARANCE.LOWER]]);
  const trust = faceShadowTrust(input, o.faceShadowL);
  if (armTrust) {
    for (let i = 0; i < n; i++) {
      if (armTrust[i] >= 1) continue;
      // deep shade in an arm's zone, far darker than the garments: skin, not a sleeve or trousers
      pos[i * PART_COUNT + PART.UPPER] += (1 - armTrust[i]) * 4;
      pos[i * PART_COUNT + PART.LOWER] += (1 - armTrust[i]) * 4;
      if (trust) trust[i] = Math.min(trust[i], armTrust[i]);
    }
  }
  const cellTrust = trust ?? armTrust;
  const reach = garmentReach(f, grid, matte, garmentSeeds, models, o, pGarment);
  for (let i = 0; i < n; i++) {
    if (reach[i] < 0.01) continue;
    // legs: trousers run down from the hips unless a hem shows; arms: only where the colour leaves the
    // choice open (a hand resting on a garment, a shaded forearm stay skin)
    const arms = o.garmentReach * reach[i] * Math.min(1, 4 * pGarment[i]) * (armTrust ? armTrust[i] : 1);
    const legs = onFoot[i] ? arms : o.garmentReach * reach[i];
    pos[i * PART_COUNT + PART.LEG_R] += legs;
    pos[i * PART_COUNT + PART.LEG_L] += legs;
    pos[i * PART_COUNT + PART.ARM_R] += arms;
    pos[i * PART_COUNT + PART.ARM_L] += arms;
  }

  let result: CrfResult | undefined;
  let matteDoubt: Uint8Array | undefined;
  let unary: Float32Array = new Float32Array(0);
  const best = new Float32Array(n);
  for (let pass = 0; pass <= o.refits; pass++) {
    let limbs: LimbSkin[] = [];
    if (result) {
      if (armTrust)
        matteDoubt = shadedBeyondArmWidth(input, result.labels, result.q, armTrust, o.armWidthFactor);
      if (o.limbSkin)
        limbs = limbSkinModels(
          f,
          grid,
          input.body,
          result.labels,
          result.q,
          models,
          seeds[APPEARANCE.SKIN],
          o,
        );
      // refit each appearance on the cells confidently labelled with it
      const cells: number[][] = Array.from({ length: APPEARANCE_COUNT }, () => []);
      for (let i = 0; i < n; i++) {
        const p = result.labels[i];
        if (result.q[i * PART_COUNT + p] > 0.7) cells[PART_APPEARANCE[p]].push(i);
      }
      // skin stays anchored to its seeds: it is refitted only on labelled cells the seed model already
      // calls skin, else one dark garment cell taken for skin would teach the model that black is skin
      const skinCells = cells[APPEARANCE.SKIN].filter(
        (c) => gmmNll(seedSkin, f[c * 3], f[c * 3 + 1], f[c * 3 + 2]) < skinTh + 2,
      );
      const skin = fitSkin(f, skinCells, COMPONENTS[APPEARANCE.SKIN]);
      if (skin) models[APPEARANCE.SKIN] = skin;
      for (let a = 0; a < APPEARANCE_COUNT; a++) {
        if (a === APPEARANCE.SKIN) continue;
        let own = NOT_SKIN.includes(a) ? withoutSkin(f, cells[a], seedSkin, skinTh, isGarment(a)) : cells[a];
        // an arm lit unlike the face (it got its own skin model) was partly taken for the top in the
        // first pass: its zone stays out of the top's refit, else the top learns that tinted skin
        if (a === APPEARANCE.UPPER) own = outsideLimbZones(own, limbs, [PART.ARM_R, PART.ARM_L], n);
        // the top is refitted first (its index is lower): the lower garment leaves out its colours
        if (a === APPEARANCE.LOWER)
          own = withoutTopColours(f, own, cells[APPEARANCE.UPPER], models[APPEARANCE.UPPER]);
        const g = fit(f, own, COMPONENTS[a]);
        if (g) models[a] = g;
      }
    }
    const colour = colourCosts(f, n, models, o.colourCap, best);
    // where the matte is doubted, background competes as at an even matte (the parser then keeps such
    // background cells background)
    const cellMatte = matteDoubt ? matte.map((m, i) => (matteDoubt![i] ? Math.min(m, 0.5) : m)) : matte;
    unary = unaryCosts(colour, pos, cellMatte, n, o, cellTrust);
    for (const limb of limbs) {
      // the limb's own skin where it fits better than the shared one (relative to the best model,
      // so it may go below 0 where it beats every shared model)
      for (const i of limb.zone) {
        const own = gmmNll(limb.model, f[i * 3], f[i * 3 + 1], f[i * 3 + 2]) - best[i];
        const shared = colour[i * APPEARANCE_COUNT + APPEARANCE.SKIN];
        const c = Math.max(-o.colourCap, Math.min(o.colourCap, own));
        if (c < shared)
          unary[i * PART_COUNT + limb.part] += (cellTrust ? cellTrust[i] : 1) * o.colourWeight * (c - shared);
      }
    }
    if (result && o.coveredNeckCost > 0) {
      // the garment: labelled so last pass, and of its colour rather than hair's or skin's (blonde hair
      // over a white top may have been labelled top)
      const garment = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if (result.labels[i] !== PART.UPPER) continue;
        const c = i * APPEARANCE_COUNT;
        const up = colour[c + APPEARANCE.UPPER];
        garment[i] = up < colour[c + APPEARANCE.HAIR] && up < colour[c + APPEARANCE.SKIN] ? 1 : 0;
      }
      // neck skin only (extending this to limb cells outside their zones cost the arms more than it won)
      const start = Uint8Array.from(result.labels, (p) => (p === PART.NECK ? 1 : 0));
      const covered = coveredFromAbove(input.body, grid, result.labels, start, garment, {
        reach: o.coveredNeckReach,
        minRun: o.coveredNeckRun,
      });
      for (let i = 0; i < n; i++) {
        if (!covered[i]) continue;
        const u = i * PART_COUNT;
        unary[u + PART.NECK] += o.coveredNeckCost;
        // not skin of another part either, unless inside that part's own zone (an arm across the top)
        for (const limb of COVER_LIMBS) if (pos[u + limb] > 0) unary[u + limb] += o.coveredNeckCost;
      }
    }
    result = meanField(unary, weights, grid.width, grid.height, PART_COUNT);
  }
  return { parts: result!.labels, q: result!.q, models, unary, seeds, reach, matteDoubt };
}
