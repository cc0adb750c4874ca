import type { Mask } from './binarize.js';

/** Connected ink components of a mask, as parallel typed arrays (index = component id). */
export interface Components {
  count: number;
  x0: Int32Array;
  y0: Int32Array;
  /** Exclusive right/bottom edges. */
  x1: Int32Array;
  y1: Int32Array;
  area: Int32Array;
}

function find(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

/**
 * 8-connected component labelling (run-length union-find, one pass over the mask plus one over the runs).
 * Memory is proportional to the number of ink runs, not pixels.
 */
export function findComponents(mask: Mask): Components {
  const { width: w, height: h, data } = mask;
  // Runs: start x, end x (exclusive), row; label per run.
  const rs: number[] = [];
  const re: number[] = [];
  const ry: number[] = [];
  const rowFirst = new Int32Array(h + 1);
  for (let y = 0; y < h; y++) {
    rowFirst[y] = rs.length;
    const row = y * w;
    let x = 0;
    while (x < w) {
      if (!data[row + x]) {
        x++;
        continue;
      }
      const s = x;
      while (x < w && data[row + x]) x++;
      rs.push(s);
      re.push(x);
      ry.push(y);
    }
  }
  rowFirst[h] = rs.length;
  const n = rs.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  for (let y = 1; y < h; y++) {
    let p = rowFirst[y - 1];
    const pEnd = rowFirst[y];
    for (let i = rowFirst[y]; i < rowFirst[y + 1]; i++) {
      // 8-connectivity: runs overlap when [s-1, e+1) intersects [ps, pe).
      while (p < pEnd && re[p] < rs[i]) p++;
      let q = p;
      while (q < pEnd && rs[q] <= re[i]) {
        const a = find(parent, i);
        const b = find(parent, q);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
        q++;
      }
    }
  }
  const label = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const root = find(parent, i);
    label[i] = root === i ? count++ : label[root];
  }
  const x0 = new Int32Array(count).fill(w);
  const y0 = new Int32Array(count).fill(h);
  const x1 = new Int32Array(count);
  const y1 = new Int32Array(count);
  const area = new Int32Array(count);
  for (let i = 0; i < n; i++) {
    const c = label[i];
    if (rs[i] < x0[c]) x0[c] = rs[i];
    if (re[i] > x1[c]) x1[c] = re[i];
    if (ry[i] < y0[c]) y0[c] = ry[i];
    if (ry[i] + 1 > y1[c]) y1[c] = ry[i] + 1;
    area[c] += re[i] - rs[i];
  }
  return { count, x0, y0, x1, y1, area };
}
