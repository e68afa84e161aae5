// Dev harness: FEBRL-like misses on the TUNING half only (entities whose truth hashes to 'tune'),
// grouped by the pair's levels, so that no decision looks at the held-out half.
//   node bench/dev/febrl3.js [SEED] [SHOW]
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { outDir, ROOT } from '../lib.js';
import { buildDb, pairwise, truthMap } from '../dedupe-lib.js';
import { febrlLikeRows } from '../dedupe-sets.js';
import { halfOf } from '../dedupe-accuracy.js';

const [seedArg = '1', show = '0', kind = 'febrl3'] = process.argv.slice(2);
const seed = Number(seedArg);
const { febrlRows, splinkRows } = await import('../dedupe-lib.js');
const { SHARED } = await import('../lib.js');
const { generate } = await import('../gen/french-people.js');
const { frenchRows } = await import('../dedupe-lib.js');
const french = (people) => [...generate({ people, seed })].map((r) => ({ truth: r.person, input: frenchRows.fromRecord(r) }));
const rows = kind === 'febrl3' ? febrlLikeRows({ seed }) : kind === 'febrl2' ? febrlRows(join(SHARED, 'febrl/dataset2.csv')) : kind === 'french' ? french(2900) : kind === 'french10k' ? french(10000) : splinkRows(join(SHARED, 'splink-fake1000/fake_1000.csv'));
const path = join(outDir(), `dev-${kind}-${seed}.db`);
if (!existsSync(path)) {
  rmSync(`${path}.tmp`, { force: true });
  await buildDb(`${path}.tmp`, rows);
  renameSync(`${path}.tmp`, path);
}
const truth = await truthMap(path, rows);
const { Store } = await import(join(ROOT, 'dist/db/store.js'));
const find = await import(join(ROOT, 'dist/core/dedupe/find.js'));
const { clusterEdges } = await import(join(ROOT, 'dist/core/dedupe/cluster.js'));
const { comparePair } = await import(join(ROOT, 'dist/core/dedupe/compare.js'));
const { candidatePairs, pairCode } = await import(join(ROOT, 'dist/core/dedupe/blocking.js'));
const store = Store.open(path);
const ctx = { store, now: () => new Date() };
const t = find.loadTable(ctx, false);
const { scorer, edges } = find.scoreTable(t, 0.5, []);
const cl = clusterEdges(edges, { threshold: find.DEFAULT_THRESHOLD, cannotLink: new Set(), probability: (a, c) => scorer.probability(a, c) });
const tuneTruth = new Map([...truth].filter(([, v]) => halfOf(v) === 'tune'));
const tuneIdx = new Set();
for (let i = 0; i < t.n; i++) if (tuneTruth.has(t.ids[i])) tuneIdx.add(i);
const m = pairwise(cl.map((c) => c.members.filter((i) => tuneIdx.has(i)).map((i) => t.ids[i])), tuneTruth);
console.log(`${kind} seed ${seed} TUNE half: P ${m.precision.toFixed(4)} R ${m.recall.toFixed(4)} F1 ${m.f1.toFixed(4)} true ${m.truePairs}`);
const row = (i) => store.db.prepare('SELECT first_name f, last_name l, company_name co, email_norm e, phone_e164 p, address_line1 a, address_line2 a2, postal_code pc, city, birth_date b FROM customers WHERE id = ?').get(t.ids[i]);
const why = (a, c) => scorer.explain(a, c).fields.filter((f) => f.weight !== 0).map((f) => `${f.field}:${f.level}:${f.weight}`).join(' ');
const clusterOf = new Map();
cl.forEach((c, k) => c.members.forEach((i) => clusterOf.set(i, k)));
let fp = 0;
for (const c of cl) for (let x = 0; x < c.members.length; x++) for (let y = x + 1; y < c.members.length; y++) {
  const a = c.members[x], d = c.members[y];
  if (!tuneIdx.has(a) && !tuneIdx.has(d)) continue;
  if (truth.get(t.ids[a]) !== truth.get(t.ids[d])) { fp++; if (process.env.FP) console.log('FP', scorer.probability(a, d).toFixed(3), JSON.stringify(row(a)), JSON.stringify(row(d)), why(a, d)); }
}
const byTruth = new Map();
for (const i of tuneIdx) { const k = truth.get(t.ids[i]); byTruth.set(k, [...(byTruth.get(k) ?? []), i]); }
const cand = new Set(candidatePairs(t));
const mc = { notCandidate: 0, low: 0, clustering: 0 };
const lv = new Uint8Array(40);
const patterns = new Map();
let shown = 0;
const splitSizes = new Map();
for (const ms of byTruth.values()) {
  const cs = new Set(ms.map((i) => clusterOf.get(i) ?? `s${i}`));
  if (cs.size > 1) splitSizes.set(`${ms.length}->${cs.size}`, (splitSizes.get(`${ms.length}->${cs.size}`) ?? 0) + 1);
  for (let x = 0; x < ms.length; x++) for (let y = x + 1; y < ms.length; y++) {
    const a = ms[x], d = ms[y];
    if (clusterOf.get(a) !== undefined && clusterOf.get(a) === clusterOf.get(d)) continue;
    const pp = scorer.probability(a, d);
    const cat = !cand.has(pairCode(a, d)) && pp >= 0.9 ? 'notCandidate' : pp < 0.9 ? 'low' : 'clustering';
    mc[cat]++;
    comparePair(t, a, d, lv);
    const key = `${cat} ${Array.from(lv.subarray(0, 9)).join('')}`;
    patterns.set(key, (patterns.get(key) ?? 0) + 1);
    if ((!process.env.CAT || process.env.CAT === cat) && shown++ < Number(show)) console.log(cat, pp.toFixed(3), JSON.stringify(row(a)), JSON.stringify(row(d)), why(a, d));
  }
}
console.log('fp pairs', fp, mc, 'entities split', [...splitSizes].map(([k, v]) => `${k}:${v}`).join(' '));
console.log('levels: first last company email phone birth location address siren');
for (const [k, v] of [...patterns].sort((x, y) => y[1] - x[1]).slice(0, 25)) console.log(v, k);
if (process.env.MODEL) for (const f of scorer.model.fields) console.log(f.name.padEnd(12), f.weight.slice(1).map((w, l) => `${f.levels[l]}=${w.toFixed(2)}`).join('  '));
