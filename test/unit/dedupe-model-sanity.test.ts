import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { F_FIRST, F_LAST, F_LOCATION, fieldsFor } from '../../src/core/dedupe/compare.js';
import { estimateModel, levelOf } from '../../src/core/dedupe/model.js';
import { MatchTable } from '../../src/core/dedupe/table.js';

/**
 * The agreement patterns of the candidate pairs (pattern → count) and the random-pair levels of
 * 80,000 customers of the import bench (bench/gen/customers-csv.js): a few hundred first and last
 * names in a few towns, numbered mailboxes, and not one duplicate.
 */
const FILE = join(import.meta.dirname, '..', 'fixtures', 'dedupe', 'namesakes-80k-patterns.json');

it('finds no matches among namesakes in a file without duplicates, where EM takes "same name" for "same person"', () => {
  const { patterns, uRandom } = JSON.parse(readFileSync(FILE, 'utf8')) as { patterns: [number, number][]; uRandom: number[][] };
  const t = new MatchTable(0);
  t.seal();
  const specs = fieldsFor(t);
  const model = estimateModel(specs, new Map(patterns), uRandom);
  // An outright difference never counts for a match.
  for (const f of model.fields) expect(f.weight[f.levels.length] ?? 0, f.name).toBeLessThanOrEqual(0);
  // Namesakes of two towns are two people: no agreement pattern of the file above even odds (before the
  // adjustment for how common a name is, which only lowers them further here).
  const bits = (p: number): number => model.priorBits + model.fields.reduce((s, f, k) => s + (levelOf(p, k) === 0 ? 0 : (f.weight[levelOf(p, k)] ?? 0)), 0);
  const namesakes = patterns.filter(([p]) => levelOf(p, F_FIRST) === 1 && levelOf(p, F_LAST) === 1 && levelOf(p, F_LOCATION) === 4);
  expect(namesakes.length).toBeGreaterThan(0);
  for (const [p] of patterns) expect(bits(p)).toBeLessThan(0);
});
