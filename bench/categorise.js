// `carnet categorise` on 1,000,000 customers with sales and 20 rules: goal < 30 s, in one transaction,
// incremental (a second run writes nothing; a run after 1 % of changes writes only those).
// The database is generated directly with better-sqlite3 into bench/out/ (kept between runs:
// delete bench/out/categorise-*.db or pass --fresh to rebuild it); every measured run works on a copy.
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { loadavg as osLoad } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { BIN, carnet, outDir, rng } from './lib.js';

export const NOW = '2026-11-23T10:00:00.000Z';

export const RULES = [
  ['Lyon 69', 'department = "69"'],
  ['Île-de-France', 'department in ("75", "77", "78", "91", "92", "93", "94", "95")'],
  ['Gros clients', 'revenue >= 5000'],
  ['Clients moyens', 'revenue >= 1000 and revenue < 5000'],
  ['Fidèles', 'orders >= 5'],
  ['Impayés', 'unpaid_cents > 0'],
  ['Endormis', 'last_purchase_at < -2y'],
  ['Achat récent', 'last_purchase_at >= -6m'],
  ['Clients Marseille', 'status = client and department = "13"'],
  ['Ville de Lyon', 'city = "Lyon"'],
  ['Nom en mar', 'name ~ "mar"'],
  ['Gmail', 'email ~ "@gmail.com"'],
  ['Entreprises', 'kind = company'],
  ['BTP', 'sector = "BTP"'],
  ['Nouveaux fichiers', 'created_at >= -1y'],
  ['Sans nouvelles', 'last_contact_at < -3y or last_contact_at is empty'],
  ['Champions du Rhône', 'category "rfm:champions" and department = "69"'],
  ['Lyonnais solides', 'category "Lyon 69" and revenue >= 1000'],
  ['Anciens clients', 'status = former_client'],
  ['Paris intra-muros', 'postal_code starts "75"'],
];

const FIRST = ['Élodie', 'Jean', 'Marie', 'Pierre', 'Sophie', 'Luc', 'Camille', 'Hugo', 'Chloé', 'Marc', 'Léa', 'Thomas', 'Zoé', 'Loïc', 'Anaïs', 'Martin'];
const LAST = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'Marchand'];
const DEPTS = [['75', 'Paris'], ['69', 'Lyon'], ['13', 'Marseille'], ['31', 'Toulouse'], ['33', 'Bordeaux'], ['44', 'Nantes'], ['59', 'Lille'], ['67', 'Strasbourg'], ['92', 'Nanterre'], ['93', 'Montreuil'], ['06', 'Nice'], ['34', 'Montpellier'], ['35', 'Rennes'], ['38', 'Grenoble'], ['2A', 'Ajaccio'], ['974', 'Saint-Denis']];
const DOMAINS = ['gmail.com', 'orange.fr', 'free.fr', 'sfr.fr', 'laposte.net', 'outlook.fr'];
const SECTORS = ['BTP', 'Commerce', 'Conseil', 'Santé', 'Restauration'];

function day(r, fromYear, toDay) {
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.parse(toDay);
  return new Date(start + Math.floor(r() * (end - start))).toISOString().slice(0, 10);
}

/** Writes n customers, ~2 sales per customer on average and some interactions, straight into a migrated file. */
function generate(path, n) {
  const t0 = Date.now();
  const init = carnet(['init'], { env: { CARNET_DB: path, CARNET_NOW: NOW } });
  if (init.code !== 0) throw new Error(`carnet init failed: ${init.stderr}`);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'customers_fts_%'`).all();
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  const r = rng(42);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const cust = db.prepare(`INSERT INTO customers (id, uid, kind, first_name, last_name, company_name, sector, email, email_norm, postal_code, city, country,
    status, created_at, updated_at, last_contact_at) VALUES (@id, @uid, @kind, @first, @last, @company, @sector, @email, @email, @postal, @city, 'FR', 'prospect', @created, @created, @contact)`);
  const sale = db.prepare(`INSERT INTO sales (customer_id, kind, number, issued_on, due_on, amount_cents, currency, status, created_at, updated_at)
    VALUES (@c, @kind, NULL, @issued, @due, @amount, 'EUR', @status, @at, @at)`);
  const inter = db.prepare(`INSERT INTO interactions (customer_id, kind, direction, occurred_at, created_at) VALUES (?, 'call', ?, ?, ?)`);
  db.transaction(() => {
    for (let id = 1; id <= n; id++) {
      const [dept, city] = pick(DEPTS);
      const company = r() < 0.2;
      const first = pick(FIRST);
      const last = pick(LAST);
      const created = `${day(r, 2015, '2026-11-20')}T09:00:00.000Z`;
      cust.run({
        id, uid: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`, kind: company ? 'company' : 'person',
        first: company ? null : first, last: company ? null : last, company: company ? `${last} ${pick(SECTORS)} SARL` : null,
        sector: company ? pick(SECTORS) : null, email: `${first}.${last}.${id}@${pick(DOMAINS)}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase(),
        postal: dept.length === 3 ? `${dept}00` : dept === '2A' ? '20000' : `${dept}${String(Math.floor(r() * 999)).padStart(3, '0')}`,
        city, created, contact: r() < 0.5 ? `${day(r, 2018, '2026-11-20')}T10:00:00.000Z` : null,
      });
      const sales = r() < 0.4 ? 0 : 1 + Math.floor(r() * r() * 8);
      for (let k = 0; k < sales; k++) {
        const issued = day(r, 2019, '2026-11-22');
        const x = r();
        const [kind, status] = x < 0.25 ? ['quote', pick(['sent', 'accepted', 'refused'])] : x < 0.35 ? ['order', 'accepted'] : ['invoice', r() < 0.9 ? 'paid' : r() < 0.8 ? 'unpaid' : 'cancelled'];
        sale.run({ c: id, kind, issued, due: kind === 'invoice' && r() < 0.7 ? issued : null, amount: 5000 + Math.floor(r() * r() * 1_500_000), status, at: `${issued}T12:00:00.000Z` });
      }
      if (r() < 0.2) inter.run(id, r() < 0.5 ? 'in' : 'out', `${day(r, 2020, '2026-11-20')}T15:00:00.000Z`, NOW);
    }
  })();
  db.exec(`INSERT INTO customers_fts (customers_fts) VALUES ('rebuild')`);
  for (const t of triggers) db.exec(t.sql);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  for (const [name, rule] of RULES) {
    const res = carnet(['category', 'add', name, '--rule', rule], { env: { CARNET_DB: path, CARNET_NOW: NOW } });
    if (res.code !== 0) throw new Error(`category add ${name}: ${res.stderr}`);
  }
  return (Date.now() - t0) / 1000;
}

/** About 1 % of customers change: new invoices, invoices paid, moves to another département. */
function churn(path, n) {
  const db = new Database(path);
  const r = rng(7);
  db.transaction(() => {
    const pay = db.prepare(`UPDATE sales SET status = 'paid' WHERE id = (SELECT id FROM sales WHERE customer_id = ? AND status = 'unpaid' LIMIT 1)`);
    const add = db.prepare(`INSERT INTO sales (customer_id, kind, issued_on, amount_cents, status, created_at, updated_at) VALUES (?, 'invoice', '2026-11-22', ?, 'paid', ?, ?)`);
    const move = db.prepare(`UPDATE customers SET postal_code = '69003', city = 'Lyon' WHERE id = ?`);
    for (let i = 0; i < n / 100; i++) {
      const id = 1 + Math.floor(r() * n);
      const x = r();
      if (x < 0.4) add.run(id, 100_000 + Math.floor(r() * 600_000), NOW, NOW);
      else if (x < 0.7) pay.run(id);
      else move.run(id);
    }
  })();
  db.close();
}

/**
 * Runs carnet once under GNU time: wall seconds, CPU seconds (user + system: what the run costs,
 * whatever else the machine is doing — this 2-core box is shared) and peak RSS.
 */
function timed(label, path, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '__T=%U %S %M', process.execPath, BIN, ...args], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...process.env, CI: 'true', CARNET_DB: path, CARNET_NOW: NOW },
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${label}: exit ${r.status}: ${r.stderr}`);
  const m = /__T=([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr ?? '');
  let result = '';
  try {
    const j = JSON.parse(r.stdout);
    if (j.statuses) result = `${j.statuses.changed} statuses, +${j.entered} −${j.left} memberships`;
    else if (j.followups) result = `${j.followups.length} to follow up`;
    else if (j.customers) result = `${j.customers.counted} customers counted`;
  } catch {
    result = '';
  }
  return {
    run: label,
    'wall s': seconds,
    'cpu s': m ? Number(m[1]) + Number(m[2]) : null,
    'peak RSS MB': m ? Number(m[3]) / 1024 : null,
    result,
    goal: label.startsWith('categorise') ? '< 30 s' : '',
    load: loadAverage(),
  };
}

function loadAverage() {
  return osLoad()[0].toFixed(1);
}

/** The generated database of n customers with sales and the 20 rules (bench/out/, built once); measured runs work on copies. */
export function categoriseDb(n) {
  const base = join(outDir(), `categorise-${n}.base.db`);
  if (process.argv.includes('--fresh') || !existsSync(base)) {
    rmSync(base, { force: true });
    console.error(`[bench] generating ${n.toLocaleString('en-US')} customers into ${base}…`);
    console.error(`[bench] generated in ${generate(base, n).toFixed(1)} s`);
  }
  return base;
}

export async function run({ quick } = {}) {
  const n = quick ? 100_000 : 1_000_000;
  const base = categoriseDb(n);
  const work = join(outDir(), `categorise-${n}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(work + suffix, { force: true });
  copyFileSync(base, work);
  const db = new Database(work, { readonly: true });
  const sales = db.prepare('SELECT count(*) AS n FROM sales').get().n;
  db.close();
  const rows = [
    timed('categorise, first run', work, ['categorise', '--json']),
    timed('categorise, nothing changed', work, ['categorise', '--json']),
  ];
  churn(work, n);
  rows.push(timed('categorise after 1 % changed', work, ['categorise', '--json']));
  rows.push(timed('categorise --dry-run', work, ['categorise', '--dry-run', '--limit', '5', '--json']));
  rows.push(timed('followups', work, ['followups', '--json']));
  rows.push(timed('stats', work, ['stats', '--json']));
  const mb = (statSync(work).size / 1e6).toFixed(0);
  return [{ title: `categorise: ${n.toLocaleString('en-US')} customers, ${sales.toLocaleString('en-US')} sales, ${RULES.length} rules (${mb} MB file)`, rows }];
}
