import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyPixCellCosts, PART_BODYPIX } from '../../../src/parsing/default/prior.js';
import { BODYPIX_PARTS, type BodyPixProbabilities } from '../../../src/parsing/bodypix/decode.js';
import { PART, PART_COUNT } from '../../../src/parsing/default/parts.js';

test('BodyPix prior: a pixel on the right forearm makes the right arm (and a sleeve) cheap, the left arm dear', () => {
  const width = 4;
  const height = 2;
  const plane = width * height;
  const parts = new Float32Array(24 * plane);
  const person = new Float32Array(plane);
  const ch = (name: (typeof BODYPIX_PARTS)[number]): number => BODYPIX_PARTS.indexOf(name);
  // pixel 0: right lower arm; pixel 1: left foot; pixel 2: background
  person[0] = 0.95;
  parts[ch('right_lower_arm_front') * plane + 0] = 0.95;
  person[1] = 0.9;
  parts[ch('left_feet') * plane + 1] = 0.9;
  const bp: BodyPixProbabilities = { width, height, person, parts };
  const grid = { x0: 0, y0: 0, step: 1, width, height };
  const costs = bodyPixCellCosts(bp, grid, 2);
  const c = (cell: number, p: number): number => costs[cell * PART_COUNT + p];
  assert.ok(c(0, PART.ARM_R) < 1e-6);
  assert.ok(c(0, PART.UPPER) < 1e-6, 'a sleeve may cover the arm');
  assert.ok(c(0, PART.ARM_L) > 4);
  assert.ok(c(0, PART.BG) > 4);
  assert.ok(c(1, PART.SHOE_L) < 1e-6);
  assert.ok(c(1, PART.SHOE_R) > 4);
  assert.ok(c(2, PART.BG) < 1e-6);
  assert.ok(c(2, PART.FACE) > 4);
  // every part but the background names at least one BodyPix channel
  PART_BODYPIX.forEach((chs, p) => assert.equal(chs.length > 0, p !== PART.BG));
});
