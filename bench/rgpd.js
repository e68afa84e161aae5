// carnet rgpd on a large file: the retention purge (plan and apply, one transaction, then the
// byte-level scrub), forget (erasure + FTS optimize + WAL truncate + byte check), access and register.
// The file is generated with better-sqlite3 into bench/out/rgpd-<n>.db (kept between runs); every
// measured run works on a copy. Goal: a nightly purge of 200,000 customers in well under a minute.
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { carnet, outDir, rng } from './lib.js';

const NOW = '2026-11-23T10:00:00.000Z';

const LAST = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent'];
const FIRST = ['Élodie', 'Jean', 'Marie', 'Pierre', 'Sophie', 'Luc', 'Camille', 'Hugo'];

function day(r, fromYear) {
  const start = Date.UTC(fromYear, 0, 1);
  return new Date(start + Math.floor(r() * (Date.parse(NOW) - start))).toISOString();
}

/** n customers created 2012–2026; 40 % with sales (half of them invoices), most with interactions, some consents. */
async function generate(path, n) {
  const { Store } = await import('../dist/db/store.js');
  Store.open(path).close(); // migrated by the real runner
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const r = rng(7);
  const cust = db.prepare(`INSERT INTO customers (uid, first_name, last_name, email, email_norm, phone, phone_e164, city, postal_code, notes, extra, status, created_at, updated_at, last_contact_at)
    VALUES (@uid, @first, @last, @email, @email, @phone, @e164, 'Lyon', '69003', @notes, '{"Parrain":"x"}', 'prospect', @created, @created, @contact)`);
  const inter = db.prepare(`INSERT INTO interactions (customer_id, kind, direction, occurred_at, summary, created_at) VALUES (?, 'call', ?, ?, 'appel', ?)`);
  const sale = db.prepare(`INSERT INTO sales (customer_id, kind, number, issued_on, amount_cents, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const consent = db.prepare(`INSERT INTO consents (customer_id, channel, state, source, recorded_at) VALUES (?, 'email', 'granted', 'salon', ?)`);
  let invoice = 0;
  db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const created = day(r, 2012);
      const contact = r() < 0.7 ? day(r, Number(created.slice(0, 4))) : null;
      const digits = String(600000000 + i).padStart(9, '0');
      const id = Number(cust.run({
        uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        first: FIRST[i % FIRST.length], last: `${LAST[i % LAST.length]}${i}`, email: `client${i}@exemple.fr`,
        phone: `0${digits.slice(0, 1)} ${digits.slice(1, 3)} ${digits.slice(3, 5)} ${digits.slice(5, 7)} ${digits.slice(7, 9)}`, e164: `+33${digits}`,
        notes: `note ${i}`, created, contact,
      }).lastInsertRowid);
      if (contact) inter.run(id, 'in', contact, contact);
      if (r() < 0.5) inter.run(id, 'out', day(r, 2015), created);
      if (r() < 0.4) {
        const k = r() < 0.5 ? 'invoice' : 'order';
        const on = day(r, 2013).slice(0, 10);
        sale.run(id, k, k === 'invoice' ? `F-${++invoice}` : null, on, 10000 + Math.floor(r() * 90000), 'paid', created, created);
      }
      if (r() < 0.3) consent.run(id, created);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

export async function run({ quick }) {
  const sizes = quick ? [20_000] : [20_000, 200_000];
  const rows = [];
  for (const n of sizes) {
    const base = join(outDir(), `rgpd-${n}.db`);
    if (!existsSync(base)) await generate(base, n);
    const work = join(outDir(), `rgpd-${n}-work.db`);
    const fresh = () => {
      for (const s of ['', '-wal', '-shm']) rmSync(work + s, { force: true });
      copyFileSync(base, work);
    };
    const env = { CARNET_DB: work, CARNET_NOW: NOW };
    const step = (title, args) => {
      const m = carnet(args, { env });
      if (m.code !== 0) throw new Error(`${args.join(' ')} exited ${m.code}: ${m.stderr}`);
      let out = {};
      try {
        out = JSON.parse(m.stdout);
      } catch {
        // not JSON (Markdown report)
      }
      rows.push({ customers: n, step: title, seconds: m.seconds, 'peak MB': m.rssMb, result: out.counts ? `erase ${out.counts.erased}, archive ${out.counts.archived}` : out.scrub ? `traces ${out.scrub.fileTraces}, vacuum ${out.scrub.vacuumed}` : '', 'file MB': statSync(work).size / 1e6 });
    };
    fresh();
    step('purge --dry-run --json (plan)', ['rgpd', 'purge', '--dry-run', '--json']);
    step('purge --yes --json (apply + scrub)', ['rgpd', 'purge', '--yes', '--json']);
    const db = new Database(work, { readonly: true });
    const [one, two] = db.prepare('SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id DESC LIMIT 2').all().map((x) => x.email);
    db.close();
    step('forget one (erase + scrub + byte check)', ['rgpd', 'forget', one, '--yes', '--json']);
    step('access --json', ['rgpd', 'access', two, '--json']);
    step('register (Markdown)', ['rgpd', 'register']);
  }
  return [{ title: 'rgpd: retention purge, erasure and reports on a large file', rows }];
}
