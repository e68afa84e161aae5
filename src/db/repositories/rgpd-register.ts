import type { Db } from '../port.js';
import { dialectOf, quoteIdent, type Dialect } from '../dialect.js';
import { COLUMN } from '../columns.js';

const q = quoteIdent;
/** A client bought: an order or invoice that stood, or an accepted quote (the same test as categorise's lifecycle). */
const PURCHASE = `((s.kind IN ('order', 'invoice') AND s.status NOT IN ('cancelled', 'draft', 'refused')) OR (s.kind = 'quote' AND s.status = 'accepted'))`;

export interface PeopleCounts {
  total: number;
  persons: number;
  companies: number;
  prospects: number;
  clients: number;
  archived: number;
  restricted: number;
  with_birth_date: number;
  /** Born less than 15 years ago: consent needs a parent's too (loi Informatique et Libertés art. 45). */
  under_15: number;
  contact_persons: number;
}

/** Facts for the record of processing (art. 30): what is actually in the file. */
export class RgpdRegisterRepo {
  private readonly d: Dialect;

  constructor(private readonly db: Db) {
    this.d = dialectOf(db);
  }

  /** Rows where each customers column is filled (extra counts when not '{}'). */
  filledColumns(): Record<string, number> {
    const cols = (this.db.prepare(this.d.columnsSql).all('customers') as { name: string }[]).map((r) => r.name);
    const exprs = cols.map((c) => (c === 'extra' ? `count(*) FILTER (WHERE extra <> '{}') AS extra` : `count(${q(c)}) AS ${q(c)}`));
    const row = this.db.prepare(`SELECT ${exprs.join(', ')} FROM customers`).get() as Record<string, number | null>;
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? 0]));
  }

  extraKeys(limit = 50): { key: string; rows: number }[] {
    return this.db
      .prepare(`SELECT j.key AS key, count(*) AS rows FROM customers c, ${this.d.jsonKeys('c.extra')} GROUP BY j.key ORDER BY rows DESC, ${this.d.binary('j.key')} LIMIT ?`)
      .all(limit) as { key: string; rows: number }[];
  }

  people(under15Cutoff: string): PeopleCounts {
    return this.db
      .prepare(
        `SELECT count(*) AS total,
           count(*) FILTER (WHERE ${COLUMN.kind} = 'person') AS persons,
           count(*) FILTER (WHERE ${COLUMN.kind} = 'company') AS companies,
           count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM sales s WHERE s.customer_id = c.id AND ${PURCHASE})) AS prospects,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM sales s WHERE s.customer_id = c.id AND ${PURCHASE})) AS clients,
           count(*) FILTER (WHERE archived_at IS NOT NULL) AS archived,
           count(*) FILTER (WHERE restricted_at IS NOT NULL) AS restricted,
           count(*) FILTER (WHERE ${COLUMN.birthDate} IS NOT NULL) AS with_birth_date,
           count(*) FILTER (WHERE ${COLUMN.birthDate} > @cutoff) AS under_15,
           (SELECT count(*) FROM contacts) AS contact_persons
         FROM customers c`,
      )
      .get({ cutoff: under15Cutoff }) as PeopleCounts;
  }

  /** "table: n rows, m with free text" for the tables around customers. */
  activity(): Record<string, number> {
    const one = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      contacts: one('SELECT count(*) AS n FROM contacts'),
      contacts_with_email: one(`SELECT count(*) AS n FROM contacts WHERE ${COLUMN.email} IS NOT NULL`),
      contacts_with_phone: one(`SELECT count(*) AS n FROM contacts WHERE ${COLUMN.phone} IS NOT NULL`),
      interactions: one('SELECT count(*) AS n FROM interactions'),
      interactions_with_text: one('SELECT count(*) AS n FROM interactions WHERE summary IS NOT NULL'),
      sales: one('SELECT count(*) AS n FROM sales'),
      invoices: one(`SELECT count(*) AS n FROM sales WHERE kind IN ('invoice', 'credit')`),
      consents: one('SELECT count(*) AS n FROM consents'),
      consents_granted: one(`SELECT count(*) AS n FROM consents WHERE state = 'granted'`),
      oppositions: one(`SELECT count(DISTINCT customer_id) AS n FROM consents WHERE state = 'opposed'`),
      categories: one('SELECT count(*) AS n FROM categories'),
      suppressions: one('SELECT count(*) AS n FROM suppressions'),
      import_runs: one('SELECT count(*) AS n FROM import_runs WHERE dry_run = 0'),
      audit_entries: one('SELECT count(*) AS n FROM audit_log'),
    };
  }

  sources(limit = 30): { source: string; rows: number }[] {
    return this.db
      .prepare(`SELECT coalesce(${COLUMN.source}, '(not recorded)') AS ${COLUMN.source}, count(*) AS rows FROM customers GROUP BY 1 ORDER BY rows DESC, 1 LIMIT ?`)
      .all(limit) as { source: string; rows: number }[];
  }

  actionCounts(prefix: string): Record<string, number> {
    const rows = this.db.prepare(`SELECT action, count(*) AS n FROM audit_log WHERE action LIKE ? GROUP BY action ORDER BY action`).all(`${prefix}%`) as {
      action: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.action, r.n]));
  }

  lastAudit(action: string): { at: string; details: string } | undefined {
    return this.db.prepare('SELECT at, details FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT 1').get(action) as { at: string; details: string } | undefined;
  }

  /** The engine's measures, and what an erasure does on it, for the register (the core does not know the engine). */
  pragmas(): { secureDelete: boolean; journalMode: string; foreignKeys: boolean; ftsSecureDelete: boolean; erasure: string } {
    // A server keeps deleted rows until VACUUM, and its WAL, archives and replicas out of carnet's reach: no overwriting to claim.
    if (this.d.engine !== 'sqlite') {
      return {
        secureDelete: false,
        journalMode: 'PostgreSQL server (WAL, archives and replicas kept by the server)',
        foreignKeys: true,
        ftsSecureDelete: false,
        erasure:
          'rows deleted in one transaction, the full-text index with them (it is computed from the rows); the server frees the space at its next VACUUM, and keeps the copies listed below out of carnet\'s reach',
      };
    }
    const fts = this.db.prepare(`SELECT v FROM customers_fts_config WHERE k = 'secure-delete'`).get() as { v: unknown } | undefined;
    return {
      secureDelete: Number(this.db.pragma('secure_delete', { simple: true })) === 1,
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      foreignKeys: Number(this.db.pragma('foreign_keys', { simple: true })) === 1,
      ftsSecureDelete: Number(fts?.v ?? 0) === 1,
      erasure: 'rows deleted, the WAL checkpointed and truncated, the file checked byte by byte for the erased identifiers',
    };
  }
}
