import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Net, NetTensor } from '../../../src/runtime/net.js';
import { runSelfie, SELFIE_SIZE } from '../../../src/parsing/default/selfie.js';
import type { Photo } from '../../../src/types.js';

function stubNet(out: (input: Float32Array) => NetTensor[]): Net & { shapes: number[][] } {
  const shapes: number[][] = [];
  return {
    path: 'stub',
    engine: 'tfjs',
    outputs: ['activation_10'],
    shapes,
    run(input, shape) {
      shapes.push([...shape]);
      return Promise.resolve(out(input as Float32Array));
    },
    dispose() {},
  };
}

test('runSelfie feeds the crop as 256x256 RGB in 0..1 and returns the mask', async () => {
  const photo: Photo = { id: 'p', source: 'p', width: 4, height: 4, rgb: new Uint8Array(48).fill(255) };
  let maxInput = 0;
  const net = stubNet((input) => {
    for (const v of input) maxInput = Math.max(maxInput, v);
    const data = new Float32Array(SELFIE_SIZE * SELFIE_SIZE);
    data[7] = 0.75;
    return [{ data, shape: [1, SELFIE_SIZE, SELFIE_SIZE, 1] }];
  });
  const mask = await runSelfie(net, photo, { x: 0, y: 0, side: 4 });
  assert.deepEqual(net.shapes[0], [1, SELFIE_SIZE, SELFIE_SIZE, 3]);
  assert.ok(Math.abs(maxInput - 1) < 1e-6, 'white is 1, not 255');
  assert.equal(mask.length, SELFIE_SIZE * SELFIE_SIZE);
  assert.equal(mask[7], 0.75);
});

test('runSelfie rejects an output of the wrong size', async () => {
  const photo: Photo = { id: 'p', source: 'p', width: 2, height: 2, rgb: new Uint8Array(12) };
  const net = stubNet(() => [{ data: new Float32Array(10), shape: [1, 10] }]);
  await assert.rejects(runSelfie(net, photo, { x: 0, y: 0, side: 2 }), /256x256/);
});
