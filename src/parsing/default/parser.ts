import { humanModelPath } from '../../runtime/model-files.js';
import { loadNet, type Net } from '../../runtime/net.js';
import type { Keypoint, LabelMap, ParseResult, Parser, Person, Photo } from '../../types.js';
import type { ParserOptions } from '../registry.js';
import type { BodyPixProbabilities } from '../bodypix/decode.js';
import { splitModelSpec } from '../../pose/registry.js';
import { UsageError } from '../../errors.js';
import { bodyPixCellCosts } from './prior.js';
import { runBlazePose, BLAZEPOSE_SIZE, type SquareCrop } from './blazepose.js';
import { gridLab, type Grid } from './color.js';
import { bodyModel, ellipseRadius, MIN_SCORE, type BodyModel } from './geometry.js';
import { fastGuidedFilter, limbCoverage, mergeNearLimbs, sampleGrid } from './matte.js';
import { runSelfie } from './selfie.js';
import { labelPerson, DEFAULT_LABEL_OPTIONS, type LabelOptions, type LabelOutput } from './label.js';
import { CIHP, PART, PART_COUNT } from './parts.js';
import { findCoat } from './coat.js';
import { FACE_OVAL, faceCrop, MESH_CHIN, meshCrop, meshEllipse, runFaceMesh } from './facemesh.js';
import {
  blazeFacing,
  body25Facing,
  faceSkinFraction,
  shouldSwapSides,
  swapBlazeSides,
  swapBody25Sides,
} from './facing.js';
import {
  cleanDetachedTop,
  cleanHair,
  decideGarments,
  dropSmallLegs,
  partsToCihp,
  removeSpecks,
  type GarmentDecision,
} from './rules.js';
import { pointBounds } from '../../util/bounds.js';

/**
 * The zero-setup parser: npm-shipped BlazePose gives each person's matte (refined against the photo's
 * edges) and finger/foot landmarks; the pose gives body-part zones; colour models learned from the photo
 * and a CRF on a coarse grid label the parts, which are refined to full resolution. Output: CIHP-20.
 */
export interface DefaultParserTuning {
  /** Grid rows per person (coarse labelling resolution). */
  gridRows: number;
  /** Guided filter radius as a fraction of the body scale, and its regulariser. */
  matteRadius: number;
  matteEps: number;
  label: Partial<LabelOptions>;
  /** Weight of the optional BodyPix prior's costs (per unit of -log probability). */
  priorWeight: number;
  /** Take the face's extent from FaceMesh's face oval (else: the ellipse from eyes, ears and nose). */
  faceMesh: boolean;
  /** FaceMesh runs when it finds a face: later passes on the crop from the previous pass's landmarks. */
  faceMeshPasses: number;
  /** That crop's side over the landmarks' box. */
  faceMeshCropScale: number;
  /** The face ellipse's width over the face oval's (the ears are face in LIP and CIHP). */
  faceMeshWiden: number;
  /**
   * Run MediaPipe's selfie segmentation on the crop when BlazePose's mask covers less than this fraction
   * of the arms' centre lines (0: never), and take its mask near the arms.
   */
  selfieBelowCoverage: number;
  /** Called per person with the coarse results (inspection tools only). */
  inspect?: (info: PersonInspection) => void;
}

export interface PersonInspection {
  index: number;
  grid: Grid;
  body: BodyModel;
  usedBlazeLandmarks: boolean;
  label: LabelOutput;
  /** parts after the clean-up rules */
  parts: Uint8Array;
  decision: GarmentDecision;
}

export const DEFAULT_TUNING: DefaultParserTuning = {
  gridRows: 200,
  matteRadius: 0.025,
  matteEps: 0.004,
  label: {},
  priorWeight: 1,
  faceMesh: true,
  faceMeshPasses: 2,
  faceMeshCropScale: 1.5,
  faceMeshWiden: 1.1,
  selfieBelowCoverage: 0.9,
};

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface PersonWork {
  index: number;
  body: BodyModel;
  roi: Rect;
  /** full-res person probability over the roi */
  matte: Float32Array;
  usedBlaze: boolean;
  /** FaceMesh confirmed the face where the pose put it (undefined: FaceMesh was not run) */
  faceSeen?: boolean;
}

/** Square crop around the person, large enough for head and feet, as BlazePose expects a whole body. */
export function personCrop(kps: readonly Keypoint[], body: BodyModel): SquareCrop {
  let { x0, y0, x1, y1 } = pointBounds(kps.filter((k) => k.score >= MIN_SCORE)) ?? {
    x0: 0,
    y0: 0,
    x1: 0,
    y1: 0,
  };
  if (body.head) y0 = Math.min(y0, body.head.cy - body.head.r);
  const S = body.scale;
  x0 -= 0.25 * S;
  x1 += 0.25 * S;
  y0 -= 0.1 * S;
  y1 += 0.25 * S;
  const side = Math.max(x1 - x0, y1 - y0) * 1.15;
  return { x: (x0 + x1) / 2 - side / 2, y: (y0 + y1) / 2 - side / 2, side };
}

/** FaceMesh's face flag above which it found a face. */
const FACE_FOUND = 0.5;

/**
 * The face from FaceMesh's oval when FaceMesh found a face where the pose put one (its centre inside the
 * pose's ellipse, a size within a factor of two); the neck then starts at the new chin.
 */
export function refineFace(
  body: BodyModel,
  mesh: { points: readonly { x: number; y: number }[]; score: number },
  earWiden?: number,
): boolean {
  const old = body.face;
  if (!old || mesh.score < FACE_FOUND) return false;
  const e = meshEllipse(mesh.points, earWiden);
  const inside = ellipseRadius(e.cx, e.cy, old) < 1;
  const ratio = e.ry / old.ry;
  if (!inside || ratio < 0.5 || ratio > 2) return false;
  body.face = e;
  body.faceMeasured = true;
  if (body.neck) {
    const chin = { x: e.cx - Math.sin(e.angle) * e.ry * 0.8, y: e.cy + Math.cos(e.angle) * e.ry * 0.8 };
    body.neck = { points: [chin, ...body.neck.points.slice(1)], radius: e.rx * 0.75 };
  }
  return true;
}

/**
 * A person's labelling options: dark colour inside the face ellipse is taken for a shaded face only when
 * FaceMesh confirmed a face there; when it looked and found none (a mask, a bowed head, hair over the
 * face), dark is as likely a mask or hair, and colour keeps its full weight.
 */
export function personLabelOptions(base: LabelOptions, faceSeen: boolean | undefined): LabelOptions {
  return faceSeen === false ? { ...base, faceShadowL: 0 } : base;
}

/** BlazePose's own landmarks are used for hands and feet only when its body agrees with the pose given. */
function agrees(landmarks: readonly Keypoint[], kps: readonly Keypoint[], scale: number): boolean {
  const pairs: Array<[number, number]> = [
    [11, 5],
    [12, 2],
    [23, 12],
    [24, 9],
    [13, 6],
    [14, 3],
  ];
  let n = 0;
  let sum = 0;
  for (const [b, o] of pairs) {
    if ((kps[o]?.score ?? 0) < MIN_SCORE) continue;
    sum += Math.hypot(landmarks[b].x - kps[o].x, landmarks[b].y - kps[o].y);
    n++;
  }
  return n >= 2 && sum / n < 0.25 * scale;
}

function grayOf(photo: Photo, r: Rect): Float32Array {
  const w = r.x1 - r.x0;
  const out = new Float32Array(w * (r.y1 - r.y0));
  for (let y = r.y0; y < r.y1; y++) {
    for (let x = r.x0; x < r.x1; x++) {
      const p = (y * photo.width + x) * 3;
      out[(y - r.y0) * w + (x - r.x0)] =
        (0.299 * photo.rgb[p] + 0.587 * photo.rgb[p + 1] + 0.114 * photo.rgb[p + 2]) / 255;
    }
  }
  return out;
}

/** The person's matte over a region of the photo: the crop's segmentation, then a guided filter. */
function personMatte(
  photo: Photo,
  seg: Float32Array,
  crop: SquareCrop,
  body: BodyModel,
  tuning: DefaultParserTuning,
): { roi: Rect; matte: Float32Array } {
  const k = BLAZEPOSE_SIZE / crop.side;
  // region: where the segmentation sees the person, padded
  let sx0 = Infinity;
  let sy0 = Infinity;
  let sx1 = -Infinity;
  let sy1 = -Infinity;
  for (let j = 0; j < BLAZEPOSE_SIZE; j++) {
    for (let i = 0; i < BLAZEPOSE_SIZE; i++) {
      if (seg[j * BLAZEPOSE_SIZE + i] < 0.2) continue;
      sx0 = Math.min(sx0, i);
      sx1 = Math.max(sx1, i + 1);
      sy0 = Math.min(sy0, j);
      sy1 = Math.max(sy1, j + 1);
    }
  }
  const pad = 0.08 * body.scale;
  const roi: Rect = Number.isFinite(sx0)
    ? {
        x0: Math.max(0, Math.floor(crop.x + sx0 / k - pad)),
        y0: Math.max(0, Math.floor(crop.y + sy0 / k - pad)),
        x1: Math.min(photo.width, Math.ceil(crop.x + sx1 / k + pad)),
        y1: Math.min(photo.height, Math.ceil(crop.y + sy1 / k + pad)),
      }
    : { x0: 0, y0: 0, x1: 0, y1: 0 };
  const w = Math.max(0, roi.x1 - roi.x0);
  const h = Math.max(0, roi.y1 - roi.y0);
  if (!w || !h) return { roi: { ...roi, x1: roi.x0, y1: roi.y0 }, matte: new Float32Array(0) };
  const us = Float64Array.from({ length: w }, (_, x) => (roi.x0 + x + 0.5 - crop.x) * k - 0.5);
  const vs = Float64Array.from({ length: h }, (_, y) => (roi.y0 + y + 0.5 - crop.y) * k - 0.5);
  const soft = sampleGrid(seg, BLAZEPOSE_SIZE, BLAZEPOSE_SIZE, us, vs);
  const r = Math.max(2, Math.round(tuning.matteRadius * body.scale));
  const matte = fastGuidedFilter(grayOf(photo, roi), soft, w, h, r, tuning.matteEps, r >= 6 ? 2 : 1);
  for (let i = 0; i < matte.length; i++) matte[i] = matte[i] < 0 ? 0 : matte[i] > 1 ? 1 : matte[i];
  return { roi, matte };
}

/**
 * Each pixel goes to the person whose matte is highest there. Sync on purpose: V8 optimises hot loops in
 * async functions poorly (this loop ran 3x slower inside parseWith).
 */
function claimPixels(
  matte: Float32Array,
  roi: Rect,
  width: number,
  index: number,
  best: Float32Array,
  owner: Int16Array,
): void {
  const rw = roi.x1 - roi.x0;
  for (let y = roi.y0; y < roi.y1; y++) {
    let m = (y - roi.y0) * rw;
    let i = y * width + roi.x0;
    for (let x = roi.x0; x < roi.x1; x++, m++, i++) {
      if (matte[m] > best[i]) {
        best[i] = matte[m];
        owner[i] = index;
      }
    }
  }
}

/** Labels one person and writes the CIHP classes of the pixels it owns into `out`. */
function labelOne(
  photo: Photo,
  work: PersonWork,
  owner: Int16Array,
  out: Uint8Array,
  tuning: DefaultParserTuning,
  extra: { probs?: Float32Array; bodyPix?: BodyPixProbabilities } = {},
): void {
  const { roi, matte, body } = work;
  const rw = roi.x1 - roi.x0;
  const rh = roi.y1 - roi.y0;
  if (rw <= 0 || rh <= 0) return;
  const step = Math.max(1, rh / tuning.gridRows);
  const grid: Grid = {
    x0: roi.x0,
    y0: roi.y0,
    step,
    width: Math.ceil(rw / step),
    height: Math.ceil(rh / step),
  };
  const n = grid.width * grid.height;
  const lab = gridLab(photo.rgb, photo.width, photo.height, grid);
  // cell matte: mean of the pixels this person owns (others count as background)
  const sum = new Float32Array(n);
  const cnt = new Float32Array(n);
  // per-column cell indices, computed once rather than per pixel
  const cellX = new Int32Array(rw);
  for (let x = 0; x < rw; x++) cellX[x] = Math.min(grid.width - 1, Math.floor(x / step));
  for (let y = 0; y < rh; y++) {
    const gy = Math.min(grid.height - 1, Math.floor(y / step));
    const rowCell = gy * grid.width;
    const rowPixel = (roi.y0 + y) * photo.width + roi.x0;
    for (let x = 0; x < rw; x++) {
      const c = rowCell + cellX[x];
      const mine = owner[rowPixel + x] === work.index;
      sum[c] += mine ? matte[y * rw + x] : 0;
      cnt[c]++;
    }
  }
  const cellMatte = new Float32Array(n);
  for (let i = 0; i < n; i++) cellMatte[i] = cnt[i] ? sum[i] / cnt[i] : 0;

  const labelOptions = personLabelOptions({ ...DEFAULT_LABEL_OPTIONS, ...tuning.label }, work.faceSeen);
  const prior = extra.bodyPix ? bodyPixCellCosts(extra.bodyPix, grid, tuning.priorWeight) : undefined;
  const res = labelPerson({ grid, lab, matte: cellMatte, body, prior }, labelOptions);
  const parts = res.parts;
  cleanHair(parts, res.q, grid, body);
  cleanDetachedTop(parts, res.q, grid, body);
  dropSmallLegs(parts, res.q, grid, Math.round(((0.12 * body.scale) / step) ** 2));
  removeSpecks(parts, grid, Math.max(4, Math.round(n * 0.0015)));
  const features = new Float32Array(lab.length);
  for (let i = 0; i < n; i++) {
    features[i * 3] = lab[i * 3] * labelOptions.lightWeight;
    features[i * 3 + 1] = lab[i * 3 + 1];
    features[i * 3 + 2] = lab[i * 3 + 2];
  }
  const decision = decideGarments(parts, features, res.models, grid, body);
  const toCihp = partsToCihp(decision);
  // an open coat over another top: its cells become coat (not over a dress: one garment there)
  const coat = decision.dress && decision.skirt ? undefined : findCoat(parts, lab, grid, body);
  tuning.inspect?.({
    index: work.index,
    grid,
    body,
    usedBlazeLandmarks: work.usedBlaze,
    label: res,
    parts: Uint8Array.from(parts),
    decision,
  });

  // full resolution: inside a cell block of one part, that part; across part boundaries, the part with
  // the highest interpolated marginal; the person/background outline comes from the refined matte
  const q = res.q;
  for (let i = 0; i < n; i++) {
    // the clean-up rules changed some cells: make their marginals agree
    const p = parts[i];
    let mx = 0;
    for (let c = 0; c < PART_COUNT; c++) mx = Math.max(mx, q[i * PART_COUNT + c]);
    if (q[i * PART_COUNT + p] < mx) q[i * PART_COUNT + p] = mx + 1e-3;
  }
  const scores = new Float32Array(PART_COUNT);
  const doubt = res.matteDoubt;
  if (extra.probs) writeProbabilities(extra.probs, photo, work, owner, grid, q, toCihp, coat, doubt);
  // per-column interpolation terms, computed once rather than per pixel
  const colU = new Float64Array(rw);
  const colX0 = new Int32Array(rw);
  const colX1 = new Int32Array(rw);
  const colFx = new Float64Array(rw);
  for (let x = 0; x < rw; x++) {
    const u = (x + 0.5) / step - 0.5;
    const gx0 = Math.max(0, Math.min(grid.width - 1, Math.floor(u)));
    colU[x] = u;
    colX0[x] = gx0;
    colX1[x] = Math.min(grid.width - 1, gx0 + 1);
    colFx[x] = Math.max(0, Math.min(1, u - gx0));
  }
  for (let y = 0; y < rh; y++) {
    const v = (y + 0.5) / step - 0.5;
    const gy0 = Math.max(0, Math.min(grid.height - 1, Math.floor(v)));
    const gy1 = Math.min(grid.height - 1, gy0 + 1);
    const fy = Math.max(0, Math.min(1, v - gy0));
    const rowPixel = (roi.y0 + y) * photo.width + roi.x0;
    for (let x = 0; x < rw; x++) {
      const pi = rowPixel + x;
      if (owner[pi] !== work.index) continue;
      if (matte[y * rw + x] < 0.5) continue;
      const u = colU[x];
      if (doubt) {
        // background where the matte was not trusted (a shaded arm's zone past the arm) stays background
        const gx = Math.min(grid.width - 1, Math.max(0, Math.round(u)));
        const nc = Math.min(grid.height - 1, Math.max(0, Math.round(v))) * grid.width + gx;
        if (doubt[nc] && parts[nc] === PART.BG) continue;
      }
      const gx0 = colX0[x];
      const gx1 = colX1[x];
      const fx = colFx[x];
      const a = gy0 * grid.width + gx0;
      const b = gy0 * grid.width + gx1;
      const c = gy1 * grid.width + gx0;
      const d = gy1 * grid.width + gx1;
      const pa = parts[a];
      let part: number = pa;
      if (pa === PART.BG || parts[b] !== pa || parts[c] !== pa || parts[d] !== pa) {
        const wa = (1 - fx) * (1 - fy);
        const wb = fx * (1 - fy);
        const wc = (1 - fx) * fy;
        const wd = fx * fy;
        // a pixel takes one of its four cells' parts (what the clean-up rules removed stays removed);
        // only among background cells does any person part compete
        // the candidate parts as a bit set (this runs per boundary pixel: no arrays)
        let near = 0;
        if (pa !== PART.BG) near |= 1 << pa;
        if (parts[b] !== PART.BG) near |= 1 << parts[b];
        if (parts[c] !== PART.BG) near |= 1 << parts[c];
        if (parts[d] !== PART.BG) near |= 1 << parts[d];
        // a person pixel among background cells (the matte reaches past them): the parts around
        for (let dy = -1; near === 0 && dy <= 2; dy++) {
          for (let dx = -1; dx <= 2; dx++) {
            const gx = gx0 + dx;
            const gy = gy0 + dy;
            if (gx < 0 || gy < 0 || gx >= grid.width || gy >= grid.height) continue;
            const p = parts[gy * grid.width + gx];
            if (p !== PART.BG) near |= 1 << p;
          }
        }
        let best = -1;
        for (let p = 1; p < PART_COUNT; p++) {
          if (near !== 0 && !(near & (1 << p))) continue;
          scores[p] =
            wa * q[a * PART_COUNT + p] +
            wb * q[b * PART_COUNT + p] +
            wc * q[c * PART_COUNT + p] +
            wd * q[d * PART_COUNT + p];
          if (best < 0 || scores[p] > scores[best]) best = p;
        }
        part = best;
      }
      out[pi] = toCihp[part];
      if (coat && part === PART.UPPER) {
        const gx = Math.min(grid.width - 1, Math.round(u));
        const gy = Math.min(grid.height - 1, Math.round(v));
        if (coat[Math.max(0, gy) * grid.width + Math.max(0, gx)]) out[pi] = CIHP.COAT;
      }
    }
  }
}

/** CIHP-20 classes the probabilities are written for. */
export const CIHP_CLASSES = 20;

/**
 * Class probabilities of the pixels a person owns, C x H x W (CIHP-20): the matte is P(person), shared
 * among the person's classes by the CRF marginals interpolated between grid cells; the rest is background.
 */
function writeProbabilities(
  probs: Float32Array,
  photo: Photo,
  work: PersonWork,
  owner: Int16Array,
  grid: Grid,
  q: Float32Array,
  toCihp: Uint8Array,
  coat?: Uint8Array,
  doubt?: Uint8Array,
): void {
  const { roi, matte } = work;
  const rw = roi.x1 - roi.x0;
  const rh = roi.y1 - roi.y0;
  const plane = photo.width * photo.height;
  const parts = new Float32Array(PART_COUNT);
  const step = grid.step;
  for (let y = 0; y < rh; y++) {
    const v = (y + 0.5) / step - 0.5;
    const gy0 = Math.max(0, Math.min(grid.height - 1, Math.floor(v)));
    const gy1 = Math.min(grid.height - 1, gy0 + 1);
    const fy = Math.max(0, Math.min(1, v - gy0));
    for (let x = 0; x < rw; x++) {
      const pi = (roi.y0 + y) * photo.width + roi.x0 + x;
      if (owner[pi] !== work.index) continue;
      let m = matte[y * rw + x];
      const u = (x + 0.5) / step - 0.5;
      const gx0 = Math.max(0, Math.min(grid.width - 1, Math.floor(u)));
      const gx1 = Math.min(grid.width - 1, gx0 + 1);
      const fx = Math.max(0, Math.min(1, u - gx0));
      const a = (gy0 * grid.width + gx0) * PART_COUNT;
      const b = (gy0 * grid.width + gx1) * PART_COUNT;
      const c = (gy1 * grid.width + gx0) * PART_COUNT;
      const d = (gy1 * grid.width + gx1) * PART_COUNT;
      const wa = (1 - fx) * (1 - fy);
      const wb = fx * (1 - fy);
      const wc = (1 - fx) * fy;
      const wd = fx * fy;
      // person classes only: the matte decides person vs background
      let sum = 0;
      for (let p = 1; p < PART_COUNT; p++) {
        parts[p] = wa * q[a + p] + wb * q[b + p] + wc * q[c + p] + wd * q[d + p];
        sum += parts[p];
      }
      const near = Math.round(fy) ? (Math.round(fx) ? d : c) : Math.round(fx) ? b : a;
      // where the matte was not trusted the labelling's background share counts too (as in the S-map)
      if (doubt?.[near / PART_COUNT])
        m *= 1 - (wa * q[a + PART.BG] + wb * q[b + PART.BG] + wc * q[c + PART.BG] + wd * q[d + PART.BG]);
      probs[pi] = 1 - m;
      if (sum > 0) {
        const upperTo = coat?.[near / PART_COUNT] ? CIHP.COAT : toCihp[PART.UPPER];
        for (let p = 1; p < PART_COUNT; p++)
          probs[(p === PART.UPPER ? upperTo : toCihp[p]) * plane + pi] += (m * parts[p]) / sum;
      } else probs[pi] = 1;
    }
  }
}

export async function createDefaultParser(
  options: ParserOptions = {},
  tuning: Partial<DefaultParserTuning> = {},
): Promise<Parser> {
  // flip averaging is for learned parsers
  const t: DefaultParserTuning = { ...DEFAULT_TUNING, ...tuning };
  const prior = options.prior ? splitModelSpec(options.prior) : undefined;
  if (prior && prior.id !== 'bodypix')
    throw new UsageError(`unknown parser prior "${prior.id}" (known: bodypix[:<model folder>])`);
  const bodypix = prior ? await import('../bodypix/parser.js') : undefined;
  if (bodypix && prior) await bodypix.loadBodyPix(prior.path); // fail early on a missing model
  const blazepose: Net = await loadNet(humanModelPath('blazepose-full'));
  const facemesh: Net | undefined = t.faceMesh ? await loadNet(humanModelPath('facemesh')) : undefined;
  const selfie: Net | undefined =
    t.selfieBelowCoverage > 0 ? await loadNet(humanModelPath('selfie')) : undefined;
  return {
    id: 'default',
    labelSet: 'cihp',
    async parse(photo: Photo, people: Person[]): Promise<ParseResult> {
      const bodyPix =
        bodypix && people.length
          ? await bodypix.bodyPixPartProbabilities(photo, { path: prior?.path })
          : undefined;
      return parseWith(blazepose, photo, people, t, {
        probabilities: options.probabilities,
        bodyPix,
        facemesh,
        selfie,
      });
    },
    dispose(): void {
      blazepose.dispose();
      facemesh?.dispose();
      selfie?.dispose();
    },
  };
}

export async function parseWith(
  blazepose: Net,
  photo: Photo,
  people: readonly Person[],
  tuning: DefaultParserTuning = DEFAULT_TUNING,
  options: {
    probabilities?: boolean;
    bodyPix?: BodyPixProbabilities;
    facemesh?: Net;
    selfie?: Net;
  } = {},
): Promise<ParseResult> {
  const { width: W, height: H } = photo;
  const out = new Uint8Array(W * H);
  const probs = options.probabilities ? new Float32Array(CIHP_CLASSES * W * H) : undefined;
  probs?.fill(1, 0, W * H); // background until a person claims the pixel
  // per-pixel owner and its matte value: buffers reused from the previous photo when free
  const claim = spareClaim && spareClaim.owner.length === W * H ? spareClaim : undefined;
  spareClaim = undefined;
  const owner = claim ? claim.owner.fill(-1) : new Int16Array(W * H).fill(-1);
  const best = claim ? claim.best.fill(0) : new Float32Array(W * H);
  try {
    return await parsePeople(blazepose, photo, people, tuning, options, { out, probs, owner, best });
  } finally {
    spareClaim = { owner, best };
  }
}

/** The owner/matte buffers of the last photo (one per thread), reused when the next has the same size. */
let spareClaim: { owner: Int16Array; best: Float32Array } | undefined;

async function parsePeople(
  blazepose: Net,
  photo: Photo,
  people: readonly Person[],
  tuning: DefaultParserTuning,
  options: { bodyPix?: BodyPixProbabilities; facemesh?: Net; selfie?: Net },
  buffers: { out: Uint8Array; probs?: Float32Array; owner: Int16Array; best: Float32Array },
): Promise<ParseResult> {
  const { width: W, height: H } = photo;
  const { out, probs, owner, best } = buffers;
  const works: PersonWork[] = [];
  for (const [index, person] of people.entries()) {
    if (person.keypoints.filter((k) => k.score >= MIN_SCORE).length < 2) continue;
    let given = person.extra?.skeleton === 'blazepose33' ? person.extra.keypoints : undefined;
    let kps = person.keypoints;
    const body0 = bodyModel(kps, given);
    const crop = personCrop(kps, body0);
    const bp = await runBlazePose(blazepose, photo, crop);
    // the person's own left/right: settle a front/back disagreement between the pose and BlazePose
    const poseFacing = body25Facing(kps);
    const ownFacing = blazeFacing(bp.landmarks);
    let landmarks = bp.landmarks;
    if (body0.face && shouldSwapSides(poseFacing, ownFacing, faceSkinFraction(photo, body0.face))) {
      kps = swapBody25Sides(kps);
    }
    const facing = body25Facing(kps);
    if (facing * ownFacing < 0) landmarks = swapBlazeSides(landmarks);
    if (given && facing * blazeFacing(given) < 0) given = swapBlazeSides(given);
    const blaze = given ?? (agrees(landmarks, kps, body0.scale) ? landmarks : undefined);
    const body = bodyModel(kps, blaze);
    let faceSeen: boolean | undefined;
    if (options.facemesh && body.face) {
      const mesh = await runFaceMesh(options.facemesh, photo, faceCrop(body.face));
      faceSeen = refineFace(body, mesh, tuning.faceMeshWiden);
      // the face found: once more on the crop its own landmarks give, for where its chin is (the loose
      // first crop draws the oval too large, its chin over the neck); the face's extent, which the skin
      // seeds come from, stays the first pass's
      if (faceSeen && tuning.faceMeshPasses > 1) {
        const again = await runFaceMesh(
          options.facemesh,
          photo,
          meshCrop(mesh.points, tuning.faceMeshCropScale),
        );
        if (again.score >= FACE_FOUND) {
          body.chin = again.points[MESH_CHIN];
          body.jaw = FACE_OVAL.map((i) => again.points[i]);
        }
      }
    }
    let seg = bp.segmentation;
    const arms = body.arms.filter((a): a is NonNullable<typeof a> => !!a);
    if (
      options.selfie &&
      arms.length &&
      limbCoverage(seg, BLAZEPOSE_SIZE, crop, arms, photo) < tuning.selfieBelowCoverage
    ) {
      seg = mergeNearLimbs(seg, await runSelfie(options.selfie, photo, crop), BLAZEPOSE_SIZE, crop, arms);
    }
    const { roi, matte } = personMatte(photo, seg, crop, body, tuning);
    claimPixels(matte, roi, W, index, best, owner);
    works.push({ index, body, roi, matte, usedBlaze: !!blaze, faceSeen });
  }
  for (const w of works) labelOne(photo, w, owner, out, tuning, { probs, bodyPix: options.bodyPix });
  const map: LabelMap = { width: W, height: H, labels: out, set: 'cihp' };
  return probs ? { map, probabilities: probs } : { map };
}
