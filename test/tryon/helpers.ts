/**
 * Test helpers for the try-on maps: locating the shared evaluation data, recovering a pose from an
 * OpenPose render, and checking SPEC §6's rules with geometry that does not reuse the code under test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { decodePng } from '../../src/image/png.js';
import { BODY_25 } from '../../src/pose/skeletons.js';
import type { Keypoint, LabelMap } from '../../src/types.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = resolve(repoRoot, '..', 'shared');
export const HRVITON_DIR = resolve(SHARED, 'eval/TryOn_with_viton/data/test');
export const VITONHD_DIR = resolve(SHARED, 'eval/multimodal-garment-designer/assets/data/vitonhd/test');
export const haveHrViton = existsSync(resolve(HRVITON_DIR, 'image-parse-agnostic-v3.2/00006_00.png'));
export const haveVitonHd = existsSync(resolve(VITONHD_DIR, 'openpose_json/03191_00_keypoints.json'));
export const SKIP_HRVITON = haveHrViton
  ? false
  : '../shared/eval/TryOn_with_viton absent: reference agnostic files not available';
export const SKIP_VITONHD = haveVitonHd
  ? false
  : '../shared/eval/multimodal-garment-designer absent: VITON-HD samples not available';

export function readParse(path: string): LabelMap {
  const png = decodePng(readFileSync(path));
  return { width: png.width, height: png.height, labels: png.data, set: 'cihp' };
}

/**
 * BODY_25 joint centres read off an OpenPose GPU render (SPEC §4: joints are disks drawn at alpha 0.6 over
 * limbs drawn at 0.6). A joint's disk over one of its own limbs has a colour no other body joint produces;
 * where those pixels crowd, a search finds the position that best fits a radius-7 disk of the joint's
 * colours. Good to about half a pixel; used where the file's JSON is not the one behind the render.
 */
export async function keypointsFromRender(path: string, wanted: readonly number[]): Promise<Keypoint[]> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const W = info.width;
  const H = info.height;
  const colourSets = BODY_25.colors.map((c, k) => {
    const under = BODY_25.limbs.filter(([a, b]) => a === k || b === k).map(([, b]) => BODY_25.colors[b]);
    return {
      overLimb: under.map((u) => c.map((v, i) => 0.6 * v + 0.24 * u[i])),
      all: [c.map((v) => 0.6 * v), ...under.map((u) => c.map((v, i) => 0.6 * v + 0.24 * u[i]))],
    };
  });
  const key = (c: readonly number[]): string => c.map((v) => Math.round(v)).join(',');
  const owners = new Map<string, number>();
  colourSets.forEach((s, k) => s.overLimb.forEach((c) => owners.set(key(c), owners.has(key(c)) ? -1 : k)));
  const near = (o: number, c: readonly number[]): boolean =>
    Math.abs(data[o] - c[0]) <= 3 && Math.abs(data[o + 1] - c[1]) <= 3 && Math.abs(data[o + 2] - c[2]) <= 3;
  const out: Keypoint[] = Array.from({ length: 25 }, () => ({ x: 0, y: 0, score: 0 }));
  for (const k of wanted) {
    const unique = colourSets[k].overLimb.filter((c) => owners.get(key(c)) === k);
    // seeds: the 12-px cells holding most of those pixels (hand skeletons can reuse body colours nearby)
    const cells = new Map<number, number>();
    for (let p = 0; p < W * H; p++) {
      if (!unique.some((c) => near(p * 3, c))) continue;
      const cell = Math.floor(Math.floor(p / W) / 12) * 10_000 + Math.floor((p % W) / 12);
      cells.set(cell, (cells.get(cell) ?? 0) + 1);
    }
    const seeds = [...cells]
      .filter(([, n]) => n >= 3)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([cell]) => [(cell % 10_000) * 12 + 6, Math.floor(cell / 10_000) * 12 + 6]);
    if (!seeds.length) continue;
    const inDisk = (x: number, y: number): boolean =>
      x >= 0 && y >= 0 && x < W && y < H && colourSets[k].all.some((c) => near((y * W + x) * 3, c));
    let best = -Infinity;
    let ties: Array<[number, number]> = [];
    for (const [sx, sy] of seeds) {
      for (let cy = sy - 12; cy <= sy + 12; cy++) {
        for (let cx = sx - 12; cx <= sx + 12; cx++) {
          if (ties.some(([tx, ty]) => tx === cx && ty === cy)) continue;
          let score = 0;
          for (let dy = -7; dy <= 7; dy++) {
            for (let dx = -7; dx <= 7; dx++)
              if (dx * dx + dy * dy <= 49) score += inDisk(cx + dx, cy + dy) ? 1 : -2;
          }
          if (score > best) {
            best = score;
            ties = [[cx, cy]];
          } else if (score === best) ties.push([cx, cy]);
        }
      }
    }
    out[k] = {
      x: ties.reduce((s, t) => s + t[0], 0) / ties.length,
      y: ties.reduce((s, t) => s + t[1], 0) / ties.length,
      score: 1,
    };
  }
  return out;
}

const present = (k: Keypoint | undefined): k is Keypoint => !!k && k.score > 0 && !(k.x === 0 && k.y === 0);

/** Signed distance from (x, y) to the segment's rectangle of half-width hw, ends cut at the end points. */
function rectDistance(x: number, y: number, a: Keypoint, b: Keypoint, hw: number): number {
  const len = Math.hypot(b.x - a.x, b.y - a.y);
  if (len === 0) return Infinity;
  const ux = (b.x - a.x) / len;
  const uy = (b.y - a.y) / len;
  const along = (x - a.x) * ux + (y - a.y) * uy;
  const across = -(x - a.x) * uy + (y - a.y) * ux;
  const qx = Math.abs(along - len / 2) - len / 2;
  const qy = Math.abs(across) - hw;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0);
}

export interface RuleReport {
  /** Pixels with 5, 6, 7 or 10 left in the output. */
  removedLabelsLeft: number;
  /** Arm pixels clearly inside the band that were kept. */
  armInsideKept: number;
  /** Arm pixels clearly outside the band that were changed. */
  armOutsideChanged: number;
  /** Other pixels whose label changed. */
  othersChanged: number;
  /** Arm pixels within `margin` of the band's outline (not judged). */
  borderline: number;
  armPixels: number;
}

/**
 * Checks SPEC §6 for a parse-agnostic: a signed distance to the arm band (union of 10r-wide segments and
 * disks of 15r at the joints, 4r at the wrist, along 2->5->6->7 for label 14 and 5->2->3->4 for 15; a
 * segment with a missing end is skipped and the chain continues from the last point drawn) decides which
 * arm pixels must go, away from a `margin`-pixel rim where rasterisation may fall either way.
 */
export function checkParseAgnosticRules(
  input: LabelMap,
  output: LabelMap,
  keypoints: Keypoint[],
  r: number,
  margin = 1.5,
): RuleReport {
  const report: RuleReport = {
    removedLabelsLeft: 0,
    armInsideKept: 0,
    armOutsideChanged: 0,
    othersChanged: 0,
    borderline: 0,
    armPixels: 0,
  };
  const chains: Array<[number, number[]]> = [
    [14, [2, 5, 6, 7]],
    [15, [5, 2, 3, 4]],
  ];
  const bands = new Map<number, Array<(x: number, y: number) => number>>();
  for (const [label, chain] of chains) {
    const parts: Array<(x: number, y: number) => number> = [];
    let prev = chain[0];
    for (const i of chain.slice(1)) {
      const a = keypoints[prev];
      const b = keypoints[i];
      if (!present(a) || !present(b)) continue;
      const radius = i === chain[chain.length - 1] ? 4 * r : 15 * r;
      parts.push((x, y) => rectDistance(x, y, a, b, 5 * r));
      parts.push((x, y) => Math.hypot(x - b.x, y - b.y) - radius);
      prev = i;
    }
    bands.set(label, parts);
  }
  const { width } = input;
  for (let p = 0; p < input.labels.length; p++) {
    const before = input.labels[p];
    const after = output.labels[p];
    const removed = (l: number): boolean => l === 5 || l === 6 || l === 7 || l === 10;
    if (removed(after) || (removed(before) && after !== 0)) report.removedLabelsLeft++;
    if (before === 14 || before === 15) {
      report.armPixels++;
      const x = p % width;
      const y = Math.floor(p / width);
      const d = Math.min(Infinity, ...(bands.get(before) ?? []).map((f) => f(x, y)));
      if (d < -margin) {
        if (after !== 0) report.armInsideKept++;
      } else if (d > margin) {
        if (after !== before) report.armOutsideChanged++;
      } else report.borderline++;
    } else if (!removed(before) && after !== before) report.othersChanged++;
  }
  return report;
}
