/**
 * Each npm-shipped model the default pipeline runs, timed alone on both engines in one process: ONNX
 * Runtime (the tfjs graph converted by src/runtime/tfjs-onnx.ts) and tfjs's wasm backend. Calls alternate
 * between the engines so that machine noise hits both alike; the median call is reported.
 *
 *   npm run bench -- engines     or     node --import tsx bench/engines.ts
 */
import { humanModelPath } from '../src/runtime/tfjs.js';
import { loadNet, type Net } from '../src/runtime/net.js';

const CALLS = Number(process.env.BENCH_ENGINE_CALLS ?? 15);

const MODELS: Array<{ name: string; shape: number[]; int?: boolean; role: string }> = [
  { name: 'movenet-multipose', shape: [1, 256, 256, 3], int: true, role: 'pose: people' },
  { name: 'movenet-thunder', shape: [1, 256, 256, 3], int: true, role: 'pose: 2-3 calls per person' },
  { name: 'blazepose-full', shape: [1, 256, 256, 3], role: 'pose feet (balanced) + S-map matte' },
  { name: 'blazepose-heavy', shape: [1, 256, 256, 3], role: 'pose feet (best)' },
  { name: 'facemesh', shape: [1, 192, 192, 3], role: 'S-map face' },
  { name: 'selfie', shape: [1, 256, 256, 3], role: 'S-map close-up matte' },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(net: Net, input: Float32Array, shape: number[]): Promise<number> {
  const t = performance.now();
  await net.run(input, shape);
  return performance.now() - t;
}

export interface EngineRow {
  model: string;
  role: string;
  onnxMs: number;
  tfjsMs: number;
  /** onnx / tfjs */
  ratio: number;
}

export async function benchEngines(): Promise<EngineRow[]> {
  const rows: EngineRow[] = [];
  for (const m of MODELS) {
    const n = m.shape.reduce((a, b) => a * b, 1);
    // a fixed pseudo-image: the same input for both engines
    const input = Float32Array.from({ length: n }, (_, i) => ((i * 2654435761) >>> 24) / (m.int ? 1 : 255));
    const onnx = await loadNet(humanModelPath(m.name), 'onnx');
    const tfjs = await loadNet(humanModelPath(m.name), 'tfjs');
    for (let i = 0; i < 2; i++) {
      await time(onnx, input, m.shape);
      await time(tfjs, input, m.shape);
    }
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      a.push(await time(onnx, input, m.shape));
      b.push(await time(tfjs, input, m.shape));
    }
    onnx.dispose();
    tfjs.dispose();
    const row = {
      model: m.name,
      role: m.role,
      onnxMs: median(a),
      tfjsMs: median(b),
      ratio: median(a) / median(b),
    };
    rows.push(row);
    console.log(
      `${m.name.padEnd(18)} onnx ${row.onnxMs.toFixed(1).padStart(6)} ms  tfjs-wasm ${row.tfjsMs.toFixed(1).padStart(6)} ms  ratio ${row.ratio.toFixed(2)}  (${m.role})`,
    );
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchEngines();
