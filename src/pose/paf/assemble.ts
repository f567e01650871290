import type { PafLayout } from './layouts.js';
import type { LimbCandidate } from './limbs.js';

/**
 * Assembly: turns the matched limbs of every limb type into people. Limbs are visited in the layout's
 * order; a limb extends the person holding one of its ends, starts a new person when neither end is
 * taken, and merges two partial people when it joins them and they hold no part in common.
 * Invariant: every peak belongs to at most one person.
 */
export interface AssembledPerson {
  /** Per part, the index of its peak in that part's peak list, or -1. */
  parts: Int32Array;
  /** Number of parts held. */
  partCount: number;
  /** Sum of the held peaks' scores. */
  partScore: number;
  /** Sum of the scores of the limbs that joined them. */
  limbScore: number;
  limbCount: number;
}

export interface AssembleOptions {
  /** Drop people with fewer parts (OpenPose: 3, COCO challenge 2; research here: 4). */
  minParts: number;
  /** Drop people whose (part + limb scores) / part count is lower (OpenPose: 0.4). */
  minMeanScore: number;
}

/** Mean used for pruning, as OpenPose defines it: (peak scores + limb scores) / parts. */
export function personMeanScore(p: AssembledPerson): number {
  return p.partCount ? (p.partScore + p.limbScore) / p.partCount : 0;
}

export function assemblePeople(
  layout: PafLayout,
  peakScores: ReadonlyArray<ArrayLike<number>>,
  matchedByLimb: ReadonlyArray<readonly LimbCandidate[]>,
  options: AssembleOptions,
): AssembledPerson[] {
  const people: Array<AssembledPerson | undefined> = [];
  // owner[part][peak] = index into people, -1 when free
  const owner = peakScores.map((s) => new Int32Array(s.length).fill(-1));

  const assign = (pi: number, part: number, peak: number): void => {
    const p = people[pi]!;
    p.parts[part] = peak;
    p.partCount++;
    p.partScore += peakScores[part][peak];
    owner[part][peak] = pi;
  };

  layout.limbs.forEach((limb, k) => {
    for (const c of matchedByLimb[k] ?? []) {
      const pa = owner[limb.a][c.a];
      const pb = owner[limb.b][c.b];
      if (pa < 0 && pb < 0) {
        if (limb.redundant) continue;
        const pi = people.length;
        people.push({
          parts: new Int32Array(layout.parts).fill(-1),
          partCount: 0,
          partScore: 0,
          limbScore: 0,
          limbCount: 0,
        });
        assign(pi, limb.a, c.a);
        assign(pi, limb.b, c.b);
        people[pi]!.limbScore += c.score;
        people[pi]!.limbCount++;
      } else if (pa >= 0 && pb < 0) {
        const p = people[pa]!;
        if (p.parts[limb.b] >= 0) continue; // holds another b already: conflict
        assign(pa, limb.b, c.b);
        p.limbScore += c.score;
        p.limbCount++;
      } else if (pa < 0 && pb >= 0) {
        const p = people[pb]!;
        if (p.parts[limb.a] >= 0) continue;
        assign(pb, limb.a, c.a);
        p.limbScore += c.score;
        p.limbCount++;
      } else if (pa === pb) {
        people[pa]!.limbScore += c.score;
        people[pa]!.limbCount++;
      } else if (!limb.redundant) {
        const p = people[pa]!;
        const q = people[pb]!;
        let overlap = false;
        for (let part = 0; part < layout.parts && !overlap; part++)
          overlap = p.parts[part] >= 0 && q.parts[part] >= 0;
        if (overlap) continue;
        for (let part = 0; part < layout.parts; part++) {
          if (q.parts[part] < 0) continue;
          p.parts[part] = q.parts[part];
          owner[part][q.parts[part]] = pa;
        }
        p.partCount += q.partCount;
        p.partScore += q.partScore;
        p.limbScore += q.limbScore + c.score;
        p.limbCount += q.limbCount + 1;
        people[pb] = undefined;
      }
    }
  });

  return people.filter(
    (p): p is AssembledPerson =>
      p !== undefined && p.partCount >= options.minParts && personMeanScore(p) >= options.minMeanScore,
  );
}
