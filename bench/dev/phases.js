// Dev harness: where `dedupe --dry-run` spends its time and memory on a bench database, phase by phase.
//   node [--cpu-prof] bench/dev/phases.js bench/out/dedupe-people-1000000-7.db
import { join } from 'node:path';
import { ROOT } from '../lib.js';

const [path] = process.argv.slice(2);
const { Store } = await import(join(ROOT, 'dist/db/store.js'));
const find = await import(join(ROOT, 'dist/core/dedupe/find.js'));
const { clusterEdges } = await import(join(ROOT, 'dist/core/dedupe/cluster.js'));
const store = Store.open(path);
const ctx = { store, now: () => new Date() };
const mb = () => Math.round(process.memoryUsage().rss / 1048576);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
let c0 = cpu();
const lap = (name, extra = '') => { const c = cpu(); console.log(`${name.padEnd(10)} cpu ${(c - c0).toFixed(1)} s  rss ${mb()} MB ${extra}`); c0 = c; };
const t = find.loadTable(ctx, false);
lap('load', `n=${t.n}`);
const stats = [];
const { scorer, edges, pairs } = find.scoreTable(t, 0.5, stats);
lap('score', `pairs=${pairs} edges=${edges.length}`);
for (const s of stats) console.log(`  ${s.rule.padEnd(24)} keys ${s.keys} pairs ${s.pairs} capped ${s.capped}`);
const cl = clusterEdges(edges, { threshold: find.DEFAULT_THRESHOLD, cannotLink: new Set(), probability: (a, b) => scorer.probability(a, b) });
lap('cluster', `clusters=${cl.length}`);
// F1 against the generator's truth when the file is one of bench/dedupe.js's (dedupe-people-N-SEED.db).
const m = /dedupe-people-(\d+)-(\d+)\.db$/.exec(path);
if (m) {
  const { generate } = await import('../gen/french-people.js');
  const { pairwise } = await import('../dedupe-lib.js');
  const byRef = new Map();
  for (const r of generate({ people: Number(m[1]), seed: Number(m[2]) })) byRef.set(r.ref, r.person);
  const truth = new Map();
  for (const r of store.db.prepare('SELECT id, external_id FROM customers').iterate()) truth.set(r.id, byRef.get(r.external_id));
  const f = pairwise(cl.map((c) => c.members.map((i) => t.ids[i])), truth);
  console.log(`P ${f.precision.toFixed(4)} R ${f.recall.toFixed(4)} F1 ${f.f1.toFixed(4)}`);
}
