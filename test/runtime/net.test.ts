import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { ParseposeError } from '../../src/errors.js';
import { loadNet, loadedNetCount, type Net, type NetEngine, type NetTensor } from '../../src/runtime/net.js';
import { humanModelPath } from '../../src/runtime/tfjs.js';
import { tempDir } from '../helpers/images.js';
import { examplePhoto } from '../helpers/paths.js';

/**
 * The shipped tfjs models converted to ONNX (the default engine) against the same models run by
 * tfjs-wasm, on a real photo: every output must agree to float rounding, judged in the output's own
 * units (pixels of the model input for coordinates, probabilities, metres). The measured differences
 * are printed as test diagnostics.
 */

type Crop = { left: number; top: number; width: number; height: number } | null;

/** sample1.jpg (1920x1280, three people): the right-hand person, her face, or the whole photo. */
const PERSON: Crop = { left: 840, top: 200, width: 1080, height: 1080 };
const FACE: Crop = { left: 1440, top: 180, width: 280, height: 280 };

async function photoInput(
  crop: Crop,
  h: number,
  w: number,
  int: boolean,
): Promise<Float32Array | Int32Array> {
  let img = sharp(examplePhoto(1)).removeAlpha();
  if (crop) img = img.extract(crop);
  const rgb = await img.resize(w, h, { fit: 'fill' }).raw().toBuffer();
  // MoveNet takes 0..255 as int32, the others 0..1 floats
  return int ? Int32Array.from(rgb) : Float32Array.from(rgb, (v) => v / 255);
}

/** How one value of an output is compared: its unit and the largest difference accepted. */
interface Kind {
  unit: string;
  tol: number;
  /** Maps the raw value to the compared quantity (e.g. normalised -> pixels, logit -> probability). */
  map: (v: number) => number;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const PROB: Kind = { unit: 'probability', tol: 2e-3, map: (v) => v };
const LOGIT: Kind = { unit: 'probability (sigmoid of logit)', tol: 2e-3, map: sigmoid };
const PX: Kind = { unit: 'px', tol: 0.05, map: (v) => v };
const METRES: Kind = { unit: 'm', tol: 5e-4, map: (v) => v };
/**
 * BlazePose's segmentation logits reach +-700, so float32 rounding through ~100 layers (relative ~1e-5
 * everywhere, no step at any one layer: checked node by node) moves the sigmoid near 0.5 by up to
 * ~3e-3 on the face-api sample photos. A mask thresholded at 0.5 does not see it.
 */
const SEGMENTATION: Kind = { unit: 'probability', tol: 1e-2, map: (v) => v };
const normToPx = (size: number): Kind => ({ unit: 'px', tol: 0.05, map: (v) => v * size });

interface Case {
  model: string;
  h: number;
  w: number;
  int: boolean;
  crop: Crop;
  /** The kind of element `c` (index along the last axis) of each output, by output name. */
  kinds: Record<string, (c: number) => Kind>;
  /** Proof that the photo reached the model as a photo (both engines could agree on noise). */
  sane: (out: Record<string, NetTensor>) => void;
}

/** MoveNet: (y, x, score) per keypoint, y and x normalised to the input. */
const movenetKeypoint =
  (h: number, w: number) =>
  (c: number): Kind =>
    [normToPx(h), normToPx(w), PROB][c % 3];

/** MultiPose rows: 17 x (y, x, score), then the box (ymin, xmin, ymax, xmax) and its score. */
const multiposeRow = (h: number, w: number) => (c: number) =>
  c < 51 ? movenetKeypoint(h, w)(c) : [normToPx(h), normToPx(w), normToPx(h), normToPx(w), PROB][c - 51];

const BLAZEPOSE_KINDS: Case['kinds'] = {
  Identity: () => PROB, // 64x64x39 heatmaps
  Identity_1: () => SEGMENTATION, // 256x256 mask
  Identity_2: (c) => [PX, PX, PX, LOGIT, LOGIT][c % 5], // 39 x (x, y, z, visibility, presence)
  Identity_3: () => PROB, // pose flag
  Identity_4: () => METRES, // 39 x (x, y, z) world landmarks
};

const blazepose = (model: string): Case => ({
  model,
  h: 256,
  w: 256,
  int: false,
  crop: PERSON,
  kinds: BLAZEPOSE_KINDS,
  sane: (out) => assert.ok(out.Identity_3.data[0] > 0.5, `pose flag ${out.Identity_3.data[0]}`),
});

const multipose = (h: number, w: number): Case => ({
  model: 'movenet-multipose',
  h,
  w,
  int: true,
  crop: null,
  kinds: { Identity: multiposeRow(h, w) },
  sane: (out) => {
    const d = out.Identity.data;
    const scores = Array.from({ length: 6 }, (_, k) => d[k * 56 + 55]);
    assert.ok(scores.filter((s) => s > 0.2).length >= 2, `person scores ${scores.join(', ')}`);
  },
});

const CASES: Case[] = [
  {
    model: 'movenet-thunder',
    h: 256,
    w: 256,
    int: true,
    crop: PERSON,
    kinds: { Identity: movenetKeypoint(256, 256) },
    sane: (out) => {
      const scores = Array.from(out.Identity.data).filter((_, i) => i % 3 === 2);
      const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
      assert.ok(mean > 0.3, `mean keypoint score ${mean}`);
    },
  },
  multipose(256, 256),
  // height and width are dynamic in this model: a non-square input exercises the shape arithmetic
  multipose(192, 320),
  blazepose('blazepose-lite'),
  blazepose('blazepose-full'),
  blazepose('blazepose-heavy'),
  {
    model: 'facemesh',
    h: 192,
    w: 192,
    int: false,
    crop: FACE,
    kinds: { Identity: () => PX, Identity_1: () => PROB, Identity_2: () => PX }, // contours, face flag, mesh
    sane: (out) => assert.ok(out.Identity_1.data[0] > 0.5, `face flag ${out.Identity_1.data[0]}`),
  },
  {
    model: 'selfie',
    h: 256,
    w: 256,
    int: false,
    crop: null,
    kinds: { activation_10: () => PROB },
    sane: (out) => {
      const m = out.activation_10.data;
      const person = m.filter((v) => v > 0.5).length / m.length;
      assert.ok(person > 0.05 && person < 0.95, `person fraction ${person}`);
    },
  },
];

const nets = new Map<string, Net>();

async function net(model: string, engine: NetEngine): Promise<Net> {
  const key = `${model}/${engine}`;
  let n = nets.get(key);
  if (!n) {
    n = await loadNet(humanModelPath(model), engine);
    nets.set(key, n);
  }
  return n;
}

after(() => {
  for (const n of nets.values()) n.dispose();
});

const byName = (n: Net, res: NetTensor[]): Record<string, NetTensor> =>
  Object.fromEntries(n.outputs.map((name, k) => [name, res[k]]));

describe('ONNX Runtime agrees with tfjs on the shipped models', () => {
  for (const c of CASES) {
    test(`${c.model} ${c.h}x${c.w}`, async (t) => {
      const onnx = await net(c.model, 'onnx');
      const tfjs = await net(c.model, 'tfjs');
      assert.deepEqual(onnx.outputs, tfjs.outputs, 'both engines list the same outputs in the same order');
      assert.deepEqual(Object.keys(c.kinds).sort(), [...onnx.outputs].sort(), 'every output is checked');
      const input = await photoInput(c.crop, c.h, c.w, c.int);
      const shape = [1, c.h, c.w, 3];
      const a = byName(onnx, await onnx.run(input, shape));
      const b = byName(tfjs, await tfjs.run(input, shape));
      c.sane(b);
      for (const name of onnx.outputs) {
        assert.deepEqual(a[name].shape, b[name].shape, `${name}: shape`);
        const last = a[name].shape[a[name].shape.length - 1];
        // worst difference per unit (kinds are made per element: key them by what they measure)
        const worst = new Map<string, { kind: Kind; diff: number; at: number }>();
        const kindOf = c.kinds[name];
        for (let i = 0; i < a[name].data.length; i++) {
          const kind = kindOf(i % last);
          const diff = Math.abs(kind.map(a[name].data[i]) - kind.map(b[name].data[i]));
          assert.ok(!Number.isNaN(diff), `${name}[${i}]: NaN`);
          const key = `${kind.unit} ${kind.tol}`;
          const w = worst.get(key);
          if (!w || diff > w.diff) worst.set(key, { kind, diff, at: i });
        }
        for (const { kind, ...w } of worst.values()) {
          t.diagnostic(
            `${name} ${kind.unit}: max |onnx - tfjs| ${w.diff.toExponential(2)} (tolerance ${kind.tol})`,
          );
          assert.ok(
            w.diff <= kind.tol,
            `${c.model} ${name}[${w.at}]: onnx ${a[name].data[w.at]}, tfjs ${b[name].data[w.at]} ` +
              `(${w.diff} ${kind.unit} > ${kind.tol})`,
          );
        }
      }
    });
  }
});

describe('Net.run', () => {
  for (const engine of ['onnx', 'tfjs'] as const) {
    test(`${engine}: explicit output names come back in the order asked`, async () => {
      const n = await net('blazepose-lite', engine);
      const input = await photoInput(PERSON, 256, 256, false);
      const all = byName(n, await n.run(input, [1, 256, 256, 3]));
      // with and without the ":0" suffix
      const [ld, flag] = await n.run(input, [1, 256, 256, 3], ['Identity_2', 'Identity_3:0']);
      assert.deepEqual(ld.shape, [1, 195]);
      assert.deepEqual(flag.shape, [1, 1]);
      for (const [got, want] of [
        [ld, all.Identity_2],
        [flag, all.Identity_3],
      ] as const) {
        let diff = 0;
        for (let i = 0; i < want.data.length; i++)
          diff = Math.max(diff, Math.abs(got.data[i] - want.data[i]));
        assert.ok(diff <= 1e-6, `same values as the full run (max diff ${diff})`);
      }
    });
  }

  test('an unknown output name is a BAD_MODEL error', async () => {
    const n = await net('selfie', 'onnx');
    await assert.rejects(
      n.run(new Float32Array(256 * 256 * 3), [1, 256, 256, 3], ['activation_10', 'no_such_output']),
      (err: unknown) =>
        err instanceof ParseposeError && err.code === 'BAD_MODEL' && /no_such_output/.test(err.message),
    );
  });

  test('tfjs engine: an unknown output name is a BAD_MODEL error', async () => {
    const n = await net('selfie', 'tfjs');
    await assert.rejects(
      n.run(new Float32Array(256 * 256 * 3), [1, 256, 256, 3], ['no_such_output']),
      (err: unknown) => err instanceof ParseposeError && err.code === 'BAD_MODEL',
    );
  });
});

describe('loadNet errors', () => {
  for (const engine of ['onnx', 'tfjs'] as const) {
    test(`${engine}: a missing model.json is MODEL_MISSING`, async () => {
      const dir = await tempDir();
      try {
        await assert.rejects(
          loadNet(join(dir, 'nothing.json'), engine),
          (err: unknown) => err instanceof ParseposeError && err.code === 'MODEL_MISSING',
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  /** A copy of the selfie model (the smallest) whose weights shard is cut short, or missing. */
  async function brokenCopy(shard: 'truncated' | 'missing'): Promise<{ dir: string; path: string }> {
    const dir = await tempDir();
    const src = humanModelPath('selfie');
    const path = join(dir, 'selfie.json');
    await copyFile(src, path);
    if (shard === 'truncated') {
      await copyFile(src.replace(/\.json$/, '.bin'), join(dir, 'selfie.bin'));
      await truncate(join(dir, 'selfie.bin'), 100_000);
    }
    return { dir, path };
  }

  test('onnx: a truncated weights shard is a BAD_MODEL error that says so', async () => {
    const { dir, path } = await brokenCopy('truncated');
    try {
      await assert.rejects(
        loadNet(path, 'onnx'),
        (err: unknown) =>
          err instanceof ParseposeError &&
          err.code === 'BAD_MODEL' &&
          err.file === path &&
          /describes \d+ bytes, the shards hold 100000/.test(err.message),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('tfjs: a truncated weights shard is a BAD_MODEL error', async () => {
    const { dir, path } = await brokenCopy('truncated');
    try {
      await assert.rejects(
        loadNet(path, 'tfjs'),
        (err: unknown) => err instanceof ParseposeError && err.code === 'BAD_MODEL',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('onnx: a missing weights shard is MODEL_MISSING naming the shard', async () => {
    const { dir, path } = await brokenCopy('missing');
    try {
      await assert.rejects(
        loadNet(path, 'onnx'),
        (err: unknown) =>
          err instanceof ParseposeError && err.code === 'MODEL_MISSING' && /selfie\.bin/.test(err.message),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('loads are shared within a thread', () => {
  test('two loads of one model share it; it lives until the last handle is disposed', async () => {
    const path = humanModelPath('facemesh');
    const x = new Float32Array(192 * 192 * 3).fill(0.5);
    const a = await loadNet(path, 'onnx');
    const held = loadedNetCount();
    const b = await loadNet(path, 'onnx');
    assert.equal(loadedNetCount(), held, 'the second load built its own model');
    const [ra] = await a.run(x, [1, 192, 192, 3], ['Identity_1']);
    a.dispose();
    a.dispose(); // idempotent: must not release b's model
    await assert.rejects(async () => a.run(x, [1, 192, 192, 3]), /disposed/);
    const [rb] = await b.run(x, [1, 192, 192, 3], ['Identity_1']);
    assert.deepEqual(rb.data, ra.data);
    b.dispose();
    // this test's handles gone (other tests may hold the model too): a new load builds the model again and works
    const c = await loadNet(path, 'onnx');
    const [rc] = await c.run(x, [1, 192, 192, 3], ['Identity_1']);
    assert.deepEqual(rc.data, ra.data);
    c.dispose();
  });
});

test('the last handle disposed releases the model', async () => {
  const dir = await tempDir();
  try {
    const src = humanModelPath('selfie');
    const path = join(dir, 'selfie.json');
    await copyFile(src, path);
    await copyFile(src.replace(/\.json$/, '.bin'), join(dir, 'selfie.bin'));
    const before = loadedNetCount();
    const a = await loadNet(path, 'onnx');
    const b = await loadNet(path, 'onnx');
    assert.equal(loadedNetCount(), before + 1);
    a.dispose();
    assert.equal(loadedNetCount(), before + 1, 'released while a handle was still held');
    b.dispose();
    assert.equal(loadedNetCount(), before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
