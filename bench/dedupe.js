// Speed and memory of `carnet dedupe --dry-run` on generated French customer files:
// 100,000 customers in under 10 s, 1,000,000 in under 90 s with peak RSS under 1 GB.
// The databases are written directly (bench/out/, reused between runs), not through carnet add.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { carnet, outDir } from './lib.js';
import { buildDb, frenchRows } from './dedupe-lib.js';
import { generate } from './gen/french-people.js';

/** A database of about `rows` generated customers (people × ~1.4 records), built once. */
export async function generatedDb(rows, seed) {
  const path = join(outDir(), `dedupe-${rows}.db`);
  if (existsSync(path)) return path;
  const people = Math.round(rows / 1.385);
  const recs = [];
  for (const r of generate({ people, seed })) recs.push({ truth: r.person, input: frenchRows.fromRecord(r) });
  const tmp = `${path}.tmp`;
  rmSync(tmp, { force: true });
  await buildDb(tmp, recs);
  renameSync(tmp, path);
  return path;
}

export async function run({ quick = false } = {}) {
  const sizes = quick ? [[100_000, 10]] : [[100_000, 10], [1_000_000, 90]];
  const rows = [];
  for (const [n, goal] of sizes) {
    const t0 = Date.now();
    const db = await generatedDb(n, 7);
    const built = (Date.now() - t0) / 1000;
    const r = carnet(['dedupe', '--dry-run', '--json'], { env: { CARNET_DB: db } });
    if (r.code !== 0) throw new Error(`carnet dedupe exited ${r.code}: ${r.stderr}`);
    const res = JSON.parse(r.stdout);
    rows.push({
      customers: res.considered,
      'candidate pairs': res.candidate_pairs,
      clusters: res.clusters.length,
      seconds: r.seconds,
      'goal s': `< ${goal}`,
      'peak RSS MB': r.rssMb,
      'goal MB': n >= 1_000_000 ? '< 1024' : '',
      ok: r.seconds < goal && (n < 1_000_000 || r.rssMb === null || r.rssMb < 1024) ? 'yes' : 'NO',
      'db built s': built,
    });
  }
  return [{ title: 'dedupe --dry-run speed (generated French files, 2-core machine)', rows }];
}

