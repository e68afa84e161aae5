import { comparePair, fieldsFor } from '../../src/core/dedupe/compare.js';
import { MatchTable, type MatchRow } from '../../src/core/dedupe/table.js';

/** How dedupe compares two records on one field: the level's name ('same', 'different', …, or 'missing'). */
export function pairLevel(a: MatchRow, b: MatchRow, field: number): string {
  const t = new MatchTable(2);
  t.add(a);
  t.add(b);
  t.seal();
  const specs = fieldsFor(t);
  const out = new Uint8Array(specs.length);
  comparePair(t, 0, 1, out);
  return specs[field]?.levels[(out[field] ?? 0) - 1] ?? 'missing';
}
