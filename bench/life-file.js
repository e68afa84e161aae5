// A customer file shaped by a working life, built through carnet's own commands (never written
// into tables directly): import of a customer CSV where 30 % of the people are written twice
// (another Réf, another phone), `dedupe --auto`, `categorise`, then an import of sales naming
// customers by Réf — the merged duplicates' Réfs included. Used by bench/life.js.
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { carnet, outDir, rng } from './lib.js';
import { HEADER, row } from './gen/customers-csv.js';

export const NOW = '2026-11-23T10:00:00.000Z';

const quote = (v) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function writeLines(file, lines) {
  mkdirSync(dirname(file), { recursive: true });
  const ws = createWriteStream(file);
  let chunk = '';
  for (const line of lines) {
    chunk += line + '\r\n';
    if (chunk.length > 1 << 20) {
      if (!ws.write(chunk)) await new Promise((res) => ws.once('drain', res));
      chunk = '';
    }
  }
  ws.write(chunk);
  await new Promise((res, rej) => ws.end((err) => (err ? rej(err) : res())));
}

/** Three people in ten are written twice. */
const hasTwin = (i) => i % 10 < 3;

/** n people; 30 % of them also appear as a second row (Réf D…, another phone, same name and e-mail). */
export function* customerLines(n, seed = 11) {
  const r = rng(seed);
  yield HEADER.join(';');
  for (let i = 1; i <= n; i++) {
    const cells = row(i, r);
    yield cells.map(quote).join(';');
    if (hasTwin(i)) {
      const dup = [...cells];
      dup[0] = `D${String(i).padStart(7, '0')}`;
      dup[7] = `07 ${String(10 + (i % 89)).padStart(2, '0')} 00 ${String(i % 100).padStart(2, '0')} 11`;
      yield dup.map(quote).join(';');
    }
  }
}

/** About one customer in seven bought: one to three documents each; half of those written twice name the duplicate's Réf. */
export function* salesLines(n, seed = 12) {
  const r = rng(seed);
  yield ['Client', 'Type', 'Numéro', 'Date', 'Montant TTC', 'Statut'].join(';');
  let number = 0;
  for (let i = 1; i <= n; i++) {
    if (r() >= 0.14) continue;
    const docs = 1 + Math.floor(r() * 3);
    for (let d = 0; d < docs; d++) {
      const ref = hasTwin(i) && r() < 0.5 ? `D${String(i).padStart(7, '0')}` : `C${String(i).padStart(7, '0')}`;
      const year = 2016 + Math.floor(r() * 10);
      const kind = r() < 0.7 ? 'Facture' : 'Devis';
      yield [ref, kind, `${kind === 'Facture' ? 'F' : 'D'}-${++number}`, `${String(1 + Math.floor(r() * 28)).padStart(2, '0')}/${String(1 + Math.floor(r() * 12)).padStart(2, '0')}/${year}`, `${100 + Math.floor(r() * 900)},00`, kind === 'Facture' ? 'payée' : 'accepté'].join(';');
    }
  }
}

/** `n` sales rows for customers C0000001…C<customers>, every one a distinct invoice. */
export function* bulkSalesLines(rows, customers, seed = 13) {
  const r = rng(seed);
  yield ['Client', 'Type', 'Numéro', 'Date', 'Montant TTC', 'Statut'].join(';');
  for (let i = 1; i <= rows; i++) {
    const c = 1 + Math.floor(r() * customers);
    yield [`C${String(c).padStart(7, '0')}`, 'Facture', `B-${i}`, `${String(1 + (i % 28)).padStart(2, '0')}/${String(1 + (i % 12)).padStart(2, '0')}/${2016 + (i % 10)}`, `${100 + (i % 900)},00`, 'payée'].join(';');
  }
}

export async function writeCsv(file, lines) {
  if (!existsSync(file) || statSync(file).size === 0) await writeLines(file, lines);
  return file;
}

function step(env, args) {
  const m = carnet(args, { env });
  if (m.code !== 0 && m.code !== 3) throw new Error(`carnet ${args.join(' ')} exited ${m.code}: ${m.stderr.slice(0, 2000)}`);
  return m;
}

/**
 * The database of n people after import, dedupe --auto, categorise and a sales import
 * (kept in bench/out between runs; delete it after a schema change). Returns its path and
 * the seconds each step took.
 */
export async function lifeFile(n) {
  const dir = outDir();
  const db = join(dir, `life-${n}.db`);
  const steps = [];
  if (existsSync(db)) return { db, steps };
  const tmp = `${db}.building`;
  for (const s of ['', '-wal', '-shm']) rmSync(tmp + s, { force: true });
  const customers = await writeCsv(join(dir, `life-${n}-customers.csv`), customerLines(n));
  const sales = await writeCsv(join(dir, `life-${n}-sales.csv`), salesLines(n));
  const env = { CARNET_DB: tmp, CARNET_NOW: '2025-12-31T10:00:00.000Z' };
  for (const [title, args] of [
    ['import customers', ['import', customers, '--json']],
    ['dedupe --auto', ['dedupe', '--auto', '--yes', '--json']],
    ['import sales', ['import', sales, '--what', 'sales', '--json']],
    ['categorise', ['categorise', '--json']],
  ]) {
    const m = step(env, args);
    steps.push({ title, seconds: m.seconds, out: m.stdout.slice(0, 300) });
  }
  const { renameSync } = await import('node:fs');
  step(env, ['doctor']);
  for (const s of ['-wal', '-shm']) rmSync(tmp + s, { force: true });
  renameSync(tmp, db);
  return { db, steps };
}
