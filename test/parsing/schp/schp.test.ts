import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveOnnxModel, tensor, type OnnxModelSpec } from '../../helpers/onnx-builder.js';
import { applyAffine, toNchw, warpAffineBilinear } from '../../../src/parsing/schp/affine.js';
import { SCHP_PRESETS } from '../../../src/parsing/schp/presets.js';
import {
  schpLetterbox,
  unflipLogits,
  upsampleAlignCorners,
  warpLogitsArgmax,
} from '../../../src/parsing/schp/transform.js';
import { SchpNetwork } from '../../../src/parsing/schp/parser.js';
import { combineLipAtr, largestComponent, splitCombinedSpec } from '../../../src/parsing/schp/combined.js';
import { createParser } from '../../../src/parsing/registry.js';
import { ParseposeError } from '../../../src/errors.js';
import type { Photo } from '../../../src/types.js';

function photo(
  width: number,
  height: number,
  color: (x: number, y: number) => [number, number, number],
): Photo {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set(color(x, y), (y * width + x) * 3);
  return { id: 't', source: 't', width, height, rgb };
}

function near(a: number, b: number, eps = 1e-4): void {
  assert.ok(Math.abs(a - b) <= eps, `${a} vs ${b}`);
}

/** C x h x w logits from a function of (class, row, col). */
function logits(
  c: number,
  h: number,
  w: number,
  f: (k: number, row: number, col: number) => number,
): Float32Array {
  const out = new Float32Array(c * h * w);
  for (let k = 0; k < c; k++)
    for (let r = 0; r < h; r++) for (let q = 0; q < w; q++) out[(k * h + r) * w + q] = f(k, r, q);
  return out;
}

/**
 * A model shaped like the SCHP exports (input `input.1` 1x3xSxS; outputs parsing, fusion, edge at 1/4 of
 * S) that ignores its input and returns fixed fusion logits. Its `parsing` output holds different
 * logits so that taking the wrong output shows.
 */
function fixedLogitsModel(size: number, classes: number, fusion: Float32Array): OnnxModelSpec {
  const q = Math.ceil(size / 4);
  return {
    inputs: [{ name: 'input.1', shape: [1, 3, size, size] }],
    outputs: [
      { name: 'parsing', shape: [1, classes, q, q] },
      { name: 'fusion', shape: [1, classes, q, q] },
      { name: 'edge', shape: [1, 2, q, q] },
    ],
    initializers: [
      tensor('fusion_const', [1, classes, q, q], fusion),
      tensor(
        'parsing_const',
        [1, classes, q, q],
        logits(classes, q, q, (k) => (k === 1 ? 100 : 0)),
      ),
      tensor('edge_const', [1, 2, q, q], new Float32Array(2 * q * q)),
    ],
    nodes: [
      { opType: 'Identity', inputs: ['parsing_const'], outputs: ['parsing'] },
      { opType: 'Identity', inputs: ['fusion_const'], outputs: ['fusion'] },
      { opType: 'Identity', inputs: ['edge_const'], outputs: ['edge'] },
    ],
  };
}

test('letterbox affine: the longer side spans the input pixel centres, the shorter is centred', () => {
  // 40x20 photo into 473x473: box [0,0,39,19] grown to 39x39, scale 472/39, centre (19.5, 9.5) -> (236, 236).
  const m = schpLetterbox(40, 20, 473, 473);
  const k = 472 / 39;
  assert.deepEqual(
    applyAffine(m, 0, 9.5).map((v) => Math.round(v * 1e6) / 1e6),
    [0, 236],
  );
  assert.deepEqual(
    applyAffine(m, 39, 9.5).map((v) => Math.round(v * 1e6) / 1e6),
    [472, 236],
  );
  near(applyAffine(m, 0, 0)[1], 236 - 9.5 * k);
  near(applyAffine(m, 0, 19)[1], 236 + 9.5 * k);
  // A portrait photo: the height spans the input.
  const p = schpLetterbox(3, 5, 512, 512);
  near(applyAffine(p, 1, 0)[1], 0);
  near(applyAffine(p, 1, 4)[1], 511);
  near(applyAffine(p, 0, 2)[0], 255.5 - 511 / 4);
});

test('align-corners upsampling keeps the corner cells and interpolates linearly between them', () => {
  // one channel, 2x2 -> 3x3: the centre is the mean of the four cells
  const up = upsampleAlignCorners(Float32Array.from([0, 4, 8, 12]), 1, 2, 2, 3, 3);
  assert.deepEqual([...up], [0, 2, 4, 4, 6, 8, 8, 10, 12]);
  // 119 -> 473 is exactly x4: output column 4 is input column 1
  const row = logits(1, 1, 119, (_k, _r, c) => c * c);
  const wide = upsampleAlignCorners(row, 1, 1, 119, 1, 473);
  near(wide[4], 1);
  near(wide[6], (1 + 4) / 2);
  near(wide[472], 118 * 118);
});

test('inverse warp + argmax on hand-made logits (first class wins ties, outside counts as 0)', () => {
  // 2 classes on a 3x3 input; forward affine = identity, photo 3x3
  const l = logits(2, 3, 3, (k, r, c) => (k === 0 ? 1 : c === 2 ? 2 : r === 0 ? 1 : 0));
  const { labels } = warpLogitsArgmax(l, 2, 3, 3, [1, 0, 0, 0, 1, 0], 3, 3);
  assert.deepEqual([...labels], [0, 0, 1, 0, 0, 1, 0, 0, 1]);
  // shifted by half a pixel to the right: x=1 samples between columns 1 and 2 -> class 1 = 1.0, class 0 = 1.0 -> tie -> 0;
  // x=2 samples between column 2 and outside -> class 1 = 1, class 0 = 0.5 -> 1
  const shifted = warpLogitsArgmax(l, 2, 3, 3, [1, 0, 0.5, 0, 1, 0], 3, 3).labels;
  assert.deepEqual([...shifted.subarray(3, 6)], [0, 0, 1]);
});

test('flip: mirrored logits come back mirrored with left/right channels swapped', () => {
  // 3 channels, 1x3; pair (1, 2)
  const l = Float32Array.from([0, 1, 2, 10, 11, 12, 20, 21, 22]);
  const back = unflipLogits(l, 3, 1, 3, [[1, 2]]);
  assert.deepEqual([...back], [2, 1, 0, 22, 21, 20, 12, 11, 10]);
});

test('pixel normalisation: BGR order, 1/255 scale, ImageNet mean/std in B,G,R', () => {
  const t = toNchw(Uint8Array.from([255, 0, 51]), 1, 1, SCHP_PRESETS['schp-lip'].pixels);
  near(t[0], (0.2 - 0.406) / 0.225); // B = 51
  near(t[1], (0 - 0.456) / 0.224); // G
  near(t[2], (1 - 0.485) / 0.229); // R
});

test('echo model: the network sees the letterboxed photo in BGR with mean/std, black borders', async () => {
  // fusion = the input padded with 17 zero channels (full resolution), parsing = -fusion, edge = 2 channels
  const path = await saveOnnxModel({
    inputs: [{ name: 'input.1', shape: [1, 3, 473, 473] }],
    outputs: [{ name: 'parsing' }, { name: 'fusion' }, { name: 'edge' }],
    initializers: [
      tensor('pads', [8], [0, 0, 0, 0, 0, 17, 0, 0], 'int64'),
      tensor('starts', [1], [0], 'int64'),
      tensor('ends', [1], [2], 'int64'),
      tensor('axes', [1], [1], 'int64'),
    ],
    nodes: [
      { opType: 'Pad', inputs: ['input.1', 'pads'], outputs: ['fusion'] },
      { opType: 'Neg', inputs: ['fusion'], outputs: ['parsing'] },
      { opType: 'Slice', inputs: ['input.1', 'starts', 'ends', 'axes'], outputs: ['edge'] },
    ],
  });
  const net = await SchpNetwork.load(SCHP_PRESETS['schp-lip'], path);
  // 40x20: left half pure red, right half (R,G,B) = (10, 200, 60)
  const img = photo(40, 20, (x) => (x < 20 ? [255, 0, 0] : [10, 200, 60]));
  const { logits: out } = await net.networkLogits(img);
  assert.equal(out.channels, 20);
  assert.equal(out.height, 473);
  const at = (c: number, u: number, v: number): number => out.data[(c * 473 + v) * 473 + u];
  const B = (v: number): number => (v / 255 - 0.406) / 0.225;
  const G = (v: number): number => (v / 255 - 0.456) / 0.224;
  const R = (v: number): number => (v / 255 - 0.485) / 0.229;
  // input (100, 236) <- photo (8.26, 9.5): red
  near(at(0, 100, 236), B(0));
  near(at(1, 100, 236), G(0));
  near(at(2, 100, 236), R(255));
  // input (400, 236) <- photo (33.05, 9.5): the other colour, channels in B, G, R order
  near(at(0, 400, 236), B(60));
  near(at(1, 400, 236), G(200));
  near(at(2, 400, 236), R(10));
  // input row 50 <- photo y = -5.9: the black letterbox border
  near(at(0, 100, 50), B(0));
  near(at(2, 100, 50), R(0));
  // row 120 <- photo y = -0.0847: 91.5% of row 0 blended with the black border, rounded as OpenCV does: 233
  near(at(2, 100, 120), R(233));
  // padded channels stay 0: the fusion output (second), not parsing (= -fusion), was taken
  near(at(5, 100, 236), 0);
});

test('fixed logits: inverse warp + argmax give the hand-computed label map (LIP 473)', async () => {
  // A 4x2 photo maps (scale 472/3, centred) to input x = 0, 157.3, 314.7, 472 and y = 157.3, 314.7, i.e. to
  // fusion cells x = 0, 39.3, 78.7, 118 and y = 39.3, 78.7. Logits: upper-clothes (5) at rows < 60 and
  // cols < 60, face (13) at rows < 60 and cols >= 60, pants (9) at rows >= 60, background 1 elsewhere.
  const fusion = logits(20, 119, 119, (k, r, c) =>
    k === 0
      ? 1
      : k === 5
        ? r < 60 && c < 60
          ? 10
          : 0
        : k === 13
          ? r < 60 && c >= 60
            ? 10
            : 0
          : k === 9
            ? r >= 60
              ? 10
              : 0
            : 0,
  );
  const path = await saveOnnxModel(fixedLogitsModel(473, 20, fusion));
  const parser = await createParser(`schp-lip:${path}`);
  assert.equal(parser.labelSet, 'lip');
  const { map } = await parser.parse(
    photo(4, 2, () => [0, 0, 0]),
    [],
  );
  assert.equal(map.set, 'lip');
  assert.deepEqual([...map.labels], [5, 5, 13, 13, 9, 9, 9, 9]);
});

test('--flip averages with the mirrored prediction after swapping Left-arm/Right-arm', async () => {
  // Left-arm (14) = 10 at fusion cols < 30 only. Mirrored and swapped, that becomes Right-arm at cols > 88.
  const fusion = logits(20, 119, 119, (k, _r, c) => (k === 0 ? 1 : k === 14 && c < 30 ? 10 : 0));
  const path = await saveOnnxModel(fixedLogitsModel(473, 20, fusion));
  const img = photo(4, 2, () => [0, 0, 0]);
  const plain = await (await createParser(`schp-lip:${path}`)).parse(img, []);
  assert.deepEqual([...plain.map.labels], [14, 0, 0, 0, 14, 0, 0, 0]);
  const flipped = await (await createParser(`schp-lip:${path}`, { flip: true })).parse(img, []);
  assert.deepEqual([...flipped.map.labels], [14, 0, 0, 15, 14, 0, 0, 15]);
});

test('a file without C-class logits is refused with a message naming what was expected', async () => {
  const path = await saveOnnxModel({
    inputs: [{ name: 'input.1', shape: [1, 3, 473, 473] }],
    outputs: [{ name: 'y', shape: [1, 3, 473, 473] }],
    nodes: [{ opType: 'Identity', inputs: ['input.1'], outputs: ['y'] }],
  });
  await assert.rejects(SchpNetwork.load(SCHP_PRESETS['schp-lip'], path), (err: unknown) => {
    assert.ok(err instanceof ParseposeError);
    assert.equal(err.code, 'BAD_MODEL');
    assert.match(err.message, /20-class logits/);
    assert.match(err.message, /y\[1,3,473,473\]/);
    return true;
  });
});

test('a bare id resolves from the model cache; a missing file names the pull command', async () => {
  const saved = process.env.PARSEPOSE_CACHE;
  process.env.PARSEPOSE_CACHE = await mkdtemp(join(tmpdir(), 'parsepose-cache-'));
  try {
    await assert.rejects(createParser('schp-atr'), (err: unknown) => {
      assert.ok(err instanceof ParseposeError);
      assert.equal(err.code, 'MODEL_MISSING');
      assert.match(err.message, /parsing_atr\.onnx/);
      assert.match(err.message, /parsepose models pull schp-atr/);
      return true;
    });
  } finally {
    if (saved === undefined) delete process.env.PARSEPOSE_CACHE;
    else process.env.PARSEPOSE_CACHE = saved;
  }
});

test('largest 8-connected component', () => {
  // two blobs: a diagonal chain (8-connected, size 3) and a single pixel in the top-right corner
  const mask = Uint8Array.from([1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0]);
  assert.deepEqual([...largestComponent(mask, 4, 3)], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
  assert.deepEqual([...largestComponent(new Uint8Array(4), 2, 2)], [0, 0, 0, 0]);
});

test('LIP + ATR -> CIHP: neck = ATR face and not LIP face, largest region only; jumpsuit -> dress', () => {
  // 5x2. LIP: face in the middle of row 0, upper-clothes and a jumpsuit pixel below. ATR: face over
  // columns 1-3 of row 0, columns 1-2 of row 1, and the lone pixel (4,1).
  const lip = Uint8Array.from([2, 13, 13, 13, 0, 5, 5, 5, 10, 0]);
  const atr = Uint8Array.from([2, 11, 11, 11, 0, 4, 11, 11, 4, 11]);
  // candidates: (1,1) (2,1) and (4,1); (4,1) is not 8-connected to (2,1) -> dropped
  const cihp = combineLipAtr(lip, atr, 5, 2);
  assert.deepEqual([...cihp], [2, 13, 13, 13, 0, 5, 10, 10, 6, 0]);
});

test('combined spec parsing', () => {
  assert.deepEqual(splitCombinedSpec('schp-lip:a.onnx,schp-atr:b.onnx'), { lip: 'a.onnx', atr: 'b.onnx' });
  assert.deepEqual(splitCombinedSpec('schp-atr:b.onnx,schp-lip'), { lip: undefined, atr: 'b.onnx' });
  assert.throws(() => splitCombinedSpec('schp-lip:a.onnx'), /needs both/);
  assert.throws(() => splitCombinedSpec('schp-lip,bodypix'), /combined parse model/);
});

test('the combined parser runs both networks and writes CIHP-20 with a neck', async () => {
  // LIP (473, fusion 119): photo 4x2 -> cells x 0, 39.3, 78.7, 118; y 39.3, 78.7
  const lipFusion = logits(20, 119, 119, (k, r, c) => {
    const label = r < 60 ? (c < 20 || c > 100 ? 2 : 13) : 5;
    return k === label ? 10 : 0;
  });
  // ATR (512, fusion 128): cells x 0, 42.3, 84.7, 127; y 42.3, 84.7. Face over the middle columns, both rows.
  const atrFusion = logits(18, 128, 128, (k, r, c) => {
    const label = c < 20 || c > 110 ? (r < 64 ? 2 : 4) : 11;
    return k === label ? 10 : 0;
  });
  const lipPath = await saveOnnxModel(fixedLogitsModel(473, 20, lipFusion));
  const atrPath = await saveOnnxModel(fixedLogitsModel(512, 18, atrFusion));
  const parser = await createParser(`schp-lip:${lipPath},schp-atr:${atrPath}`);
  assert.equal(parser.labelSet, 'cihp');
  const { map } = await parser.parse(
    photo(4, 2, () => [0, 0, 0]),
    [],
  );
  assert.equal(map.set, 'cihp');
  assert.deepEqual([...map.labels], [2, 13, 13, 2, 5, 10, 10, 5]);
});

test('warpAffineBilinear on bytes matches a hand-computed half-pixel shift', () => {
  // 2x1 gray image [0, 100]; shift right by 0.5: out(x) = src(x - 0.5)
  const out = warpAffineBilinear(Uint8Array.from([0, 100]), 2, 1, 1, [1, 0, 0.5, 0, 1, 0], 2, 1, 0);
  assert.deepEqual([...out], [0, 50]);
});
