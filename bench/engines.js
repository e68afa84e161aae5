// Issue 15's two speed promises, measured side by side in one run:
// 1. SQLite does not get slower: import, dedupe, categorise and export by this tree and by the
//    base commit (CARNET_BENCH_BASE, default the last landing before the PostgreSQL work),
//    interleaved run by run, compared on CPU seconds (what a run costs whatever else this shared
//    2-core machine is doing). Goal: every ratio ≤ 1.10.
// 2. PostgreSQL beside SQLite on the same files: import of 1M rows ≤ 2× SQLite, dedupe and
//    categorise ≤ 1.5×. The server is CARNET_BENCH_PG_URL's, or a private cluster started here
//    from Debian's postgresql (as the postgres user when run as root); the PostgreSQL databases
//    are filled by `carnet copy` from the SQLite ones, so both engines work on the same rows.
//    Compared on CPU seconds of carnet plus the server's processes (its backend does the work
//    SQLite does inside carnet), read from /proc through the postmaster's pid in the socket's
//    lock file; wall seconds beside them. `npm run bench -- engines --pg` runs this part only.
// Sizes: --quick imports 100,000 rows, CARNET_BENCH_ROWS=200000 any other count (dedupe and
// categorise take a tenth); CARNET_BENCH_PG_RUNS=3 takes the median of three PostgreSQL runs;
// CARNET_BENCH_ONLY=categorise measures only the tasks whose name holds that word.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, chmodSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ensure } from './gen/customers-csv.js';
import { categoriseDb, NOW } from './categorise.js';
import { generatedDb } from './dedupe.js';
import { BIN, OUT, ROOT, outDir } from './lib.js';

const BASE = process.env.CARNET_BENCH_BASE ?? '235ab0c';
const PG_BIN = '/usr/lib/postgresql/15/bin';

/** One carnet run under GNU time: wall and CPU seconds, peak RSS. */
function timed(bin, args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '__T=%U %S %M', process.execPath, bin, ...args], {
    encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, CI: 'true', CARNET_NOW: NOW, ...env },
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /__T=([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr ?? '');
  if (r.status !== 0) throw new Error(`carnet ${args.join(' ')} exited ${r.status}: ${(r.stderr ?? '').slice(-600)}`);
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : wall, rss: m ? Number(m[3]) / 1024 : null, stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fresh = (p) => { for (const s of ['', '-wal', '-shm']) rmSync(p + s, { force: true }); return p; };

/** The base commit's tree, built once into bench/out/base-<ref>/ (its own dist/, this tree's node_modules). */
function baseBin() {
  const dir = join(outDir(), `base-${BASE}`);
  const bin = join(dir, 'bin', 'carnet.js');
  if (existsSync(join(dir, 'dist', 'cli', 'main.js'))) return bin;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git -C '${ROOT}' archive ${BASE} | tar -x -C '${dir}'`]);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: dir });
  return bin;
}

/** The SQLite tasks: each gets a fresh copy of its input and returns one timed run. */
function sqliteTasks(files) {
  const dir = outDir();
  return [
    ['import (first, UTF-8)', (bin, tag) => timed(bin, ['import', files.csv, '--json', '-q'], { CARNET_DB: fresh(join(dir, `engines-import-${tag}.db`)) })],
    ['dedupe --dry-run', (bin, tag) => {
      const db = fresh(join(dir, `engines-dedupe-${tag}.db`));
      copyFileSync(files.dedupe, db);
      return timed(bin, ['dedupe', '--dry-run', '--json'], { CARNET_DB: db });
    }],
    ['categorise (first run)', (bin, tag) => {
      const db = fresh(join(dir, `engines-categorise-${tag}.db`));
      copyFileSync(files.categorise, db);
      return timed(bin, ['categorise', '--json'], { CARNET_DB: db });
    }],
    ['export (CSV, all customers)', (bin, tag) => timed(bin, ['export', '-o', join(dir, `engines-export-${tag}.csv`)], { CARNET_DB: files.categorise })],
  ];
}

async function inputs(n) {
  return {
    csv: await ensure({ rows: n, encoding: 'utf8' }),
    dedupe: await generatedDb(Math.round(n / 10)),
    categorise: categoriseDb(Math.round(n / 10)),
  };
}

function beforeAfter(files, runs) {
  const base = baseBin();
  const rows = [];
  for (const [what, task] of sqliteTasks(files)) {
    const before = [];
    const after = [];
    for (let k = 0; k < runs; k++) {
      // Interleaved, and the order swapped every other round so that neither side always runs second.
      if (k % 2 === 0) { before.push(task(base, 'base')); after.push(task(BIN, 'head')); }
      else { after.push(task(BIN, 'head')); before.push(task(base, 'base')); }
    }
    const b = median(before.map((r) => r.cpu));
    const a = median(after.map((r) => r.cpu));
    rows.push({ task: what, [`${BASE} cpu s`]: b, 'this tree cpu s': a, ratio: a / b, goal: `≤ 1.10: ${a / b <= 1.1 ? 'met' : 'MISSED'}`, 'peak RSS MB (this tree)': median(after.map((r) => r.rss ?? 0)) });
  }
  return rows;
}

/**
 * CPU seconds used so far by a server's processes: the postmaster's own and its reaped children's
 * (backends that ended), plus its live children's. Null when the lock file or /proc is not readable.
 */
function serverCpu(sockDir, port) {
  const ticks = (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  try {
    const pm = Number(readFileSync(join(sockDir, `.s.PGSQL.${port}.lock`), 'utf8').split('\n')[0]);
    const f = ticks(pm);
    let t = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    for (const p of readdirSync('/proc')) {
      if (!/^\d+$/.test(p)) continue;
      try {
        const c = ticks(p);
        if (Number(c[1]) === pm) t += Number(c[11]) + Number(c[12]);
      } catch { /* ended meanwhile */ }
    }
    return t / 100; // USER_HZ
  } catch {
    return null;
  }
}

/** A carnet run against a server: carnet's CPU plus what the server's processes spent meanwhile. */
function timedPg(pg, args, env) {
  const before = pg.cpu();
  const r = timed(BIN, args, env);
  execFileSync('sleep', ['0.3']); // the backend ends and is reaped after carnet exits
  const after = pg.cpu();
  const server = before === null || after === null ? null : after - before;
  return { ...r, server, cpu: r.cpu + (server ?? 0) };
}

/** A PostgreSQL server to measure against: the given URL, or a private cluster of Debian's postgresql. */
function pgServer() {
  if (process.env.CARNET_BENCH_PG_URL) {
    const u = new URL(process.env.CARNET_BENCH_PG_URL);
    const host = u.searchParams.get('host') ?? '/var/run/postgresql';
    const port = u.searchParams.get('port') ?? (u.port || '5432');
    return { url: (db) => process.env.CARNET_BENCH_PG_URL.replace(/\/[^/?]*(\?|$)/, `/${db}$1`), stop() {}, cpu: () => serverCpu(host, port) };
  }
  if (!existsSync(join(PG_BIN, 'initdb'))) return null;
  const dir = join(OUT, 'pg');
  const sock = join(OUT, 'pg-sock');
  const asPg = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  const sh = (cmd, args) => execFileSync(asPg[0] ?? cmd, asPg.length ? [...asPg.slice(1), cmd, ...args] : args, { stdio: ['ignore', 'pipe', 'pipe'] });
  mkdirSync(sock, { recursive: true });
  chmodSync(sock, 0o777);
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    mkdirSync(dir, { recursive: true });
    if (asPg.length) execFileSync('chown', ['postgres', dir]);
    sh(join(PG_BIN, 'initdb'), ['-D', dir, '-A', 'trust', '-U', 'postgres']);
  }
  spawnSync(asPg[0] ?? join(PG_BIN, 'pg_ctl'), [...asPg.slice(1), ...(asPg.length ? [join(PG_BIN, 'pg_ctl')] : []), '-D', dir, '-w', '-l', join(dir, 'log'), '-o', `-k ${sock} -c listen_addresses='' -p 5499 -c shared_buffers=512MB -c max_wal_size=4GB`, 'start']);
  const psql = (db, sql) => execFileSync('psql', ['-h', sock, '-p', '5499', '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-qc', sql]);
  return {
    url: (db) => `postgresql://postgres@/${db}?host=${encodeURIComponent(sock)}&port=5499`,
    fresh: (db) => { psql('postgres', `DROP DATABASE IF EXISTS ${db}`); psql('postgres', `CREATE DATABASE ${db}`); },
    stop: () => sh(join(PG_BIN, 'pg_ctl'), ['-D', dir, '-m', 'fast', 'stop']),
    cpu: () => serverCpu(sock, '5499'),
  };
}

function pgBeside(files, runs) {
  const pg = pgServer();
  if (pg === null) return [{ task: 'PostgreSQL (skipped: no server — set CARNET_BENCH_PG_URL or install postgresql)' }];
  const dir = outDir();
  const rows = [];
  try {
    const only = process.env.CARNET_BENCH_ONLY;
    const side = (what, goal, sqliteRun, pgRun) => {
      if (only && !what.includes(only)) return;
      const s = [];
      const p = [];
      for (let k = 0; k < runs; k++) { s.push(sqliteRun()); p.push(pgRun()); }
      const sc = median(s.map((r) => r.cpu));
      const pc = median(p.map((r) => r.cpu));
      const server = median(p.map((r) => r.server ?? 0));
      rows.push({
        task: what, 'SQLite cpu s': sc, 'PostgreSQL cpu s (carnet + server)': pc, 'of which server': p[0].server === null ? 'n/a' : server,
        ratio: pc / sc, goal: `≤ ${goal}×: ${pc / sc <= goal ? 'met' : 'MISSED'}`, 'SQLite wall s': median(s.map((r) => r.wall)), 'PostgreSQL wall s': median(p.map((r) => r.wall)),
      });
    };
    // CPU seconds: SQLite's work is all in carnet's process, PostgreSQL's mostly in the server's backend.
    const pgRun = (args, env) => timedPg(pg, args, env);
    side('import (first, UTF-8)', 2,
      () => timed(BIN, ['import', files.csv, '--json', '-q'], { CARNET_DB: fresh(join(dir, 'engines-pg-ref.db')) }),
      () => { pg.fresh?.('carnet_import'); return pgRun(['import', files.csv, '--json', '-q'], { CARNET_DB: pg.url('carnet_import') }); });
    // After the copy (setup, not measured), VACUUM ANALYZE as after any bulk load: otherwise the
    // autovacuum the copy sets off runs during the measured command and is counted as its CPU.
    const copied = (src, db) => {
      pg.fresh?.(db);
      timed(BIN, ['copy', pg.url(db)], { CARNET_DB: src });
      execFileSync('psql', [pg.url(db), '-v', 'ON_ERROR_STOP=1', '-qc', 'VACUUM ANALYZE']);
      return pg.url(db);
    };
    side('dedupe --dry-run', 1.5,
      () => timed(BIN, ['dedupe', '--dry-run', '--json'], { CARNET_DB: files.dedupe }),
      (() => { let url; return () => pgRun(['dedupe', '--dry-run', '--json'], { CARNET_DB: (url ??= copied(files.dedupe, 'carnet_dedupe')) }); })());
    // A fresh copy of the categorise file on each engine (setup, not measured).
    const catSqlite = () => { const db = fresh(join(dir, 'engines-pg-cat.db')); copyFileSync(files.categorise, db); return { CARNET_DB: db }; };
    const catPg = () => ({ CARNET_DB: copied(files.categorise, 'carnet_categorise') });
    const categorise = ['categorise', '--json'];
    side('categorise (first run)', 1.5, () => timed(BIN, categorise, catSqlite()), () => pgRun(categorise, catPg()));
    // The nightly case: a run after a run (the first not measured), little to change. Straight after,
    // as cron would: no ANALYZE between, so the planner meets the memberships before autovacuum has
    // counted them (a VACUUM ANALYZE here once hid a 49 s re-run), and autovacuum's work is counted.
    side('categorise (re-run)', 1.5,
      () => { const env = catSqlite(); timed(BIN, categorise, env); return timed(BIN, categorise, env); },
      () => { const env = catPg(); timed(BIN, categorise, env); return pgRun(categorise, env); });
  } catch (err) {
    rows.push({ task: `PostgreSQL run failed: ${String(err.message ?? err).split('\n').slice(0, 3).join(' ')}` });
  } finally {
    pg.stop();
  }
  return rows;
}

export async function run({ quick = false } = {}) {
  // CARNET_BENCH_ROWS=200000 while iterating (import that many rows; dedupe and categorise a tenth).
  const n = Number(process.env.CARNET_BENCH_ROWS ?? 0) || (quick ? 100_000 : 1_000_000);
  const files = await inputs(n);
  const runs = 3;
  const load = () => loadavg()[0].toFixed(1);
  const l0 = load();
  const pgOnly = process.argv.includes('--pg');
  const sqlite = pgOnly ? [] : beforeAfter(files, runs);
  const l1 = load();
  const pg = pgBeside(files, Number(process.env.CARNET_BENCH_PG_RUNS ?? 1));
  return [
    ...(pgOnly ? [] : [{ title: `SQLite before (${BASE}) and after, interleaved, median of ${runs} (import ${n.toLocaleString('en-US')} rows; dedupe ${Math.round(n / 10).toLocaleString('en-US')} people; categorise and export ${Math.round(n / 10).toLocaleString('en-US')} customers), load ${l0} → ${l1}`, rows: sqlite }]),
    { title: `PostgreSQL beside SQLite on the same files (import ${n.toLocaleString('en-US')} rows, dedupe and categorise ${Math.round(n / 10).toLocaleString('en-US')}), CPU seconds, load ${l1} → ${load()}`, rows: pg },
  ];
}
