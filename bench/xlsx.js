// Workbooks: import of a 200,000-row .xlsx beside the same rows as CSV (goal: ≤ 2x the CSV's
// time, peak RSS < 400 MB); a 1,000,000-row sheet imports without running out of memory;
// `export --format xlsx` and `--format ods` of 1,000,000 customers stay under 400 MB RSS, and that
// .ods imports back (both streamed by carnet's own writer and reader).
// The 200,000-row .xlsx is written by exceljs with shared strings (as Excel and LibreOffice write
// them), dates as date cells, from the same seeded rows as the CSV (bench/gen/customers-csv.js).
// The 1,000,000-row one is written with inline strings by carnet's own streaming writer
// (exceljs's writer needs several GB for it).
//   npm run bench -- xlsx            (--quick: 50,000 and 200,000 rows instead)
import { existsSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { ensure, HEADER, row } from './gen/customers-csv.js';
import { carnet, outDir, rng, tempDir } from './lib.js';

async function inlineXlsx(rows, file) {
  const { createWriteStream, renameSync } = await import('node:fs');
  const { streamingXlsxWriter } = await import('../dist/io/xlsx-out.js');
  const tmp = `${file}.tmp`;
  const ws = createWriteStream(tmp);
  const sink = { write: (chunk) => (ws.write(chunk) ? undefined : new Promise((res) => ws.once('drain', res))) };
  const dateAt = HEADER.indexOf('Date de création');
  const columns = HEADER.map((h, i) => ({ header: h, type: i === dateAt ? 'date' : 'text', width: 14 }));
  const w = streamingXlsxWriter('Clients', columns, sink);
  const r = rng(42);
  for (let i = 1; i <= rows; i++) {
    const cells = row(i, r);
    const [d, m, y] = cells[dateAt].split('/').map(Number);
    const wait = w.add(cells.map((v, k) => (k === dateAt ? new Date(Date.UTC(y, m - 1, d)) : v === '' ? null : v)));
    if (wait) await wait;
  }
  await w.close();
  await new Promise((res, rej) => ws.end((err) => (err ? rej(err) : res())));
  renameSync(tmp, file);
  return file;
}

export async function ensureXlsx(rows) {
  const file = join(outDir(), `customers-${rows}.xlsx`);
  if (existsSync(file) && statSync(file).size > 0) return file;
  if (rows > 200_000) return inlineXlsx(rows, file);
  const tmp = `${file}.tmp`;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('Clients');
  ws.columns = HEADER.map((h, i) => ({ key: String(i), width: 14, style: h === 'Date de création' ? { numFmt: 'dd/mm/yyyy' } : {} }));
  ws.addRow(HEADER).commit();
  const r = rng(42);
  const dateAt = HEADER.indexOf('Date de création');
  for (let i = 1; i <= rows; i++) {
    const cells = row(i, r);
    const [d, m, y] = cells[dateAt].split('/').map(Number);
    ws.addRow(cells.map((v, k) => (k === dateAt ? new Date(Date.UTC(y, m - 1, d)) : v === '' ? null : v))).commit();
  }
  ws.commit();
  await wb.commit();
  const { renameSync } = await import('node:fs');
  renameSync(tmp, file);
  return file;
}

function importOnce(file, db) {
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
  const r = carnet(['import', file, '--json', '-q'], { env: { CARNET_DB: db } });
  if (r.code !== 0) throw new Error(`carnet import ${file} exited ${r.code}: ${r.stderr}`);
  return { ...r, out: JSON.parse(r.stdout) };
}

export async function run({ quick = false } = {}) {
  const small = quick ? 50_000 : 200_000;
  const big = quick ? 200_000 : 1_000_000;
  const csv = await ensure({ rows: small, encoding: 'utf8' });
  const xlsx = await ensureXlsx(small);
  const bigXlsx = await ensureXlsx(big);
  const { dir, cleanup } = tempDir('carnet-bench-xlsx-');
  const load = () => loadavg()[0].toFixed(1);
  const mb = (f) => `${(statSync(f).size / 1e6).toFixed(0)} MB`;
  try {
    const rows = [];
    const line = (what, r, ref, l) => ({
      run: what,
      rows: r.out?.read ?? r.rows,
      seconds: r.seconds,
      'peak RSS MB': r.rssMb,
      'x CSV': ref ? r.seconds / ref.seconds : '',
      load: l,
    });
    // Interleaved, twice: a busy machine slows both alike.
    const runs = [];
    for (let k = 0; k < 2; k++) {
      let l = load();
      const c = importOnce(csv, join(dir, 'csv.db'));
      runs.push(line(`CSV ${small.toLocaleString('en-US')} rows (${mb(csv)}), run ${k + 1}`, c, null, l));
      l = load();
      const x = importOnce(xlsx, join(dir, 'xlsx.db'));
      runs.push(line(`.xlsx ${small.toLocaleString('en-US')} rows (${mb(xlsx)}), run ${k + 1}`, x, c, l));
    }
    rows.push(...runs);
    let l = load();
    const bigDb = join(dir, 'big.db');
    const b = importOnce(bigXlsx, bigDb);
    rows.push(line(`.xlsx ${big.toLocaleString('en-US')} rows (${mb(bigXlsx)})`, b, null, l));
    l = load();
    const out = join(dir, 'export.xlsx');
    const e = carnet(['export', '--format', 'xlsx', '--out', out, '-q'], { env: { CARNET_DB: bigDb } });
    if (e.code !== 0) throw new Error(`carnet export --format xlsx exited ${e.code}: ${e.stderr}`);
    rows.push({ ...line(`export --format xlsx, ${big.toLocaleString('en-US')} customers (${mb(out)})`, { ...e, rows: big }, null, l) });
    // The same customers as .ods, written and read back by carnet's streaming .ods writer and reader.
    l = load();
    const ods = join(dir, 'export.ods');
    const o = carnet(['export', '--format', 'ods', '--out', ods, '-q'], { env: { CARNET_DB: bigDb } });
    if (o.code !== 0) throw new Error(`carnet export --format ods exited ${o.code}: ${o.stderr}`);
    rows.push({ ...line(`export --format ods, ${big.toLocaleString('en-US')} customers (${mb(ods)})`, { ...o, rows: big }, null, l) });
    // Both exports imported into fresh files: the same customers, the same columns, two formats.
    l = load();
    const backX = importOnce(out, join(dir, 'back-xlsx.db'));
    rows.push(line(`that .xlsx export imported (${big.toLocaleString('en-US')} rows)`, backX, null, l));
    l = load();
    rows.push(line(`that .ods export imported (${big.toLocaleString('en-US')} rows)`, importOnce(ods, join(dir, 'back-ods.db')), backX, l));
    return [{ title: `workbooks, ${availableParallelism()} cores (goals: .xlsx ≤ 2x CSV and < 400 MB; 1M-row sheets (.xlsx, .ods) import; 1M-customer exports < 400 MB; the .ods import's x is to the .xlsx export's import)`, rows }];
  } finally {
    cleanup();
  }
}
