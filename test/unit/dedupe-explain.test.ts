import { expect, it } from 'vitest';
import { EXPLAIN_ALL_MAX, pairsToExplain } from '../../src/core/dedupe/cluster.js';

it('explains every pair of a small cluster', () => {
  const members = [3, 5, 8, 13];
  expect(pairsToExplain(members, () => 0.9)).toEqual([[3, 5], [3, 8], [3, 13], [5, 8], [5, 13], [8, 13]]);
});

it('explains a big cluster by the strongest links that span it, one fewer than its members', () => {
  // A chain 0–1–2–…–n-1 of strong links; every other pair weak, except one shortcut stronger than its chain link.
  const n = EXPLAIN_ALL_MAX * 4;
  const members = Array.from({ length: n }, (_, k) => 100 + k);
  const strong = new Set<string>();
  for (let k = 0; k + 1 < n; k++) strong.add(`${100 + k}-${101 + k}`);
  const p = (a: number, b: number): number => {
    const [x, y] = a < b ? [a, b] : [b, a];
    if (x === 100 && y === 120) return 0.999;
    return strong.has(`${x}-${y}`) ? 0.95 : 0.2;
  };
  const links = pairsToExplain(members, p);
  expect(links).toHaveLength(n - 1);
  // Every member is reached, and every link is strong: no weak pair was needed to span the cluster.
  expect(new Set(links.flat())).toEqual(new Set(members));
  expect(links.every(([a, b]) => p(a, b) > 0.9)).toBe(true);
  // The shortcut is taken, so one chain link is left out.
  expect(links.some(([a, b]) => p(a, b) === 0.999)).toBe(true);
});
