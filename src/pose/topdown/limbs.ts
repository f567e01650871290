import type { Keypoint } from '../../types.js';

/**
 * Limb plausibility for top-down estimates (COCO-17). When a crop holds two people, MoveNet sometimes puts
 * a hidden elbow or knee on the neighbour's: the segment to it comes out far longer than the same segment
 * on the other side of the body and than the torso. Such a point keeps its position (COCO OKS scores
 * positions only, and it may still be right) but loses most of its confidence, so that renders, which
 * draw points above a threshold, and the parser's zones, which use confident points, leave it out.
 */

interface Segment {
  from: number;
  to: number;
  mirrorFrom: number;
  mirrorTo: number;
  /** A segment this much longer than the torso is implausible whatever the pose (arms ~0.6, legs ~0.8). */
  maxTorso: number;
}

const ARM = 1.1;
const LEG = 1.4;
// COCO-17: 5/6 shoulders, 7/8 elbows, 9/10 wrists, 11/12 hips, 13/14 knees, 15/16 ankles (left/right)
const SEGMENTS: readonly Segment[] = [
  { from: 5, to: 7, mirrorFrom: 6, mirrorTo: 8, maxTorso: ARM },
  { from: 6, to: 8, mirrorFrom: 5, mirrorTo: 7, maxTorso: ARM },
  { from: 7, to: 9, mirrorFrom: 8, mirrorTo: 10, maxTorso: ARM },
  { from: 8, to: 10, mirrorFrom: 7, mirrorTo: 9, maxTorso: ARM },
  { from: 11, to: 13, mirrorFrom: 12, mirrorTo: 14, maxTorso: LEG },
  { from: 12, to: 14, mirrorFrom: 11, mirrorTo: 13, maxTorso: LEG },
  { from: 13, to: 15, mirrorFrom: 14, mirrorTo: 16, maxTorso: LEG },
  { from: 14, to: 16, mirrorFrom: 13, mirrorTo: 15, maxTorso: LEG },
];

/** Points used as evidence must score at least this. */
const EVIDENCE = 0.3;
/** A segment this many times its mirror (and too long for the torso) is implausible. */
const MIRROR_RATIO = 1.6;
/** What an implausible point's confidence is multiplied by. */
const DISCOUNT = 0.25;

const dist = (a: Keypoint, b: Keypoint): number => Math.hypot(a.x - b.x, a.y - b.y);

/** Shoulder-centre to hip-centre distance, when all four points are confident. */
function torsoLength(k: readonly Keypoint[]): number | undefined {
  if ([5, 6, 11, 12].some((i) => k[i].score < EVIDENCE)) return undefined;
  const sx = (k[5].x + k[6].x) / 2;
  const sy = (k[5].y + k[6].y) / 2;
  const hx = (k[11].x + k[12].x) / 2;
  const hy = (k[11].y + k[12].y) / 2;
  return Math.hypot(sx - hx, sy - hy);
}

/**
 * Returns a copy of COCO-17 keypoints in which the far end of each implausibly long limb segment has its
 * score multiplied by DISCOUNT. A segment is implausible when it is over MIRROR_RATIO times the same
 * segment on the other side (both of whose ends are confident) and longer than the torso allows.
 */
export function discountImplausibleLimbs(keypoints: readonly Keypoint[]): Keypoint[] {
  const out = keypoints.map((k) => ({ ...k }));
  const torso = torsoLength(keypoints);
  if (!torso) return out;
  for (const s of SEGMENTS) {
    const a = keypoints[s.from];
    const b = keypoints[s.to];
    const ma = keypoints[s.mirrorFrom];
    const mb = keypoints[s.mirrorTo];
    if (a.score < EVIDENCE || ma.score < EVIDENCE || mb.score < EVIDENCE) continue;
    const len = dist(a, b);
    if (len > MIRROR_RATIO * dist(ma, mb) && len > s.maxTorso * torso) out[s.to].score *= DISCOUNT;
  }
  return out;
}
