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
// False positives by what their pair shares (FP=1): where precision goes at scale.
if (m && process.env.FP) {
  const truth = new Map();
  const { generate } = await import('../gen/french-people.js');
  const byRef = new Map();
  for (const r of generate({ people: Number(m[1]), seed: Number(m[2]) })) byRef.set(r.ref, r.person);
  for (const r of store.db.prepare('SELECT id, external_id FROM customers').iterate()) truth.set(r.id, byRef.get(r.external_id));
  const cats = new Map();
  let shown = 0;
  for (const c of cl) for (let x = 0; x < c.members.length; x++) for (let y = x + 1; y < c.members.length; y++) {
    const a = c.members[x], b = c.members[y];
    if (truth.get(t.ids[a]) === truth.get(t.ids[b])) continue;
    const e = scorer.explain(a, b);
    const key = `${c.members.length > 2 ? 'big ' : ''}${e.probability >= 0.9 ? 'direct' : 'joined'} ` + e.fields.filter((f) => f.weight !== 0).map((f) => `${f.field}:${f.level.split(' (')[0]}`).join(' ');
    cats.set(key, (cats.get(key) ?? 0) + 1);
    if (shown++ < Number(process.env.FP)) console.log('FP', e.probability.toFixed(3), JSON.stringify(store.db.prepare('SELECT first_name f, last_name l, company_name co, email e, phone p, address_line1 a, postal_code pc, city, birth_date b FROM customers WHERE id IN (?, ?)').all(t.ids[a], t.ids[b])));
  }
  for (const [k, v] of [...cats].sort((p, q) => q[1] - p[1]).slice(0, 25)) console.log('FPCAT', v, k);
}
