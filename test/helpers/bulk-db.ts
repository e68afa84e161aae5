import Database from 'better-sqlite3';
import { openDatabase } from '../../src/db/open.js';
import { isPgUrl } from '../../src/db/pg/connect.js';
import { openSandboxDb } from './e2e-db.js';
import { rng } from '../../bench/rng.js';

// Seeded (the generator bench/ uses), so a failing crash test can be replayed.
export { rng };

const FIRST = ['Élodie', 'Jean', 'Marie', 'Pierre', 'Sophie', 'Luc', 'Camille', 'Hugo', 'Chloé', 'Marc', 'Léa', 'Zoé'];
const LAST = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Lefèvre'];
const PLACES = [['75011', 'Paris'], ['69003', 'Lyon'], ['13001', 'Marseille'], ['31000', 'Toulouse'], ['44000', 'Nantes']] as const;

function day(r: () => number, fromYear: number, to: string): string {
  const start = Date.UTC(fromYear, 0, 1);
  return new Date(start + Math.floor(r() * (Date.parse(to) - start))).toISOString();
}

/**
 * n customers written straight into a migrated file (fast: no carnet add), with
 * sales, interactions and consents spread over 2012–now, so that categorise,
 * purge and dedupe all have work to do. About 1 in 8 people is written twice.
 */
export function buildBulkDb(path: string, n: number, now = '2026-11-23T10:00:00.000Z', seed = 7): void {
  openDatabase(path).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const cust = db.prepare(`INSERT INTO customers (uid, kind, first_name, last_name, email, email_norm, phone, phone_e164, postal_code, city, country,
      status, created_at, updated_at, last_contact_at)
    VALUES (@uid, 'person', @first, @last, @email, @email, @phone, @e164, @postal, @city, 'FR', 'prospect', @created, @created, @contact)`);
  const sale = db.prepare(`INSERT INTO sales (customer_id, kind, issued_on, due_on, amount_cents, status, created_at, updated_at)
    VALUES (@c, @kind, @issued, @due, @amount, @status, @at, @at)`);
  const inter = db.prepare(`INSERT INTO interactions (customer_id, kind, direction, occurred_at, created_at) VALUES (?, 'call', ?, ?, ?)`);
  const consent = db.prepare(`INSERT INTO consents (customer_id, channel, state, source, recorded_at) VALUES (?, 'email', ?, 'form', ?)`);
  db.transaction(() => {
    let twin: Record<string, string> | null = null;
    for (let i = 1; i <= n; i++) {
      const [postal, city] = pick(PLACES);
      const created = day(r, 2012, now);
      const digits = String(600000000 + Math.floor(r() * 99999999));
      let row: Record<string, string | null> = {
        uid: `bulk-${seed}-${i}`,
        first: pick(FIRST),
        last: `${pick(LAST)}${Math.floor(r() * 2000)}`,
        email: `p${seed}x${i}@example.fr`,
        phone: `0${digits}`,
        e164: `+33${digits}`,
        postal,
        city,
        created,
        contact: r() < 0.6 ? day(r, 2012, now) : null,
      };
      if (twin && r() < 0.5) {
        row = { ...twin, uid: `bulk-${seed}-${i}`, first: twin.first ?? null, email: twin.email ?? null, created };
        twin = null;
      } else if (r() < 0.12) {
        twin = row as Record<string, string>;
      }
      const id = Number(cust.run(row).lastInsertRowid);
      const sales = r() < 0.5 ? 1 + Math.floor(r() * 4) : 0;
      for (let k = 0; k < sales; k++) {
        const issued = day(r, 2012, now).slice(0, 10);
        const kind = pick(['quote', 'invoice', 'invoice', 'order'] as const);
        const status = kind === 'quote' ? pick(['sent', 'accepted', 'refused'] as const) : pick(['paid', 'paid', 'unpaid'] as const);
        sale.run({ c: id, kind, issued, due: issued, amount: 1000 + Math.floor(r() * 500000), status, at: created });
      }
      if (r() < 0.4) inter.run(id, r() < 0.5 ? 'in' : 'out', day(r, 2012, now), created);
      if (r() < 0.3) consent.run(id, r() < 0.8 ? 'granted' : 'opposed', created);
    }
  })();
  db.close();
}

/**
 * A digest of every table's rows, to compare whole database states. Tables in
 * countOnly are compared by row count (e.g. salted hashes, random per file).
 */
export function tableDigest(path: string, countOnly: string[] = []): Record<string, string> {
  // A postgres:// URL: the sandbox's schema on the server, through the project's own port.
  const db = isPgUrl(path) ? openSandboxDb(path) : new Database(path, { readonly: true });
  try {
    const tables = (
      db
        .prepare(
          isPgUrl(path)
            ? `SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY name`
            : `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'customers_fts%' ORDER BY name`,
        )
        .all() as { name: string }[]
    )
      .map((t) => t.name);
    const out: Record<string, string> = {};
    for (const t of tables) {
      // operation_times is bookkeeping (wall-clock durations, recorded after the work commits): not part of the change.
      if (t === 'operation_times') continue;
      if (countOnly.includes(t)) {
        out[t] = String((db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n);
        continue;
      }
      const rows = db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).raw(true).all();
      out[t] = `${rows.length}:${hash(JSON.stringify(rows))}`;
    }
    return out;
  } finally {
    db.close();
  }
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16);
}

export function integrity(path: string): string {
  const db = new Database(path);
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}
