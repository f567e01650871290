import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { loadPhoto } from '../../src/image/decode.js';
import { readOpenPoseJson } from '../../src/pose/openpose-json.js';
import { renderPose, type PoseRenderStyle } from '../../src/pose/render.js';
import { cpuSizes } from '../../src/pose/render/openpose.js';
import { BODY_25, COCO_18, CONTROLNET_COCO18_COLORS, HAND_21, type Rgb } from '../../src/pose/skeletons.js';
import type { Keypoint, Person } from '../../src/types.js';
import { needShared, sharedPath } from '../helpers/paths.js';

const W = 768;
const H = 1024;
const STYLES: PoseRenderStyle[] = ['openpose', 'openpose-cpu', 'controlnet'];
const MISSING: Keypoint = { x: 0, y: 0, score: 0 };

function person(points: Record<number, [number, number]>, extra: Partial<Person> = {}): Person {
  const keypoints = Array.from({ length: 25 }, (_, i): Keypoint =>
    points[i] ? { x: points[i][0], y: points[i][1], score: 0.9 } : { ...MISSING },
  );
  return { keypoints, score: 0.9, box: { x: 0, y: 0, width: 0, height: 0 }, ...extra };
}

const px = (rgb: Uint8Array, x: number, y: number, w = W): number[] => [
  ...rgb.subarray((y * w + x) * 3, (y * w + x) * 3 + 3),
];
const times = (c: Rgb, f: number): number[] => c.map((v) => Math.round(v * f));
const isBlack = (rgb: Uint8Array): boolean => rgb.every((v) => v === 0);

/** A standing BODY_25 figure with every point, far apart so limb middles do not overlap. */
// prettier-ignore
const FIGURE: Record<number, [number, number]> = {
  0: [384, 150], 1: [384, 250], 2: [300, 250], 3: [250, 400], 4: [220, 550], 5: [468, 250], 6: [518, 400],
  7: [548, 550], 8: [384, 550], 9: [330, 560], 10: [320, 750], 11: [310, 950], 12: [438, 560], 13: [448, 750],
  14: [458, 950], 15: [364, 130], 16: [404, 130], 17: [340, 140], 18: [428, 140], 19: [490, 990],
  20: [500, 1000], 21: [445, 975], 22: [278, 990], 23: [268, 1000], 24: [323, 975],
};

test('render size equals the input size for every style, and no people gives black', () => {
  for (const style of STYLES) {
    const out = renderPose([person(FIGURE)], 321, 457, { style });
    assert.equal(out.length, 321 * 457 * 3, style);
    assert.ok(!isBlack(out), `${style} drew something`);
    assert.ok(isBlack(renderPose([], 40, 30, { style })), style);
  }
});

test("'openpose': a limb alone is 0.6 x its colour, a joint over it 0.84 x; GPU sizes at scale 1", () => {
  // Neck-MidHip only: limb 1-8 takes MidHip's colour; box 0 x 400 px -> scale min(1, 400/400) = 1.
  const out = renderPose([person({ 1: [300, 300], 8: [300, 700] })], W, H);
  const limb = BODY_25.colors[8];
  assert.deepEqual(px(out, 300, 500), times(limb, 0.6));
  // 3 px below the neck both the limb and the neck's disc cover the pixel: 0.6 c1 + 0.4 (0.6 c8).
  const neck = BODY_25.colors[1];
  assert.deepEqual(
    px(out, 300, 303),
    neck.map((c, i) => Math.round(0.6 * c + 0.4 * 0.6 * limb[i])),
  );
  // Limb 13 px wide at its middle (half-width 768/120 = 6.4); joint 15 px across (radius 7.68).
  const run = (y: number): number => [...Array(W).keys()].filter((x) => px(out, x, y)[0] > 0).length;
  assert.equal(run(500), 13);
  assert.equal(run(300), 15);
});

test("'openpose': sizes shrink with a small person (scale = clamp((w + h) / 400, 0.33, 1))", () => {
  const out = renderPose([person({ 1: [300, 300], 8: [300, 500] })], W, H); // scale 0.5
  const run = [...Array(W).keys()].filter((x) => px(out, x, 400)[0] > 0).length;
  assert.equal(run, 2 * Math.floor(6.4 * 0.5) + 1);
});

test('score-0 points are not drawn and limbs with a missing end are skipped', () => {
  for (const style of STYLES) {
    assert.ok(isBlack(renderPose([person({})], W, H, { style })), `${style}: all missing`);
    // (RShoulder too: OpenPose's CPU renderer skips a person whose keypoint box has no area.)
    const p = person({ 1: [300, 300], 2: [250, 320], 8: [300, 700] });
    p.keypoints[8].score = 0; // MidHip detected at a place but scored 0: nothing there, no limb to it
    const out = renderPose([p], W, H, { style });
    assert.deepEqual(px(out, 300, 500), [0, 0, 0], style);
    assert.deepEqual(px(out, 300, 700), [0, 0, 0], style);
    assert.deepEqual(px(out, 0, 0), [0, 0, 0], style);
    assert.notDeepEqual(px(out, 300, 300), [0, 0, 0], `${style}: the neck is still drawn`);
  }
  // OpenPose's render threshold: score 0.05 is not drawn, 0.06 is.
  const low = person({ 1: [300, 300] });
  low.keypoints[1].score = 0.05;
  assert.ok(isBlack(renderPose([low], W, H)));
  low.keypoints[1].score = 0.06;
  assert.ok(!isBlack(renderPose([low], W, H)));
});

test("'openpose-cpu': line width and joints follow OpenPose's CPU formula for a known box", () => {
  for (const [boxW, boxH] of [
    [700, 1000],
    [350, 500],
  ]) {
    // A person whose keypoint box is boxW x boxH, with a horizontal shoulder line at y = 100.
    const p = person({ 1: [50, 100], 2: [50 + boxW, 100], 11: [50 + boxW / 2, 100 + boxH] });
    const ratio = Math.min(1, Math.max(boxW / W, boxH / H));
    const t = Math.max(Math.round((Math.sqrt(W * H) / 75) * ratio), 2);
    const lineWidth = Math.max(1, Math.round(0.75 * t));
    const sizes = cpuSizes(p.keypoints, W, H, 1 / 75);
    assert.deepEqual(sizes && [sizes.thickness, sizes.lineWidth], [t, lineWidth]);
    assert.equal(lineWidth % 2, 1, 'test boxes give odd widths, which a centred line draws exactly');
    const out = renderPose([p], W, H, { style: 'openpose-cpu' });
    const mid = Math.round(50 + boxW / 2);
    const column = [...Array(H).keys()].filter(
      (y) => y < 100 + boxH / 2 && px(out, mid, y).some((v) => v > 0),
    );
    assert.equal(column.length, lineWidth, `box ${boxW}x${boxH}`);
    assert.deepEqual(px(out, mid, 100), [...BODY_25.colors[2]], 'opaque, second keypoint colour');
    // cv::circle(radius t/2, thickness t): an outline t wide centred on radius t/2, i.e. a filled disc.
    const outer = Math.floor(t / 2) + t / 2;
    const row = [...Array(W).keys()].filter((x) => x < 50 + boxW / 2 && px(out, x, 100).some((v) => v > 0));
    const left = row.filter((x) => x < 50);
    assert.equal(left.length, Math.floor(outer), 'disc reaches t/2 + t/2 to the left of the neck');
    assert.deepEqual(px(out, 50, 100), [...BODY_25.colors[1]]);
  }
});

test("'controlnet' draws exactly the 17 COCO-18 limbs in controlnet_aux colours, 0.6x, and r=4 joints", () => {
  const out = renderPose([person(FIGURE)], W, H, { style: 'controlnet' });
  const coco = Object.fromEntries(
    [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18].map((b, i) => [i, FIGURE[b]]),
  ) as Record<number, [number, number]>;
  COCO_18.limbs.forEach(([a, b], i) => {
    const x = Math.trunc((coco[a][0] + coco[b][0]) / 2);
    const y = Math.trunc((coco[a][1] + coco[b][1]) / 2);
    assert.deepEqual(
      px(out, x, y),
      CONTROLNET_COCO18_COLORS[i].map((c) => Math.floor(c * 0.6)),
      `limb ${a}-${b}`,
    );
  });
  // BODY_25-only limbs (through MidHip, and the feet) are absent.
  for (const [a, b] of BODY_25.limbs.filter(
    ([a, b]) => [8, 19, 20, 21, 22, 23, 24].includes(a) || [8, 19, 20, 21, 22, 23, 24].includes(b),
  )) {
    const x = Math.round((FIGURE[a][0] + FIGURE[b][0]) / 2);
    const y = Math.round((FIGURE[a][1] + FIGURE[b][1]) / 2);
    assert.deepEqual(px(out, x, y), [0, 0, 0], `BODY_25 limb ${a}-${b}`);
  }
  for (const [k, [x, y]] of Object.entries(coco)) {
    assert.deepEqual(px(out, x, y), [...CONTROLNET_COCO18_COLORS[Number(k)]], `joint ${k}`);
    assert.deepEqual(px(out, x + 4, y), [...CONTROLNET_COCO18_COLORS[Number(k)]], `joint ${k} radius 4`);
  }
  // The format option does not change the ControlNet skeleton.
  assert.deepEqual(renderPose([person(FIGURE)], W, H, { style: 'controlnet', format: 'body25' }), out);
});

test("format 'coco18' in the OpenPose styles drops MidHip and feet", () => {
  for (const style of ['openpose', 'openpose-cpu'] as const) {
    const b25 = renderPose([person(FIGURE)], W, H, { style });
    const c18 = renderPose([person(FIGURE)], W, H, { style, format: 'coco18' });
    assert.notDeepEqual(px(b25, 384, 400), [0, 0, 0], `${style}: Neck-MidHip in BODY_25`);
    assert.deepEqual(px(c18, 384, 400), [0, 0, 0], `${style}: no Neck-MidHip in COCO-18`);
    assert.deepEqual(px(c18, 490, 990), [0, 0, 0], `${style}: no toes in COCO-18`);
  }
});

/** A right hand fanning upwards from a wrist at (650, 300): finger f's joints 30, 60, 90, 120 px out. */
const HAND: Keypoint[] = [
  { x: 650, y: 300, score: 0.9 },
  ...[0, 1, 2, 3, 4].flatMap((f) =>
    [1, 2, 3, 4].map((j): Keypoint => {
      const angle = ((-150 + f * 30) * Math.PI) / 180;
      return { x: 650 + Math.cos(angle) * 30 * j, y: 300 + Math.sin(angle) * 30 * j, score: 0.9 };
    }),
  ),
];

test('hands are drawn in HAND_21 colours after the body, unless hands: false', () => {
  const p = person({ 1: [300, 300], 8: [300, 700] }, { handRight: HAND });
  const mid = (a: number, b: number): [number, number] => [
    Math.round((HAND[a].x + HAND[b].x) / 2),
    Math.round((HAND[a].y + HAND[b].y) / 2),
  ];
  for (const style of STYLES) {
    const withHands = renderPose([p], W, H, { style });
    const without = renderPose([p], W, H, { style, hands: false });
    assert.notDeepEqual(px(withHands, ...mid(9, 10)), [0, 0, 0], style);
    assert.deepEqual(px(without, ...mid(9, 10)), [0, 0, 0], style);
    assert.deepEqual(px(without, 300, 500), px(withHands, 300, 500), `${style}: body unchanged`);
  }
  // OpenPose GPU: a hand limb alone is 0.6 x its second keypoint's hand colour.
  assert.deepEqual(px(renderPose([p], W, H), ...mid(9, 10)), times(HAND_21.colors[10], 0.6));
  assert.deepEqual(px(renderPose([p], W, H, { style: 'openpose-cpu' }), ...mid(9, 10)), [
    ...HAND_21.colors[10],
  ]);
  // Hand points scored <= 0.2 (OpenPose's hand render threshold) are not drawn.
  const weak = HAND.map((k) => ({ ...k, score: 0.2 }));
  assert.deepEqual(renderPose([{ ...p, handRight: weak }], W, H), renderPose([p], W, H, { hands: false }));
});

test('with a background, pixels far from the skeleton are the photo and the photo is not changed', () => {
  const bg = new Uint8Array(W * H * 3).map((_, i) => (i * 7 + (i >> 5)) & 255);
  const copy = bg.slice();
  for (const style of STYLES) {
    const out = renderPose([person(FIGURE)], W, H, { style, background: bg });
    assert.deepEqual(bg, copy, `${style}: background untouched`);
    for (const [x, y] of [
      [5, 5],
      [760, 20],
      [10, 1000],
      [700, 700],
    ])
      assert.deepEqual(px(out, x, y), px(bg, x, y), `${style} ${x},${y}`);
    assert.notDeepEqual(px(out, 384, 200), px(bg, 384, 200), `${style}: skeleton drawn over the photo`);
  }
  // 'openpose' blends: a lone limb over a grey photo is 0.6 c + 0.4 grey.
  const grey = new Uint8Array(W * H * 3).fill(100);
  const out = renderPose([person({ 1: [300, 300], 8: [300, 700] })], W, H, { background: grey });
  assert.deepEqual(
    px(out, 300, 500),
    BODY_25.colors[8].map((c) => Math.floor(0.6 * c + 0.4 * 100 + 1e-6)),
  );
  assert.throws(() => renderPose([], W, H, { background: new Uint8Array(10) }), /background/);
});

// Keypoints fitted to the reference render below (00006_00; its own JSON does not match the image,
// see MANIFEST): the renderer must reproduce that OpenPose GPU render pixel for pixel almost everywhere.
// prettier-ignore
const REF_BODY: Record<number, [number, number]> = {
  0: [371.6875, 167.6875], 1: [374.625, 332.1875], 2: [255.4375, 306.5625], 3: [170.625, 578.375],
  4: [201.625, 856.25], 5: [504.75, 368.75], 6: [487.875, 547.375], 7: [493.625, 652.25], 8: [371.6875, 754.3125],
  9: [281, 757.125], 12: [462.3125, 754.25], 15: [329.375, 145], 16: [397.1875, 125.3125], 17: [303.75, 170.5625],
  18: [445.4375, 145],
};
// prettier-ignore
const REF_HAND: Array<[number, number]> = [
  [199.375, 864.8125], [225.625, 885.3125], [243.8125, 913.8125], [246, 945.5], [245, 971.9375], [219.9375, 940],
  [226.6875, 979.9375], [233.625, 993.4375], [235.875, 999.25], [196, 941.125], [200.5, 984.3125],
  [210.8125, 1000.375], [223.3125, 1012.9375], [180, 935.5], [183.4375, 974.1875], [194.75, 993.5625],
  [207.5, 1007.25], [172.0625, 928.625], [169.75, 960.5625], [178.875, 974.125], [185.75, 981],
];
const REF = ['eval', 'TryOn_with_viton', 'data', 'test', 'openpose_img', '00006_00_rendered.png'];

test(
  "'openpose' reproduces a dataset openpose_img render (> 99% of drawn pixels exact)",
  { skip: needShared(...REF) },
  async () => {
    const ref = await loadPhoto(sharedPath(...REF));
    const hand = REF_HAND.map(([x, y]): Keypoint => ({ x, y, score: 0.9 }));
    const out = renderPose([person(REF_BODY, { handRight: hand })], ref.width, ref.height);
    let drawn = 0;
    let wrong = 0;
    for (let i = 0; i < out.length; i += 3) {
      const r = ref.rgb;
      if (r[i] + r[i + 1] + r[i + 2] > 0 || out[i] + out[i + 1] + out[i + 2] > 0) drawn++;
      if (out[i] !== r[i] || out[i + 1] !== r[i + 1] || out[i + 2] !== r[i + 2]) wrong++;
    }
    assert.ok(drawn > 20000, `drawn ${drawn}`);
    assert.ok(wrong / drawn < 0.01, `${wrong} of ${drawn} pixels differ`);
  },
);

const VITON = ['eval', 'multimodal-garment-designer', 'assets', 'data', 'vitonhd', 'test'];

test(
  'VITON-HD reference JSON renders in every style, fast enough',
  { skip: needShared(...VITON) },
  async () => {
    const text = await readFile(sharedPath(...VITON, 'openpose_json', '03191_00_keypoints.json'), 'utf8');
    const { people } = readOpenPoseJson(text);
    for (const style of STYLES) {
      renderPose(people, W, H, { style }); // warm-up
      const t0 = performance.now();
      const out = renderPose(people, W, H, { style });
      const ms = performance.now() - t0;
      assert.ok(ms < 250, `${style} took ${ms.toFixed(1)} ms`); // a few ms normally; generous for busy CI
      const neck = people[0].keypoints[1];
      assert.notDeepEqual(px(out, Math.trunc(neck.x), Math.trunc(neck.y)), [0, 0, 0], style);
    }
  },
);

test('successive renders reuse one buffer without leaking pixels between them', () => {
  const p = person(FIGURE);
  const far = person(
    Object.fromEntries(Object.entries(FIGURE).map(([k, [x, y]]) => [k, [x + 200, y + 150]])),
  );
  const grey = new Uint8Array(W * H * 3).fill(90);
  const first = renderPose([p], W, H, { style: 'openpose' });
  const onGrey = renderPose([far], W, H, { style: 'openpose', background: grey });
  const small = renderPose([p], 300, 400, { style: 'openpose-cpu' });
  const again = renderPose([p], W, H, { style: 'openpose' });
  assert.deepEqual(again, first, 'a render after others differs from the first');
  // what the grey render drew (or its grey) must not show through in later ones
  assert.ok(again.some((v, i) => onGrey[i] !== v));
  assert.ok(!isBlack(small));
  assert.deepEqual(renderPose([far], W, H, { style: 'openpose', background: grey }), onGrey);
});
