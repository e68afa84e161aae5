// Dev harness (not a bench suite): builds a generated file once, runs the matcher in-process and
// explains the true pairs it misses (never compared / scored low / clustering).
//   node bench/dev/scale.js PEOPLE SEED CROWD
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { outDir, ROOT } from '../lib.js';
import { buildDb, frenchRows, pairwise, truthMap } from '../dedupe-lib.js';
import { generate } from '../gen/french-people.js';

const [people = 100000, seed = 7, crowd = 1] = process.argv.slice(2).map(Number);
const dist = (p) => import(join(ROOT, 'dist', p));
const path = join(outDir(), `dev-${people}-${seed}-${crowd}.db`);
const rows = [];
for (const r of generate({ people, seed, crowd })) rows.push({ truth: r.person, input: frenchRows.fromRecord(r), raw: r });
if (!existsSync(path)) {
  rmSync(`${path}.tmp`, { force: true });
  const b = await buildDb(`${path}.tmp`, rows);
  console.error('rejected', b.rejected);
  renameSync(`${path}.tmp`, path);
}
const truth = await truthMap(path, rows);
const { Store } = await dist('db/store.js');
const find = await dist('core/dedupe/find.js');
const { clusterEdges } = await dist('core/dedupe/cluster.js');
const { pairCode } = await dist('core/dedupe/blocking.js');
const store = Store.open(path);
const ctx = { store, now: () => new Date() };
const t0 = Date.now();
const t = find.loadTable(ctx, false);
const t1 = Date.now();
const { scorer, edges, pairs } = find.scoreTable(t, 0.5, []);
const t2 = Date.now();
const cl = clusterEdges(edges, { threshold: find.DEFAULT_THRESHOLD, cannotLink: new Set(), probability: (a, b) => scorer.probability(a, b) });
const t3 = Date.now();
console.log(`n=${t.n} load ${(t1 - t0) / 1000}s score ${(t2 - t1) / 1000}s cluster ${(t3 - t2) / 1000}s pairs ${pairs} edges ${edges.length}`);
if (process.env.W) for (const f of scorer.model.fields) console.log('W', f.name, f.weight.map((x) => x.toFixed(2)).join(' '), 'prior', scorer.model.priorBits.toFixed(2));
const clusters = cl.map((c) => c.members.map((i) => t.ids[i]));
const m = pairwise(clusters, truth);
console.log(`P ${m.precision.toFixed(4)} R ${m.recall.toFixed(4)} F1 ${m.f1.toFixed(4)} true ${m.truePairs}`);
// Misses
const clusterOf = new Map();
cl.forEach((c, k) => c.members.forEach((i) => clusterOf.set(i, k)));
const byTruth = new Map();
for (let i = 0; i < t.n; i++) {
  const tr = truth.get(t.ids[i]);
  if (!byTruth.has(tr)) byTruth.set(tr, []);
  byTruth.get(tr).push(i);
}
const edgeP = new Map(edges.map((e) => [pairCode(e.a, e.b), e.p]));
const cats = { notCandidate: 0, low: 0, clustering: 0 };
const missCats = new Map();
let shownMiss = 0;
const samples = [];
for (const ms of byTruth.values()) {
  for (let x = 0; x < ms.length; x++) for (let y = x + 1; y < ms.length; y++) {
    const a = ms[x], b = ms[y];
    if (clusterOf.get(a) !== undefined && clusterOf.get(a) === clusterOf.get(b)) continue;
    const code = pairCode(a, b);
    const p = scorer.probability(a, b);
    let cat;
    if (!edgeP.has(code) && p >= 0.5) cat = 'notCandidate';
    else if (p < find.DEFAULT_THRESHOLD) cat = 'low';
    else cat = 'clustering';
    cats[cat]++;
    if (cat !== 'clustering') { const key = cat + ' ' + scorer.explain(a, b).fields.filter((f) => f.weight !== 0).map((f) => `${f.field}:${f.level.split(' (')[0]}`).join(' '); missCats.set(key, (missCats.get(key) ?? 0) + 1); if (process.env.SHOW && key.startsWith(process.env.SHOW) && shownMiss++ < 8) console.log('SHOW', JSON.stringify(store.db.prepare('SELECT first_name, last_name, company_name, email, phone, address_line1, postal_code, city FROM customers WHERE id IN (?, ?)').all(t.ids[a], t.ids[b]))); }
    if (samples.length < 12 && Math.random() < 0.05) samples.push({ cat, p: p.toFixed(3), e: scorer.explain(a, b).fields.filter((f) => f.weight !== 0).map((f) => `${f.field}:${f.level}:${f.weight}`).join(' '), ids: [t.ids[a], t.ids[b]] });
  }
}
console.log(cats);
for (const [k, v] of [...missCats].sort((x, y) => y[1] - x[1]).slice(0, 14)) console.log('MISSCAT', v, k);
for (const s of samples) console.log(s);
const fpCats = new Map();
let shown = 0;
for (const c of cl) for (let x = 0; x < c.members.length; x++) for (let y = x + 1; y < c.members.length; y++) {
  const a = c.members[x], b = c.members[y];
  if (truth.get(t.ids[a]) === truth.get(t.ids[b])) continue;
  const e = scorer.explain(a, b).fields.filter((f) => f.weight !== 0);
  const key = e.map((f) => `${f.field}:${f.level.split(' (')[0]}`).join(' ');
  fpCats.set(key, (fpCats.get(key) ?? 0) + 1);
  if (shown++ < 4) console.log('FP', scorer.probability(a, b).toFixed(3), e.map((f) => `${f.field}:${f.level}:${f.weight}`).join(' '));
}
for (const [k, v] of [...fpCats].sort((x, y) => y[1] - x[1]).slice(0, 14)) console.log('FPCAT', v, k);
