/** Connected components of label maps (4-connected), for clean-up rules. */
export interface Components {
  /** Component id per cell (0..count-1), -1 where `include` was false. */
  ids: Int32Array;
  count: number;
  sizes: number[];
  /** Label of each component. */
  labels: number[];
}

/** Components of equal-label regions; `include(label)` picks which labels take part. */
export function labelComponents(
  labels: Uint8Array,
  width: number,
  height: number,
  include: (label: number) => boolean = () => true,
): Components {
  const n = width * height;
  const ids = new Int32Array(n).fill(-1);
  const sizes: number[] = [];
  const compLabels: number[] = [];
  const stack = new Int32Array(n);
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (ids[s] >= 0 || !include(labels[s])) continue;
    const l = labels[s];
    let top = 0;
    stack[top++] = s;
    ids[s] = count;
    let size = 0;
    const push = (j: number): void => {
      if (ids[j] < 0 && labels[j] === l) {
        ids[j] = count;
        stack[top++] = j;
      }
    };
    while (top > 0) {
      const i = stack[--top];
      size++;
      const x = i % width;
      const y = (i - x) / width;
      if (x > 0) push(i - 1);
      if (x + 1 < width) push(i + 1);
      if (y > 0) push(i - width);
      if (y + 1 < height) push(i + width);
    }
    sizes.push(size);
    compLabels.push(l);
    count++;
  }
  return { ids, count, sizes, labels: compLabels };
}

/**
 * Gives every cell of the components for which `drop(component)` is true the label most common among
 * their kept neighbours (repeated until stable, so holes fill from the rim inwards). Returns cells changed.
 */
export function mergeComponents(
  labels: Uint8Array,
  width: number,
  height: number,
  comps: Components,
  drop: (component: number) => boolean,
): number {
  const n = width * height;
  const pending = new Uint8Array(n);
  let left = 0;
  for (let i = 0; i < n; i++) {
    const c = comps.ids[i];
    if (c >= 0 && drop(c)) {
      pending[i] = 1;
      left++;
    }
  }
  const total = left;
  const votes = new Int32Array(256);
  while (left > 0) {
    let changed = 0;
    const next: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) {
      if (!pending[i]) continue;
      const x = i % width;
      const y = (i - x) / width;
      const nb = [
        x > 0 ? i - 1 : -1,
        x + 1 < width ? i + 1 : -1,
        y > 0 ? i - width : -1,
        y + 1 < height ? i + width : -1,
      ];
      let best = -1;
      let bestVotes = 0;
      for (const j of nb) {
        if (j < 0 || pending[j]) continue;
        const v = ++votes[labels[j]];
        if (v > bestVotes) {
          bestVotes = v;
          best = labels[j];
        }
      }
      for (const j of nb) if (j >= 0) votes[labels[j]] = 0;
      if (best >= 0) next.push([i, best]);
    }
    for (const [i, l] of next) {
      labels[i] = l;
      pending[i] = 0;
      changed++;
    }
    left -= changed;
    if (changed === 0) break;
  }
  return total - left;
}
