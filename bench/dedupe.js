// Speed, memory and accuracy of `carnet dedupe --dry-run` on French customer files from one generator
// (bench/gen/french-people.js, seed 7) at 10,000, 100,000 and 1,000,000 people (~1.38 records each):
// recall must not fall with the file's size. Goals: 100,000 people in under 10 s… and 1,000,000 in
// under 90 s with peak RSS under 1 GB and F1 ≥ 0.97. The databases are written directly (bench/out/,
// reused between runs), not through carnet add. The machine's load is printed beside each time.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { carnet, outDir } from './lib.js';
import { buildDb, frenchRows, pairwise } from './dedupe-lib.js';
import { generate } from './gen/french-people.js';

const SEED = 7;

/** A database of the generated records of `people` people, built once. */
export async function generatedDb(people, seed = SEED) {
  const path = join(outDir(), `dedupe-people-${people}-${seed}.db`);
  if (existsSync(path)) return path;
  const recs = [];
  for (const r of generate({ people, seed })) recs.push({ truth: r.person, input: frenchRows.fromRecord(r) });
  const tmp = `${path}.tmp`;
  rmSync(tmp, { force: true });
  await buildDb(tmp, recs);
  renameSync(tmp, path);
  return path;
}

/** id → person, streamed from the generator (the rows are inserted in generation order: id k+1 is record k). */
async function truthOf(path, people, seed = SEED) {
  const { default: Database } = await import('better-sqlite3');
  const byRef = new Map();
  for (const r of generate({ people, seed })) byRef.set(r.ref, r.person);
  const db = new Database(path, { readonly: true });
  const out = new Map();
  for (const r of db.prepare('SELECT id, external_id FROM customers').iterate()) out.set(r.id, byRef.get(r.external_id));
  db.close();
  return out;
}

export async function run({ quick = false } = {}) {
  // No speed goal at 10,000 people (none was set); its F1 is the point.
  const sizes = quick ? [[10_000, null], [100_000, 10]] : [[10_000, null], [100_000, 10], [1_000_000, 90]];
  const rows = [];
  for (const [people, goal] of sizes) {
    const t0 = Date.now();
    const db = await generatedDb(people);
    const built = (Date.now() - t0) / 1000;
    const load = loadavg()[0];
    const r = carnet(['dedupe', '--dry-run', '--json'], { env: { CARNET_DB: db } });
    if (r.code !== 0) throw new Error(`carnet dedupe exited ${r.code}: ${r.stderr}`);
    const res = JSON.parse(r.stdout);
    const m = pairwise(res.clusters.map((c) => c.members.map((x) => x.id)), await truthOf(db, people));
    const big = people >= 1_000_000;
    rows.push({
      people,
      customers: res.considered,
      'candidate pairs': res.candidate_pairs,
      precision: m.precision.toFixed(4),
      recall: m.recall.toFixed(4),
      F1: m.f1.toFixed(4),
      seconds: r.seconds,
      'CPU s': r.cpuSeconds,
      'goal s': goal ? `< ${goal}` : '',
      'peak RSS MB': r.rssMb,
      'goal MB': big ? '< 1024' : '',
      'load (1 min)': load.toFixed(1),
      ok: (goal === null || r.seconds < goal) && (!big || ((r.rssMb === null || r.rssMb < 1024) && m.f1 >= 0.97)) ? 'yes' : 'NO',
      'db built s': built,
    });
  }
  return [{ title: 'dedupe --dry-run: F1, speed and memory by size (one generator, 2-core machine)', rows }];
}
