/** Assertions shared by the decoder tests: decoded people must equal the synthetic ones exactly. */
import assert from 'node:assert/strict';
import type { DecodedPerson } from '../../../src/pose/paf/decoder.js';
import type { SyntheticPerson } from './synthetic.js';

/**
 * For every decoded person: all its parts lie within `tol` map pixels of the same truth person's parts,
 * and it holds exactly the parts that person has; every truth person is found once.
 */
export function assertExactGrouping(
  decoded: readonly DecodedPerson[],
  truth: readonly SyntheticPerson[],
  tol = 0.6,
): void {
  assert.equal(decoded.length, truth.length, `expected ${truth.length} people, decoded ${decoded.length}`);
  const used = new Set<number>();
  decoded.forEach((person, pi) => {
    let owner = -1;
    person.keypoints.forEach((k, part) => {
      if (k.score <= 0) return;
      const t = truth.findIndex(
        (tp) => tp[part] && Math.hypot(tp[part]![0] - k.x, tp[part]![1] - k.y) <= tol,
      );
      assert.ok(
        t >= 0,
        `decoded person ${pi} part ${part} at (${k.x.toFixed(2)}, ${k.y.toFixed(2)}) matches no truth part`,
      );
      if (owner < 0) owner = t;
      assert.equal(
        t,
        owner,
        `decoded person ${pi} mixes parts of truth people ${owner} and ${t} (part ${part})`,
      );
    });
    assert.ok(!used.has(owner), `truth person ${owner} decoded twice`);
    used.add(owner);
    truth[owner].forEach((p, part) => {
      assert.equal(person.keypoints[part].score > 0, p !== null, `person ${owner} part ${part} presence`);
    });
  });
}
