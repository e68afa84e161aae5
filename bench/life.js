// Reliability at real size (issue 18): the retention purge on files that went through import,
// dedupe --auto, categorise and a sales import (bench/life-file.js), at three sizes, and the sales
// import at 100k and 1M rows. Printed with the per-unit cost so that linearity shows: the time
// per erasure (or per row) should stay flat as the size grows ×10.
// Goals: 100,000 erasures in < 60 s; 1,000,000 sales rows in < 60 s.
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, outDir } from './lib.js';
import { NOW, bulkSalesLines, lifeFile, writeCsv } from './life-file.js';

function fresh(base, work) {
  for (const s of ['', '-wal', '-shm']) rmSync(work + s, { force: true });
  copyFileSync(base, work);
}

/** Runs carnet once: wall seconds, CPU seconds (user + system: what a loaded machine does not inflate), peak RSS. */
function timedRun(env, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '__CPU=%U %S %M', process.execPath, BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, CI: 'true', ...env } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /__CPU=([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr ?? '');
  if (r.status !== 0 && r.status !== 3) throw new Error(`carnet ${args.join(' ')} exited ${r.status}: ${(r.stderr ?? '').slice(0, 2000)}`);
  return { seconds, cpu: m ? Number(m[1]) + Number(m[2]) : null, rssMb: m ? Number(m[3]) / 1024 : null, stdout: r.stdout };
}

export async function run_purge(sizes) {
  const rows = [];
  for (const n of sizes) {
    const built = await lifeFile(n);
    for (const s of built.steps) console.error(`[life ${n}] ${s.title}: ${s.seconds.toFixed(1)} s`);
    const work = join(outDir(), `life-${n}-work.db`);
    fresh(built.db, work);
    const m = timedRun({ CARNET_DB: work, CARNET_NOW: NOW }, ['rgpd', 'purge', '--yes', '--json']);
    const out = JSON.parse(m.stdout);
    const erased = out.counts.erased + out.counts.anonymised + out.counts.archived;
    rows.push({
      people: n, erased: out.counts.erased, archived: out.counts.archived, 'wall s': m.seconds, 'cpu s': m.cpu, 'cpu µs per erasure': ((m.cpu ?? m.seconds) * 1e6) / Math.max(1, erased),
      'peak MB': m.rssMb, 'checked bytes of': out.scrub?.checked ?? 0, 'file traces': out.scrub?.fileTraces ?? 0, 'file MB': statSync(work).size / 1e6,
    });
    for (const s of ['', '-wal', '-shm']) rmSync(work + s, { force: true });
  }
  return { title: 'rgpd purge --yes on a file after import, dedupe --auto, categorise and sales (goal: 100k erasures < 60 s, flat µs per erasure)', rows };
}

export async function run_sales(sizes) {
  const rows = [];
  const customers = 120_000;
  const built = await lifeFile(customers);
  for (const n of sizes) {
    const csv = await writeCsv(join(outDir(), `sales-${n}.csv`), bulkSalesLines(n, customers));
    const work = join(outDir(), `sales-${n}-work.db`);
    fresh(built.db, work);
    const env = { CARNET_DB: work, CARNET_NOW: NOW };
    const first = timedRun(env, ['import', csv, '--what', 'sales', '--json']);
    const again = timedRun(env, ['import', csv, '--what', 'sales', '--json']);
    const o = JSON.parse(first.stdout);
    rows.push({ rows: n, 'first import wall s': first.seconds, 'cpu s': first.cpu, 'cpu µs per row': ((first.cpu ?? first.seconds) * 1e6) / n, 're-import wall s': again.seconds, 're-import cpu s': again.cpu, inserted: o.inserted, rejected: o.rejected, 'peak MB': first.rssMb });
    for (const s of ['', '-wal', '-shm']) rmSync(work + s, { force: true });
  }
  return { title: 'import --what sales into a 120k-customer file (goal: 1M rows < 60 s, flat µs per row)', rows };
}

export async function run({ quick }) {
  const only = process.env.LIFE_ONLY;
  const tables = [];
  if (only !== 'sales') tables.push(await run_purge(quick ? [12_000] : [12_000, 60_000, 120_000]));
  if (only !== 'purge') tables.push(await run_sales(quick ? [100_000] : [100_000, 1_000_000]));
  return tables;
}
