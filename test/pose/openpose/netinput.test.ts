import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CMU_ENCODING,
  encodeNetInput,
  netInputGeometry,
  parseNetResolution,
  TFPOSE_ENCODING,
} from '../../../src/pose/openpose/netinput.js';

test('net resolution strings', () => {
  assert.deepEqual(parseNetResolution('-1x368'), { width: -1, height: 368 });
  assert.deepEqual(parseNetResolution('656x368'), { width: 656, height: 368 });
  assert.deepEqual(parseNetResolution(' 432 X -1 '), { width: 432, height: -1 });
  for (const bad of ['-1x-1', '368', 'ax368', '8x368', '-2x368'])
    assert.throws(() => parseNetResolution(bad), /net resolution/);
});

test('-1xH keeps the aspect, sides are multiples of 16, scales multiply', () => {
  const res = parseNetResolution('-1x368');
  assert.deepEqual(netInputGeometry(640, 425, res), {
    width: 560,
    height: 368,
    contentWidth: 560,
    contentHeight: 368,
  });
  // scale 1.75: height 644 -> 640, then width 640 * 640/425 = 963.8 -> 960 (not 644 * 640/425 -> 976,
  // which would add the height's rounding to the width's and stretch the photo 1.3%)
  assert.deepEqual(netInputGeometry(640, 425, res, 1.75), {
    width: 960,
    height: 640,
    contentWidth: 960,
    contentHeight: 640,
  });
  assert.deepEqual(netInputGeometry(500, 1000, parseNetResolution('256x-1')), {
    width: 256,
    height: 512,
    contentWidth: 256,
    contentHeight: 512,
  });
});

test('-1 sides: the aspect error is at most the rounding of the free side (8 px)', () => {
  for (const [w, h] of [
    [640, 425],
    [500, 333],
    [1920, 1080],
    [333, 1000],
    [768, 1024],
  ]) {
    for (const scale of [0.5, 1, 1.25, 1.75, 2.5]) {
      const g = netInputGeometry(w, h, parseNetResolution('-1x368'), scale);
      assert.ok(Math.abs(g.width - (g.height * w) / h) <= 8, `${w}x${h} x${scale}: ${g.width}x${g.height}`);
      const t = netInputGeometry(w, h, parseNetResolution('368x-1'), scale);
      assert.ok(Math.abs(t.height - (t.width * h) / w) <= 8, `${w}x${h} x${scale}: ${t.width}x${t.height}`);
      assert.ok(g.width % 16 === 0 && g.height % 16 === 0 && t.width % 16 === 0 && t.height % 16 === 0);
    }
  }
});

test('fixed WxH letterboxes the photo at the top left', () => {
  const g = netInputGeometry(640, 480, parseNetResolution('432x368'));
  assert.equal(g.width, 432);
  assert.equal(g.height, 368);
  assert.equal(g.contentWidth, 432);
  assert.equal(g.contentHeight, 324);
  const tall = netInputGeometry(300, 600, parseNetResolution('432x368'));
  assert.deepEqual([tall.contentWidth, tall.contentHeight], [184, 368]);
});

test('encoding: BGR order, scaling and layout; padding encodes black', () => {
  // 2x1 content (red, green) in a 3x1 input
  const rgb = Uint8Array.from([255, 0, 0, 0, 128, 0]);
  const g = { width: 3, height: 1, contentWidth: 2, contentHeight: 1 };
  const nhwc = encodeNetInput(rgb, g, TFPOSE_ENCODING);
  assert.deepEqual([...nhwc], [0, 0, 255, 0, 128, 0, 0, 0, 0]);
  const nchw = encodeNetInput(rgb, g, CMU_ENCODING);
  // planes B, G, R; value/256 - 0.5
  assert.deepEqual([...nchw], [-0.5, -0.5, -0.5, -0.5, 0, -0.5, 255 / 256 - 0.5, -0.5, -0.5]);
  assert.throws(() => encodeNetInput(rgb, { ...g, contentWidth: 3 }, CMU_ENCODING), /bytes/);
});
