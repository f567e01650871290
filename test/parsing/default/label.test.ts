import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type BodyModel,
  bodyModel,
  chainDistance,
  ellipseRadius,
  polygonSignedDistance,
} from '../../../src/parsing/default/geometry.js';
import { labelPerson } from '../../../src/parsing/default/label.js';
import type { Grid } from '../../../src/parsing/default/color.js';
import { seededRandom } from '../../../src/parsing/default/gmm.js';
import { PART } from '../../../src/parsing/default/parts.js';
import { frontalPerson } from './fixtures.js';

interface Palette {
  skin: number[];
  pants: number[];
  /** y where the lower garment ends (shorts) */
  hem: number;
}

/**
 * A drawn person on the grid (Lab colours): skin face and forearms, dark hair, a red T-shirt with short
 * sleeves, a lower garment down to `hem` (bare legs below), black shoes, on a light gray background.
 */
function drawPerson(p: Palette): { grid: Grid; lab: Float32Array; matte: Float32Array; body: BodyModel } {
  const body = bodyModel(frontalPerson());
  const grid = { x0: 120, y0: 20, step: 2, width: 80, height: 180 };
  const n = grid.width * grid.height;
  const lab = new Float32Array(n * 3);
  const matte = new Float32Array(n);
  const HAIR = [20, 4, 8];
  const SHIRT = [50, 60, 40];
  const SHOE = [8, 0, 0];
  const BG = [92, 0, 2];
  const torso = body.torso;
  const rand = seededRandom(7);
  for (let gy = 0; gy < grid.height; gy++) {
    for (let gx = 0; gx < grid.width; gx++) {
      const x = grid.x0 + (gx + 0.5) * grid.step;
      const y = grid.y0 + (gy + 0.5) * grid.step;
      const i = gy * grid.width + gx;
      let c = BG;
      const dArm = Math.min(chainDistance(x, y, body.arms[0]!), chainDistance(x, y, body.arms[1]!));
      const dLeg = Math.min(
        chainDistance(x, y, { points: body.legs[0]!.points.slice(0, 3), radius: 0 }),
        chainDistance(x, y, { points: body.legs[1]!.points.slice(0, 3), radius: 0 }),
      );
      const dFoot = Math.min(chainDistance(x, y, body.feet[0]!), chainDistance(x, y, body.feet[1]!));
      if (Math.hypot(x - body.head!.cx, y - body.head!.cy) < body.head!.r * 0.9 && y < body.face!.cy)
        c = HAIR;
      if (ellipseRadius(x, y, body.face!) < 0.9) c = p.skin;
      if (Math.abs(x - 200) < 8 && y > 90 && y < 112) c = p.skin; // neck
      if (dArm < 9) c = y < 150 ? SHIRT : p.skin;
      if (polygonSignedDistance(x, y, torso) < 4 && y < 215) c = SHIRT;
      if (dLeg < 12 || (y >= 205 && y < 240 && x > 172 && x < 228)) c = y < p.hem ? p.pants : p.skin;
      if (dFoot < 7 && y > 352) c = SHOE;
      // texture and sensor noise, as in a photo (deterministic)
      lab.set([c[0] + (rand() - 0.5) * 6, c[1] + (rand() - 0.5) * 4, c[2] + (rand() - 0.5) * 4], i * 3);
      matte[i] = c === BG ? 0 : 1;
    }
  }
  return { grid, lab, matte, body };
}

const SKIN = [68, 16, 20];

test("labelPerson labels a drawn person part by part, with the person's own sides", () => {
  const input = drawPerson({ skin: SKIN, pants: [32, 8, -40], hem: 400 });
  const { grid } = input;
  const { parts } = labelPerson(input);
  const at = (x: number, y: number): number =>
    parts[Math.floor((y - grid.y0) / grid.step) * grid.width + Math.floor((x - grid.x0) / grid.step)];
  assert.equal(at(200, 160), PART.UPPER, 'chest');
  assert.equal(at(200, 75), PART.FACE, 'face');
  assert.equal(at(200, 45), PART.HAIR, 'top of the head');
  assert.equal(at(244, 190), PART.ARM_L, 'left forearm (image right)');
  assert.equal(at(157, 190), PART.ARM_R, 'right forearm (image left)');
  assert.equal(at(184, 250), PART.LOWER, 'right thigh');
  assert.equal(at(217, 320), PART.LOWER, 'left shin');
  assert.equal(at(220, 366), PART.SHOE_L, 'left shoe');
  assert.equal(at(180, 366), PART.SHOE_R, 'right shoe');
  assert.equal(at(130, 300), PART.BG, 'background');
});

test('skin-coloured trousers stay trousers; bare legs below a hem of the same colour stay legs', () => {
  // beige trousers a few Lab units from the skin: colour alone cannot tell them apart
  const beige = [68, 16, 20];
  const trousers = drawPerson({ skin: SKIN, pants: beige, hem: 400 });
  const t = labelPerson(trousers).parts;
  const at = (parts: Uint8Array, x: number, y: number): number =>
    parts[
      Math.floor((y - trousers.grid.y0) / trousers.grid.step) * trousers.grid.width +
        Math.floor((x - trousers.grid.x0) / trousers.grid.step)
    ];
  assert.equal(at(t, 184, 250), PART.LOWER, 'thigh');
  assert.equal(at(t, 183, 320), PART.LOWER, 'right shin');
  assert.equal(at(t, 217, 320), PART.LOWER, 'left shin');
  // the same person in blue shorts: below the hem the skin is leg
  const shorts = labelPerson(drawPerson({ skin: SKIN, pants: [32, 8, -40], hem: 265 })).parts;
  assert.equal(at(shorts, 184, 240), PART.LOWER, 'shorts');
  assert.equal(at(shorts, 183, 320), PART.LEG_R, 'right shin');
  assert.equal(at(shorts, 217, 320), PART.LEG_L, 'left shin');
});

test('faceShadowTrust lowers colour trust only for dark cells on the face', async () => {
  const { faceShadowTrust } = await import('../../../src/parsing/default/label.js');
  const body = bodyModel(frontalPerson());
  const f = body.face!;
  const grid: Grid = { x0: f.cx - 40, y0: f.cy - 40, step: 1, width: 80, height: 80 };
  const n = grid.width * grid.height;
  const lab = new Float32Array(n * 3).fill(5); // near black everywhere
  const trust = faceShadowTrust({ grid, lab, matte: new Float32Array(n).fill(1), body }, 30)!;
  const at = (x: number, y: number): number =>
    trust[Math.floor(y - grid.y0) * grid.width + Math.floor(x - grid.x0)];
  assert.ok(at(f.cx, f.cy) < 0.5, 'dark face centre');
  assert.equal(at(grid.x0 + 0.5, grid.y0 + 0.5), 1, 'off the face');
  for (let i = 0; i < n; i++) lab[i * 3] = 60; // lit: full trust
  const lit = faceShadowTrust({ grid, lab, matte: new Float32Array(n).fill(1), body }, 30)!;
  assert.ok(lit.every((v) => v === 1));
  assert.equal(faceShadowTrust({ grid, lab, matte: new Float32Array(n), body }, 0), undefined);
});

test('armShadowTrust: near-black cells on an arm lose colour trust, unless a garment is dark', async () => {
  const { armShadowTrust } = await import('../../../src/parsing/default/label.js');
  const body = bodyModel(frontalPerson());
  const grid: Grid = { x0: 120, y0: 20, step: 2, width: 80, height: 180 };
  const n = grid.width * grid.height;
  const lab = new Float32Array(n * 3).fill(60);
  const cell = (x: number, y: number): number =>
    Math.floor((y - grid.y0) / grid.step) * grid.width + Math.floor((x - grid.x0) / grid.step);
  const arm = cell(157, 185); // on the right forearm (elbow 160,160 -> wrist 155,205)
  const away = cell(135, 330); // beside the right shin, far from any arm
  lab[arm * 3] = 3;
  lab[away * 3] = 3;
  // light garment seeds (lightness 60 and up)
  const shirt = Array.from({ length: 40 }, (_, i) => cell(190 + (i % 10), 150 + Math.floor(i / 10) * 2));
  const input = { grid, lab, matte: new Float32Array(n).fill(1), body };
  const t = armShadowTrust(input, 30, [shirt])!;
  assert.ok(t[arm] < 0.5, `dark forearm trust ${t[arm]}`);
  assert.equal(t[away], 1, 'dark but not on an arm');
  assert.equal(t[cell(190, 150)], 1, 'lit cells');
  // a black shirt: dark cells may be the garment, nothing changes
  for (const c of shirt) lab[c * 3] = 8;
  assert.equal(armShadowTrust(input, 30, [shirt]), undefined);
  assert.equal(armShadowTrust(input, 0, [shirt]), undefined, 'off');
});

test('seedCells samples skin from the hands as well as from a well-seen face', async () => {
  const { seedCells } = await import('../../../src/parsing/default/label.js');
  const body = bodyModel(frontalPerson());
  const grid: Grid = { x0: 120, y0: 20, step: 1, width: 160, height: 360 };
  const n = grid.width * grid.height;
  const lab = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) lab.set([60, 15, 18], i * 3); // skin-coloured everywhere
  const seeds = seedCells({ grid, lab, matte: new Float32Array(n).fill(1), body })[1]; // APPEARANCE.SKIN
  const y = (i: number): number => grid.y0 + Math.floor(i / grid.width) + 0.5;
  const onFace = seeds.filter((i) => y(i) < 100).length;
  const onHands = seeds.filter((i) => y(i) > 200).length; // wrists at y = 205
  assert.ok(onFace >= 150, `a well-seen face: ${onFace} seeds`);
  assert.ok(onHands > 0, 'hand cells sampled too');
  // not skin-coloured hands (gloves, a phone) stay out
  for (let i = 0; i < n; i++) if (y(i) > 200) lab.set([40, 0, -20], i * 3);
  const gloved = seedCells({ grid, lab, matte: new Float32Array(n).fill(1), body })[1];
  assert.equal(gloved.filter((i) => y(i) > 200).length, 0);
});

test("withoutTopColours drops lower-garment seeds of the top's colours, unless most look like the top", async () => {
  const { withoutTopColours } = await import('../../../src/parsing/default/label.js');
  const { fitGmm } = await import('../../../src/parsing/default/gmm.js');
  const rand = seededRandom(7);
  const blue = [30, 5, -30];
  const black = [8, 0, 0];
  // cells 0..59 the top (blue), 60..99 a shirt tail over the thighs (blue), 100..179 trousers (black)
  const n = 180;
  const f = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = i < 100 ? blue : black;
    for (let k = 0; k < 3; k++) f[i * 3 + k] = c[k] + (rand() - 0.5) * 4;
  }
  const upperCells = Array.from({ length: 60 }, (_, i) => i);
  const upperData = new Float32Array(upperCells.flatMap((c) => [f[c * 3], f[c * 3 + 1], f[c * 3 + 2]]));
  const upper = fitGmm(upperData, upperCells.length, 2)!;
  const lowerCells = Array.from({ length: 120 }, (_, i) => 60 + i);
  const kept = withoutTopColours(f, lowerCells, upperCells, upper);
  // the trousers all stay; of the shirt tail only its least typical few (past the top's 85th percentile)
  assert.equal(kept.filter((c) => c >= 100).length, 80);
  assert.ok(kept.filter((c) => c < 100).length <= 12);
  // one colour from shoulders to thighs (a dress, a suit): all stay
  const dress = Array.from({ length: 40 }, (_, i) => 60 + i);
  assert.deepEqual(withoutTopColours(f, dress, upperCells, upper), dress);
  // no top model, or too few top cells: unchanged
  assert.deepEqual(withoutTopColours(f, lowerCells, upperCells, undefined), lowerCells);
  assert.deepEqual(withoutTopColours(f, lowerCells, upperCells.slice(0, 5), upper), lowerCells);
});

test('limbSkinModels: a limb lit unlike the face gets its own skin model over its zone', async () => {
  const { limbSkinModels, DEFAULT_LABEL_OPTIONS } = await import('../../../src/parsing/default/label.js');
  const { fitGmm, gmmNll } = await import('../../../src/parsing/default/gmm.js');
  const body = bodyModel(frontalPerson());
  const grid: Grid = { x0: 120, y0: 20, step: 2, width: 80, height: 180 };
  const n = grid.width * grid.height;
  const rand = seededRandom(3);
  const face = [34, 16, 20]; // features: L already weighted
  const shaded = [18, -4, 2]; // a forearm in blue shade
  const centre = (i: number): [number, number] => [
    grid.x0 + ((i % grid.width) + 0.5) * grid.step,
    grid.y0 + (Math.floor(i / grid.width) + 0.5) * grid.step,
  ];
  const arm = body.arms[1]!;
  const onArm = (i: number): boolean => chainDistance(...centre(i), arm) < arm.radius * 0.8;
  const faceCells = Array.from({ length: n }, (_, i) => i).filter(
    (i) => ellipseRadius(...centre(i), body.face!) < 0.8,
  );
  const draw = (armColour: number[]): Float32Array => {
    const f = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const c = onArm(i) ? armColour : face;
      for (let k = 0; k < 3; k++) f[i * 3 + k] = c[k] + (rand() - 0.5) * 3;
    }
    return f;
  };
  const labels = new Uint8Array(n);
  const q = new Float32Array(n * 13);
  for (let i = 0; i < n; i++) {
    labels[i] = onArm(i) ? PART.ARM_L : PART.BG;
    q[i * 13 + labels[i]] = 1;
  }
  const run = (f: Float32Array, lbl = labels) => {
    const data = new Float32Array(faceCells.flatMap((c) => [f[c * 3], f[c * 3 + 1], f[c * 3 + 2]]));
    const skin = fitGmm(data, faceCells.length, 2)!;
    const models = [undefined, skin, undefined, undefined, undefined, undefined, undefined];
    return { skin, limbs: limbSkinModels(f, grid, body, lbl, q, models, faceCells, DEFAULT_LABEL_OPTIONS) };
  };
  // shaded forearm: one model, for the left arm only, over cells near that arm
  const f = draw(shaded);
  const { skin, limbs } = run(f);
  assert.equal(limbs.length, 1);
  assert.equal(limbs[0].part, PART.ARM_L);
  assert.ok(limbs[0].zone.length > 20);
  assert.ok(limbs[0].zone.every((i) => chainDistance(...centre(i), arm) < arm.radius));
  const armCell = Array.from({ length: n }, (_, i) => i).find(onArm)!;
  const at = (g: typeof skin, c: number): number => gmmNll(g, f[c * 3], f[c * 3 + 1], f[c * 3 + 2]);
  assert.ok(at(limbs[0].model, armCell) < at(skin, armCell) - 5, 'the own model explains the shade');
  // a forearm lit as the face: the shared model suffices
  assert.equal(run(draw(face)).limbs.length, 0);
  // too few confident cells: none
  const few = new Uint8Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) if (labels[i] === PART.ARM_L && kept++ < 10) few[i] = PART.ARM_L;
  assert.equal(run(f, few).limbs.length, 0);
});

test('labelPerson: the per-limb skin models leave a person lit evenly unchanged', () => {
  const input = drawPerson({ skin: SKIN, pants: [32, 8, -40], hem: 265 });
  const on = labelPerson(input).parts;
  const off = labelPerson(input, { limbSkin: false }).parts;
  assert.deepEqual(on, off);
});

test('outsideLimbZones: an arm with its own skin model keeps its zone out of the top refit', async () => {
  const { outsideLimbZones } = await import('../../../src/parsing/default/label.js');
  const { fitGmm } = await import('../../../src/parsing/default/gmm.js');
  const model = fitGmm(Float32Array.of(1, 2, 3, 2, 3, 4, 3, 4, 5), 3, 1)!;
  const n = 100;
  const top = Array.from({ length: 60 }, (_, i) => i);
  const armZone = Array.from({ length: 20 }, (_, i) => 40 + i);
  const legZone = Array.from({ length: 20 }, (_, i) => i);
  const limbs = [
    { part: PART.ARM_L, zone: armZone, model },
    { part: PART.LEG_L, zone: legZone, model },
  ];
  // the arm's zone goes; the leg's is not asked for and stays
  assert.deepEqual(outsideLimbZones(top, limbs, [PART.ARM_R, PART.ARM_L], n), top.slice(0, 40));
  // no arm with its own model: unchanged
  assert.deepEqual(outsideLimbZones(top, limbs.slice(1), [PART.ARM_R, PART.ARM_L], n), top);
  // the zone covering most of the top's cells: kept whole (a model needs its samples)
  const wide = [{ part: PART.ARM_R, zone: Array.from({ length: 50 }, (_, i) => i), model }];
  assert.deepEqual(outsideLimbZones(top, wide, [PART.ARM_R], n), top);
});

test('labelPerson: a skin-coloured patch on the top under its shoulder stays top; the neck stays neck', () => {
  const input = drawPerson({ skin: SKIN, pants: [32, 8, -40], hem: 400 });
  const { grid, lab } = input;
  const cell = (x: number, y: number): number =>
    Math.floor((y - grid.y0) / grid.step) * grid.width + Math.floor((x - grid.x0) / grid.step);
  // sun on the shirt left of the neck: skin's colour, with the shirt's shoulder above it
  for (let y = 124; y < 146; y += grid.step)
    for (let x = 187; x < 196; x += grid.step)
      lab.set([SKIN[0] + 2, SKIN[1] - 2, SKIN[2] + 2], cell(x, y) * 3);
  const off = labelPerson(input, { coveredNeckCost: 0 }).parts;
  const on = labelPerson(input).parts;
  assert.equal(off[cell(191, 132)], PART.NECK, 'without the rule the patch is taken for skin');
  assert.equal(on[cell(191, 132)], PART.UPPER, 'patch');
  assert.equal(on[cell(200, 100)], PART.NECK, 'neck');
  assert.equal(on[cell(200, 160)], PART.UPPER, 'chest');
});

test('shadedBeyondArmWidth: shaded cells of a forearm zone past its lit width, not the upper arm or lit cells', async () => {
  const { shadedBeyondArmWidth, litForearmWidth } = await import('../../../src/parsing/default/label.js');
  const body = bodyModel(frontalPerson());
  const grid: Grid = { x0: 120, y0: 20, step: 1, width: 160, height: 360 };
  const n = grid.width * grid.height;
  const arm = body.arms[0]!; // radius ~14.6; elbow (160,160), wrist (155,205)
  const cell = (x: number, y: number): number =>
    Math.floor(y - grid.y0) * grid.width + Math.floor(x - grid.x0);
  const labels = new Uint8Array(n);
  const q = new Float32Array(n * 13);
  const armTrust = new Float32Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    const x = grid.x0 + (i % grid.width) + 0.5;
    const y = grid.y0 + Math.floor(i / grid.width) + 0.5;
    const d = chainDistance(x, y, arm);
    // a lit arm 6 px wide each side of its centre line, in deep shade past that (the zone is wider)
    labels[i] = d < arm.radius ? PART.ARM_R : PART.BG;
    q[i * 13 + labels[i]] = 1;
    if (d >= 6 && d < arm.radius) armTrust[i] = 0.2;
  }
  const input = { grid, lab: new Float32Array(n * 3), matte: new Float32Array(n).fill(1), body };
  const w = litForearmWidth(grid, arm, PART.ARM_R, labels, q, armTrust)!;
  assert.ok(w > 4.5 && w < 6.5, `lit forearm half-width ${w}`);
  const doubt = shadedBeyondArmWidth(input, labels, q, armTrust, 1)!;
  assert.ok(doubt, 'some cells flagged');
  assert.equal(doubt[cell(146, 185)], 1, 'shaded, 11 px beside the forearm');
  assert.equal(doubt[cell(155, 185)], 0, 'on the forearm');
  assert.equal(doubt[cell(157, 130)], 0, 'shaded beside the upper arm: its width is not measured');
  assert.equal(doubt[cell(146, 185 + 80)], 0, 'outside the zone');
  // lit there: colour decides, nothing flagged
  armTrust[cell(146, 185)] = 1;
  assert.equal(shadedBeyondArmWidth(input, labels, q, armTrust, 1)![cell(146, 185)], 0, 'lit');
  // a wider factor keeps the zone
  assert.equal(shadedBeyondArmWidth(input, labels, q, armTrust, 3), undefined, 'within 3 widths');
  assert.equal(shadedBeyondArmWidth(input, labels, q, armTrust, 0), undefined, 'off');
  // a forearm too shaded to measure: nothing flagged
  for (let i = 0; i < n; i++) if (labels[i] === PART.ARM_R) armTrust[i] = 0.2;
  assert.equal(shadedBeyondArmWidth(input, labels, q, armTrust, 1), undefined, 'no lit cells');
});

test('labelPerson: the dark lap beside a lit forearm is background though the matte says person', () => {
  const input = drawPerson({ skin: SKIN, pants: [32, 8, -40], hem: 400 });
  const { grid, lab, matte, body } = input;
  const arm = body.arms[0]!;
  const fore: typeof arm = { points: arm.points.slice(1), radius: 0 };
  const rand = seededRandom(11);
  for (let i = 0; i < grid.width * grid.height; i++) {
    const x = grid.x0 + ((i % grid.width) + 0.5) * grid.step;
    const y = grid.y0 + (Math.floor(i / grid.width) + 0.5) * grid.step;
    const d = chainDistance(x, y, fore);
    const outside = y > 170 && polygonSignedDistance(x, y, body.torso) > 4;
    // a near-black seat beside the forearm, whose edge BlazePose's matte put past the arm's
    if (outside && d >= 9 && d < 24) {
      lab.set([3 + rand() * 2, (rand() - 0.5) * 2, (rand() - 0.5) * 2], i * 3);
      matte[i] = d < 14 ? 1 : 0;
    }
  }
  const at = (parts: Uint8Array, x: number, y: number): number =>
    parts[Math.floor((y - grid.y0) / grid.step) * grid.width + Math.floor((x - grid.x0) / grid.step)];
  // without the limbs' own skin models: a model fitted on the first pass's arm learns the seat's black too,
  // and the choice is then a tie (in b9 the arm's shade and the car's differ in hue)
  const on = labelPerson(input, { limbSkin: false });
  const off = labelPerson(input, { limbSkin: false, armWidthFactor: 0 });
  assert.equal(at(off.parts, 144, 190), PART.ARM_R, 'without the rule the zone is arm');
  assert.equal(off.matteDoubt, undefined);
  assert.equal(at(on.parts, 144, 190), PART.BG, 'shaded, past the lit forearm');
  assert.equal(at(on.matteDoubt!, 144, 190), 1, 'flagged for the parser');
  assert.equal(at(on.parts, 157, 190), PART.ARM_R, 'the forearm itself');
  assert.equal(at(on.parts, 244, 190), PART.ARM_L, 'the other forearm');
});

test('labelPerson: a photo cut through the face learns hair from beside the face', () => {
  const full = drawPerson({ skin: SKIN, pants: [32, 8, -40], hem: 400 });
  const face = full.body.face!;
  // the photo starts at the face's centre (Dress Code's crop): no crown to learn hair from
  const skip = Math.ceil((face.cy - full.grid.y0) / full.grid.step);
  const grid = { ...full.grid, y0: full.grid.y0 + skip * full.grid.step, height: full.grid.height - skip };
  const w = grid.width;
  const lab = full.lab.slice(skip * w * 3);
  const matte = full.matte.slice(skip * w);
  const rand = seededRandom(11);
  const sideHair: number[] = [];
  for (let i = 0; i < matte.length; i++) {
    const x = grid.x0 + ((i % w) + 0.5) * grid.step;
    const y = grid.y0 + (Math.floor(i / w) + 0.5) * grid.step;
    // long dark hair falling beside the cheeks
    const off = Math.abs(x - face.cx);
    if (y < face.cy + face.ry * 0.9 && off > face.rx * 0.75 && off < face.rx * 1.3) {
      lab.set([20 + (rand() - 0.5) * 6, 4 + (rand() - 0.5) * 4, 8 + (rand() - 0.5) * 4], i * 3);
      matte[i] = 1;
      sideHair.push(i);
    }
  }
  const out = labelPerson({ grid, lab, matte, body: full.body });
  const hair = sideHair.filter((i) => out.parts[i] === PART.HAIR).length;
  assert.ok(hair > sideHair.length * 0.6, `hair beside the face: ${hair} of ${sideHair.length}`);
  const mid =
    Math.floor((face.cy + face.ry * 0.4 - grid.y0) / grid.step) * w +
    Math.floor((face.cx - grid.x0) / grid.step);
  assert.equal(out.parts[mid], PART.FACE, 'the face stays face');
});
