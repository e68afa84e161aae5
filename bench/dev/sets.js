// Dev harness: accuracy on one generated set, with false positives and misses explained.
//   node bench/dev/sets.js restaurants|childcare|febrl3 SEED
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { outDir, ROOT } from '../lib.js';
import { buildDb, pairwise, truthMap } from '../dedupe-lib.js';
import { businessRows, febrlLikeRows } from '../dedupe-sets.js';

const [kind = 'restaurants', seedArg = '1', show = '6'] = process.argv.slice(2);
const seed = Number(seedArg);
const { febrlRows, splinkRows } = await import('../dedupe-lib.js');
const { SHARED } = await import('../lib.js');
const rows = kind === 'febrl3' ? febrlLikeRows({ seed }) : kind === 'febrl2' ? febrlRows(join(SHARED, 'febrl/dataset2.csv')) : kind === 'splink' ? splinkRows(join(SHARED, 'splink-fake1000/fake_1000.csv')) : businessRows(kind, seed);
const path = join(outDir(), `dev-${kind}-${seed}.db`);
rmSync(path, { force: true });
const b = await buildDb(path, rows);
const truth = await truthMap(path, rows);
const { Store } = await import(join(ROOT, 'dist/db/store.js'));
const find = await import(join(ROOT, 'dist/core/dedupe/find.js'));
const { clusterEdges } = await import(join(ROOT, 'dist/core/dedupe/cluster.js'));
const store = Store.open(path);
const ctx = { store, now: () => new Date() };
const t = find.loadTable(ctx, false);
const { scorer, edges } = find.scoreTable(t, 0.5, []);
const cl = clusterEdges(edges, { threshold: find.DEFAULT_THRESHOLD, cannotLink: new Set(), probability: (a, c) => scorer.probability(a, c) });
const m = pairwise(cl.map((c) => c.members.map((i) => t.ids[i])), truth);
console.log(`${kind} seed ${seed}: rows ${rows.length} rejected ${b.rejected} P ${m.precision.toFixed(4)} R ${m.recall.toFixed(4)} F1 ${m.f1.toFixed(4)} true ${m.truePairs}`);
const row = (i) => store.db.prepare('SELECT first_name f, last_name l, company_name c, address_line1 a, city, phone, extra FROM customers WHERE id = ?').get(t.ids[i]);
const why = (a, c) => scorer.explain(a, c).fields.filter((f) => f.weight !== 0).map((f) => `${f.field}:${f.level}:${f.weight}`).join(' ');
let fp = 0;
for (const c of cl) for (let x = 0; x < c.members.length; x++) for (let y = x + 1; y < c.members.length; y++) {
  const a = c.members[x], d = c.members[y];
  if (truth.get(t.ids[a]) !== truth.get(t.ids[d]) && fp++ < Number(show)) console.log('FP', scorer.probability(a, d).toFixed(3), JSON.stringify(row(a)), JSON.stringify(row(d)), why(a, d));
}
const clusterOf = new Map();
cl.forEach((c, k) => c.members.forEach((i) => clusterOf.set(i, k)));
const byTruth = new Map();
for (let i = 0; i < t.n; i++) { const k = truth.get(t.ids[i]); byTruth.set(k, [...(byTruth.get(k) ?? []), i]); }
let miss = 0;
const { candidatePairs, pairCode } = await import(join(ROOT, 'dist/core/dedupe/blocking.js'));
const cand = new Set(candidatePairs(t));
const mc = { notCandidate: 0, low: 0, clustering: 0 };
for (const ms of byTruth.values()) for (let x = 0; x < ms.length; x++) for (let y = x + 1; y < ms.length; y++) {
  const a = ms[x], d = ms[y];
  if (clusterOf.get(a) !== undefined && clusterOf.get(a) === clusterOf.get(d)) continue;
  const pp = scorer.probability(a, d);
  const cat = !cand.has(pairCode(a, d)) && pp >= 0.9 ? 'notCandidate' : pp < 0.9 ? 'low' : 'clustering';
  mc[cat]++;
  if (process.env.CAT && cat === process.env.CAT && mc[cat] > Number(process.env.SKIP ?? 0) && mc[cat] <= Number(process.env.SKIP ?? 0) + 12) console.log(cat, JSON.stringify(store.db.prepare('SELECT first_name f, last_name l, address_line1 a, address_line2 a2, postal_code pc, city, birth_date b FROM customers WHERE id IN (?, ?)').all(t.ids[a], t.ids[d])));
  if (miss++ < Number(show)) console.log('MISS', scorer.probability(a, d).toFixed(3), JSON.stringify(row(a)), JSON.stringify(row(d)), why(a, d));
}
console.log('fp pairs', fp, 'missed pairs', miss, mc);
