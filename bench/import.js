// carnet import speed and memory: 1,000,000 French customer rows (~150 bytes each, `;`,
// UTF-8 and Windows-1252) with full validation, against sqlite3's own `.import` of the same
// file into a table with the same columns, and against the floor below. Goals (issue 17):
// first import (UTF-8 and cp1252) ≤ ×8 of `.import` and ≤ 2× the floor; re-import of the
// unchanged file ≤ 1.5× the floor; peak RSS ≤ 250 MB in all three (aim: 200 MB).
// Two more references load the same rows into carnet's real schema (indexes, full-text
// index, uid) with sqlite3 alone, without any validation: row by row, and with carnet's bulk
// tricks (the floor for that schema: no import with validation can be faster).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
// Default threads: none below 4 cores (see src/core/import/pool.ts); the last line forces one to compare.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensure, HEADER } from './gen/customers-csv.js';
import { costs } from './import-cost.js';
import { BIN, carnet, hasSqlite3, measure, tempDir } from './lib.js';

const COLS = HEADER.map((h) => `"${h.replace(/"/g, '""')}"`).join(', ');

function sqlite3Import(file, dir) {
  const db = join(dir, `ref-${Date.now()}.db`);
  const script = join(dir, 'import.sql');
  writeFileSync(script, `CREATE TABLE t (${COLS});\n.mode csv\n.separator ;\n.import --skip 1 '${file}' t\n`);
  const r = measure('sqlite3', [db, `.read '${script}'`]);
  rmSync(db, { force: true });
  if (r.code !== 0) throw new Error(`sqlite3 .import failed: ${r.stderr}`);
  return r;
}

const SELECT_ROWS = `SELECT printf('019ab000-0000-7000-8000-%012x', t.rowid), CASE WHEN "Société" <> '' THEN 'company' ELSE 'person' END, nullif("Civilité", ''), nullif("Prénom", ''), nullif("Nom", ''),
  nullif("Société", ''), nullif(replace("SIRET", ' ', ''), ''), "E-mail", lower("E-mail"), "Téléphone", "Adresse", "Code postal", "Ville", 'FR', 'prospect', "Réf",
  json_object('Canal d''acquisition', "Canal d'acquisition"), '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
FROM t`;
const INSERT_ROWS = `INSERT INTO customers (uid, kind, civility, first_name, last_name, company_name, siret, email, email_norm, phone, address_line1, postal_code, city,
  country, status, external_id, extra, created_at, updated_at)`;
const SECONDARY = ['customers_email_norm', 'customers_siret', 'customers_phone', 'customers_mobile', 'customers_external', 'customers_status'];

/**
 * The same rows into carnet's schema by sqlite3 alone: a plain .import, then
 * one INSERT … SELECT with no normalisation at all. `bulk` uses carnet's own
 * tricks for big imports (secondary indexes and the full-text trigger
 * dropped, rebuilt once after the rows): the best sqlite3 itself can do
 * with the schema, before any consent, category or validation.
 */
function sqlite3Schema(file, dir, bulk) {
  const db = join(dir, `floor-${Date.now()}.db`);
  const init = measure(process.execPath, [BIN, 'init'], { env: { CARNET_DB: db } });
  if (init.code !== 0) throw new Error(init.stderr);
  const schema = new Database(db, { readonly: true });
  const indexes = schema.prepare(`SELECT name, sql FROM sqlite_master WHERE name IN (${SECONDARY.map((n) => `'${n}'`).join(', ')})`).all();
  // The full-text columns of the schema as it is (e-mail left the index in migration 0005).
  const ftsCols = schema.prepare(`SELECT name FROM pragma_table_info('customers_fts')`).pluck().all().join(', ');
  schema.close();
  const script = join(dir, 'floor.sql');
  const before = bulk ? `${indexes.map((i) => `DROP INDEX ${i.name};`).join('\n')}\nDROP TRIGGER customers_fts_ai;` : '';
  const after = bulk
    ? `INSERT INTO customers_fts (rowid, ${ftsCols}) SELECT id, ${ftsCols} FROM customers;
${indexes.map((i) => `${i.sql};`).join('\n')}`
    : '';
  writeFileSync(script, `PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TEMP TABLE t (${COLS});
.mode csv
.separator ;
.import --skip 1 --schema temp '${file}' t
BEGIN IMMEDIATE;
${before}
${INSERT_ROWS}
${SELECT_ROWS};
${after}
COMMIT;
`);
  const r = measure('sqlite3', [db, `.read '${script}'`]);
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
  if (r.code !== 0) throw new Error(`sqlite3 schema load failed: ${r.stderr}`);
  return r;
}

function carnetImport(file, db, env = {}) {
  const r = carnet(['import', file, '--json', '-q'], { env: { CARNET_DB: db, CARNET_IMPORT_TRACE: '1', ...env } });
  if (r.code !== 0) throw new Error(`carnet import exited ${r.code}: ${r.stderr}`);
  const out = JSON.parse(r.stdout);
  const steps = [...r.stderr.matchAll(/^\[import\] (.+?)\s+(\d+) ms wall\s+(\d+) ms cpu\s+rss (\d+) MB/gm)].map((m) => [m[1], Number(m[2]), Number(m[3]), Number(m[4])]);
  return { ...r, out, steps };
}

export async function run({ quick = false } = {}) {
  if (!hasSqlite3()) return [{ title: 'import (skipped: no sqlite3 CLI)', rows: [] }];
  const rows = quick ? 100_000 : 1_000_000;
  const utf8 = await ensure({ rows, encoding: 'utf8' });
  const cp1252 = await ensure({ rows, encoding: 'cp1252' });
  const { dir, cleanup } = tempDir('carnet-bench-import-');
  const load = loadavg()[0].toFixed(1);
  // CARNET_BENCH_IMPORT_RUNS=3: three rounds, each measuring the references and carnet side by side;
  // a figure is the median of its rounds and a ratio the median of the rounds' own ratios (this
  // machine's speed drifts by 10–15 % within minutes: a run is compared with the floor of its round).
  const runs = Math.max(1, Number(process.env.CARNET_BENCH_IMPORT_RUNS ?? 1));
  try {
    const db = (name) => {
      const p = join(dir, `${name}.db`);
      for (const s of ['', '-wal', '-shm']) rmSync(p + s, { force: true });
      return p;
    };
    const rounds = [];
    for (let k = 0; k < runs; k++) {
      const r = { refUtf8: sqlite3Import(utf8, dir), refCp: sqlite3Import(cp1252, dir) };
      // The row-by-row load and the worker thread are asides: measured in the first round only.
      if (k === 0) r.floor = sqlite3Schema(utf8, dir, false);
      r.floorBulk = sqlite3Schema(utf8, dir, true);
      const firstDb = db('first');
      r.first = carnetImport(utf8, firstDb);
      r.again = carnetImport(utf8, firstDb);
      r.cp = carnetImport(cp1252, db('cp1252'));
      if (k === 0) r.threaded = carnetImport(utf8, db('threaded'), { CARNET_IMPORT_THREADS: '1' });
      r.ref = Math.min(r.refUtf8.seconds, r.refCp.seconds);
      rounds.push(r);
    }
    const mid = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    /** One figure over the rounds: medians of its measures, and of its ratios to each round's own references. */
    const over = (key) => {
      const rs = rounds.filter((r) => r[key] !== undefined);
      const pick = (f) => mid(rs.map((r) => f(r[key], r)).filter((v) => v !== null));
      return {
        ...rs[0][key],
        seconds: pick((m) => m.seconds), cpuSeconds: pick((m) => m.cpuSeconds), rssMb: rs.some((r) => r[key].rssMb === null) ? null : Math.max(...rs.map((r) => r[key].rssMb)),
        xRef: pick((m, r) => m.seconds / r.ref), xFloor: pick((m, r) => m.seconds / r.floorBulk.seconds),
      };
    };
    const [refUtf8, refCp, floor, floorBulk, first, again, cp, threaded] = ['refUtf8', 'refCp', 'floor', 'floorBulk', 'first', 'again', 'cp', 'threaded'].map(over);
    // goal: [max × .import, max × floor] of the run, printed beside its figures.
    const line = (what, r, counts, goal = null) => ({
      run: what,
      rows: counts ? counts.read : rows,
      seconds: r.seconds,
      // CPU seconds (user + system) beside wall: on a shared machine the wall time says little.
      'cpu s': r.cpuSeconds,
      'rows/s': rows / r.seconds,
      'peak RSS MB': r.rssMb,
      'x sqlite3 .import': r.xRef,
      'x floor': r.xFloor,
      goal: goal ? `${goal[0] ? `≤ ×${goal[0]} .import, ` : ''}≤ ${goal[1]}× floor, ≤ 250 MB: ${verdict(r, goal)}` : '',
      result: counts ? `+${counts.inserted} ~${counts.updated} =${counts.unchanged} !${counts.rejected}` : '',
    });
    const verdict = (r, [maxRef, maxFloor]) =>
      (maxRef === null || r.xRef <= maxRef) && r.xFloor <= maxFloor && (r.rssMb === null || r.rssMb <= 250) ? 'met' : 'MISSED';
    // The trace of the first round (a median of steps would not add up to a run).
    const stepRows = [rounds[0].first, rounds[0].again, rounds[0].cp].flatMap((r, k) =>
      r.steps.map(([step, ms, cpuMs, rss]) => ({ run: ['first import', 're-import', 'cp1252'][k], step, seconds: ms / 1000, 'cpu s': cpuMs / 1000, 'rss MB': rss })),
    );
    const size = (f) => `${(readFileSync(f).length / 1e6).toFixed(0)} MB`;
    return [
      {
        title: `import of ${rows.toLocaleString('en-US')} customers (${size(utf8)}), ${runs === 1 ? 'one run' : `median of ${runs} rounds`}, ${availableParallelism()} cores, load ${load} at start, ${loadavg()[0].toFixed(1)} at end (goals: first import ≤ ×8 .import and ≤ 2× floor, cp1252 too; re-import ≤ 1.5× floor; peak RSS ≤ 250 MB, aim 200 MB)`,
        rows: [
          line('sqlite3 .import UTF-8 (reference)', refUtf8, null),
          line('sqlite3 .import cp1252 (reference)', refCp, null),
          line('sqlite3 into carnet schema, no validation, row by row', floor, null),
          line('sqlite3 into carnet schema, no validation, bulk (floor)', floorBulk, null),
          line('carnet import UTF-8, first', first, first.out, [8, 2]),
          line('carnet import UTF-8, again (unchanged)', again, again.out, [null, 1.5]),
          line('carnet import cp1252, first', cp, cp.out, [8, 2]),
          line('carnet import UTF-8, first, 1 worker thread', threaded, threaded.out),
        ],
      },
      { title: 'where the time goes (CARNET_IMPORT_TRACE)', rows: stepRows },
      { title: 'CPU per row of the read path (first 100,000 rows, one thread)', rows: costs(utf8, Math.min(rows, 100_000)) },
    ];
  } finally {
    cleanup();
  }
}
