// Dev harness (issue 17, measurement only): how long the import's read phase would take on this
// machine if N worker threads each parsed, built and staged part of the file into a scratch
// SQLite file of their own, and the main connection then attached and copied the parts into its
// TEMP stage — against the same work on the main thread alone (what `carnet import` does on 2 cores).
// Customers only: categories and consents are built but not staged, in both variants alike.
//   node bench/dev/parallel-stage.js bench/out/customers-1000000-utf8.csv [threads=2] [rounds=2]
// Measured 7 Dec, 22:12 UTC, 2 cores, load 0.1 → 1.1, 1,000,000 rows, 3 rounds: inline 14.38 / 14.03 /
// 18.33 s wall (CPU 14.7 / 14.2 / 18.5 s); 2 threads 9.42 / 12.92 / 12.21 s wall, of which the copy
// into the TEMP stage 1.61 / 2.17 / 2.14 s (CPU of all threads 17.1 / 23.2 / 21.3 s). So about 5 s
// less wall time for 3–5 s more CPU: a lever for a first import's ~36 s, not enough alone for 2×.
// Again at 22:48 UTC (load 2.5 at start), the inline side now through ImportRepo.stage: inline 21.75 /
// 21.34 / 12.85 s wall; 2 threads 13.87 / 11.69 / 10.78 s (copy 2.60 / 2.47 / 1.78 s; CPU 24.6 / 20.3 / 19.1 s).
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { parseText } from '../../dist/io/csv-in/fast-records.js';
import { CustomerRowBuilder } from '../../dist/core/import/row.js';
import { buildMapping } from '../../dist/core/import/mapping.js';
import { packCustomer, STAGE_COLUMNS } from '../../dist/core/import/stage-layout.js';
import { StageRowWriter } from '../../dist/db/repositories/import-stage-rows.js';
import { ImportRepo } from '../../dist/db/repositories/import.js';
import { CHUNK_BYTES } from '../../dist/io/read/csv.js';

// A worker's scratch stage: the TEMP stage's columns, in a table of its own file.
const DDL = `CREATE TABLE IF NOT EXISTS import_stage (seq INTEGER PRIMARY KEY, ${STAGE_COLUMNS.slice(1).join(', ')})`;

/** Parses, builds and stages `text` (whole lines) through `stage(rows)`, one call per chunk of the import's size; seqs from `seq0`. */
function stageText(stage, text, header, seq0) {
  const b = new CustomerRowBuilder(buildMapping(header).plan, { key: 'auto', source: null, categories: [], defaultCountry: null });
  let seq = seq0;
  let n = 0;
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\n', Math.min(text.length - 1, at + CHUNK_BYTES));
    end = end === -1 ? text.length : end + 1;
    const { records, lines } = parseText(text.slice(at, end), { delimiter: ';', firstLine: 2, eol: 10, skipHeader: false });
    const rows = [];
    records.forEach((r, i) => {
      const x = b.build(r);
      if (x.ok) rows.push(packCustomer(seq++, lines[i], x.row));
    });
    stage(rows);
    n += rows.length;
    at = end;
  }
  return n;
}

if (!isMainThread) {
  const { text, header, file, seq0 } = workerData;
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -8192');
  db.exec(DDL);
  const writer = new StageRowWriter('import_stage', STAGE_COLUMNS, (sql) => db.prepare(sql));
  const n = stageText(db.transaction((rows) => writer.write(rows)), text, header, seq0);
  db.close();
  parentPort.postMessage(n);
} else {
  const [path, threadsArg = '2', roundsArg = '2'] = process.argv.slice(2);
  const threads = Number(threadsArg);
  const all = readFileSync(path, 'utf8');
  const nl = all.indexOf('\n');
  const header = all.slice(0, nl).replace(/\r$/, '').split(';');
  const body = all.slice(nl + 1);
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  // The main connection's stage is the import's own (ImportRepo: TEMP tables, its cache size).
  const mainDb = () => {
    const db = new Database('');
    const repo = new ImportRepo(db);
    repo.createStage('customers');
    return { db, repo };
  };
  const inline = () => {
    const { db, repo } = mainDb();
    const t = performance.now();
    const n = stageText((rows) => repo.stage(rows, [], []), body, header, 0);
    const wall = (performance.now() - t) / 1000;
    db.close();
    return { n, wall };
  };
  const parallel = async () => {
    const { db } = mainDb();
    const t = performance.now();
    // Whole lines, one part a thread, in file order.
    const parts = [];
    for (let k = 0, at = 0; k < threads; k++) {
      let end = k === threads - 1 ? body.length : body.indexOf('\n', Math.floor((body.length * (k + 1)) / threads)) + 1;
      if (end === 0) end = body.length;
      parts.push(body.slice(at, end));
      at = end;
    }
    const files = parts.map((_, k) => join(tmpdir(), `carnet-parallel-stage-${process.pid}-${k}.db`));
    const counts = await Promise.all(parts.map((text, k) => new Promise((resolve, reject) => {
      const w = new Worker(new URL(import.meta.url), { workerData: { text, header, file: files[k], seq0: k * 2 ** 40 } });
      w.once('message', resolve);
      w.once('error', reject);
    })));
    const staged = performance.now();
    files.forEach((f, k) => db.exec(`ATTACH '${f}' AS w${k}`));
    const cols = STAGE_COLUMNS.join(', ');
    db.transaction(() => files.forEach((_, k) => db.exec(`INSERT INTO temp.import_stage (${cols}) SELECT ${cols} FROM w${k}.import_stage ORDER BY seq`)))();
    const wall = (performance.now() - t) / 1000;
    const copy = (performance.now() - staged) / 1000;
    const n = db.prepare('SELECT count(*) FROM temp.import_stage').pluck().get();
    db.close();
    for (const f of files) rmSync(f, { force: true });
    return { n, wall, copy, counts };
  };
  for (let r = 0; r < Number(roundsArg); r++) {
    const c0 = cpu();
    const a = inline();
    const c1 = cpu();
    const p = await parallel();
    const c2 = cpu();
    // Peak RSS is the harness's (it holds the whole file as text): not comparable with an import's.
    console.log(`round ${r + 1}: inline ${a.wall.toFixed(2)} s wall (${a.n} rows, CPU ${(c1 - c0).toFixed(2)} s) · ${threads} threads ${p.wall.toFixed(2)} s wall, of which the copy ${p.copy.toFixed(2)} s (${p.n} rows; CPU of all threads ${(c2 - c1).toFixed(2)} s)`);
  }
}
