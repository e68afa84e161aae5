import { FIELDS } from '../../core/fields/catalogue.js';
import type { Db } from '../port.js';
import { StatementCache, type Stmt } from '../statements.js';
import { dialectOf, quoteIdent, type Dialect } from '../dialect.js';
import { cols, COLUMN, type Columns } from '../columns.js';


/** An accounting document: invoices and credit notes that were issued (a draft is not one yet). */
const ACCOUNTING = `s.kind IN ('invoice', 'credit') AND s.status <> 'draft'`;
/** A client bought: an order or invoice that stood, or an accepted quote (the same test as categorise's lifecycle). */
const PURCHASE = `((s.kind IN ('order', 'invoice') AND s.status NOT IN ('cancelled', 'draft', 'refused')) OR (s.kind = 'quote' AND s.status = 'accepted'))`;

/** Customer columns the accounts need on an invoice kept after erasure: its legal mentions (CGI art. 242 nonies A). */
export const ACCOUNTS_COLUMNS: readonly string[] = FIELDS.filter((e) => e.accounts).map((e) => e.key);

/** Everything else a customer row holds about the person (its lifecycle status aside), wiped when only the accounts may keep it. */
export const NON_ACCOUNTS_COLUMNS: readonly string[] = [...FIELDS.filter((e) => !e.accounts && e.key !== COLUMN.status).map((e) => e.key), 'last_contact_at'];

/** Identifying columns: when all are empty (and no contact is left) the row is anonymous. */
const IDENTITY_COLUMNS: readonly string[] = FIELDS.filter((e) => e.identifying).map((e) => e.key);

/** What erasure wipes when the row stays as an anonymous shell for statistics. */
const NOT_IN_SHELL: readonly string[] = [...FIELDS.filter((e) => e.anonymous === undefined).map((e) => e.key), 'last_contact_at'];

/** What the retention rules look at for one customer, computed in one pass over the file. */
export type RetentionRow = Columns<'firstName' | 'lastName' | 'companyName'> & {
  id: number;
  uid: string;
  kind: string;
  email: string | null;
  phone: string | null;
  status: string;
  created_at: string;
  last_contact_at: string | null;
  restricted_at: string | null;
  archived_at: string | null;
  /** Last incoming interaction (from the customer). */
  last_in: string | null;
  last_interaction: string | null;
  last_purchase: string | null;
  last_sale: string | null;
  last_invoice: string | null;
  /** Unpaid invoices issued on or after the invoice cutoff: a debt still being recovered. */
  unpaid_held: number;
  /** Accounting documents older than the invoice cutoff. */
  expired_invoices: number;
  /** 1 when consents, categories, interactions, contacts, quotes/orders or import links remain. */
  marketing_left: number;
  /** 1 when a column beyond the accounts' needs is still filled, or the row is not archived yet. */
  beyond_accounts: number;
  /** 1 when anything identifying remains. */
  personal_left: number;
};

export interface ForeignRef {
  table: string;
  column: string;
  onDelete: string;
}

export interface CheckpointResult {
  busy: boolean;
  walFrames: number;
  checkpointed: number;
}

const q = quoteIdent;

/** Erasure, archiving and anonymisation: the writes of the RGPD capability. Never commits. */
export class RgpdRepo {
  private readonly retentionSql: string;
  private refsCache: ForeignRef[] | undefined;
  private readonly tables = new Map<string, boolean>();
  /** Statements prepared once: a purge runs them for every customer it reaches. */
  private readonly cache: StatementCache;

  private stmt(sql: string): Stmt {
    return this.cache.get(sql);
  }

  private readonly d: Dialect;

  constructor(private readonly db: Db) {
    this.cache = new StatementCache(db);
    this.d = dialectOf(db);
    const identity = IDENTITY_COLUMNS.map((c) => `c.${c} IS NOT NULL`).join(' OR ');
    const beyond = NON_ACCOUNTS_COLUMNS.map((c) => `c.${c} IS NOT NULL`).join(' OR ');
    this.retentionSql = `SELECT c.id, c.uid, ${cols('c', 'kind', 'firstName', 'lastName', 'companyName', 'email', 'phone', 'status')},
        c.created_at, c.last_contact_at, c.restricted_at, c.archived_at,
        (SELECT max(i.occurred_at) FROM interactions i WHERE i.customer_id = c.id AND i.direction = 'in') AS last_in,
        (SELECT max(i.occurred_at) FROM interactions i WHERE i.customer_id = c.id) AS last_interaction,
        (SELECT max(s.issued_on) FROM sales s WHERE s.customer_id = c.id AND ${PURCHASE}) AS last_purchase,
        (SELECT max(s.issued_on) FROM sales s WHERE s.customer_id = c.id) AS last_sale,
        (SELECT max(s.issued_on) FROM sales s WHERE s.customer_id = c.id AND ${ACCOUNTING}) AS last_invoice,
        (SELECT count(*) FROM sales s WHERE s.customer_id = c.id AND s.kind = 'invoice' AND s.status = 'unpaid' AND s.issued_on >= @cutoff) AS unpaid_held,
        (SELECT count(*) FROM sales s WHERE s.customer_id = c.id AND s.issued_on < @cutoff AND ${ACCOUNTING}) AS expired_invoices,
        CASE WHEN (EXISTS (SELECT 1 FROM consents x WHERE x.customer_id = c.id)
          OR EXISTS (SELECT 1 FROM customer_categories x WHERE x.customer_id = c.id)
          OR EXISTS (SELECT 1 FROM interactions x WHERE x.customer_id = c.id)
          OR EXISTS (SELECT 1 FROM contacts x WHERE x.customer_id = c.id)
          OR EXISTS (SELECT 1 FROM customer_import_runs x WHERE x.customer_id = c.id)
          OR EXISTS (SELECT 1 FROM sales s WHERE s.customer_id = c.id AND NOT (${ACCOUNTING}))) THEN 1 ELSE 0 END AS marketing_left,
        CASE WHEN (c.archived_at IS NULL OR c.extra <> '{}' OR ${beyond}) THEN 1 ELSE 0 END AS beyond_accounts,
        CASE WHEN (${identity} OR c.extra <> '{}' OR EXISTS (SELECT 1 FROM contacts x WHERE x.customer_id = c.id)) THEN 1 ELSE 0 END AS personal_left
      FROM customers c`;
  }

  *retention(invoiceCutoff: string): IterableIterator<RetentionRow> {
    yield* this.stmt(`${this.retentionSql} ORDER BY c.id`).iterate({ cutoff: invoiceCutoff }) as IterableIterator<RetentionRow>;
  }

  retentionOf(id: number, invoiceCutoff: string): RetentionRow | undefined {
    return this.stmt(`${this.retentionSql} WHERE c.id = @id`).get({ cutoff: invoiceCutoff, id }) as RetentionRow | undefined;
  }

  /** Invoices and credit notes still under legal retention (issued on or after the cutoff). */
  heldInvoices(customerId: number, cutoff: string): { kind: string; number: string | null; issued_on: string }[] {
    return this.stmt(`SELECT s.kind, s.number, s.issued_on FROM sales s WHERE s.customer_id = ? AND s.issued_on >= ? AND ${ACCOUNTING} ORDER BY s.issued_on, s.id`)
      .all(customerId, cutoff) as { kind: string; number: string | null; issued_on: string }[];
  }

  /** Every (table, column) that points at customers.id: the known tables and any a later migration added. */
  customerRefs(): ForeignRef[] {
    if (!this.refsCache) {
      const tables = this.stmt(this.d.tablesSql).all() as { name: string }[];
      const refs: ForeignRef[] = [];
      for (const { name } of tables) {
        const fks = this.stmt(this.d.foreignKeysSql).all(name) as {
          target: string;
          col: string;
          on_delete: string;
        }[];
        for (const fk of fks) if (fk.target === 'customers') refs.push({ table: name, column: fk.col, onDelete: fk.on_delete });
      }
      this.refsCache = refs;
    }
    return this.refsCache;
  }

  /** Rows per table that point at this customer (for the audit's counts and the user's summary). */
  relatedCounts(customerId: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.customerRefs()) {
      const n = (this.stmt(`SELECT count(*) AS n FROM ${q(r.table)} WHERE ${q(r.column)} = ?`).get(customerId) as { n: number }).n;
      out[r.table] = (out[r.table] ?? 0) + n;
    }
    return out;
  }

  /** Deletes the row; rows of tables whose foreign key does not cascade are deleted first. */
  deleteCustomer(customerId: number): void {
    for (const r of this.customerRefs()) {
      if (r.onDelete.toUpperCase() !== 'CASCADE') this.stmt(`DELETE FROM ${q(r.table)} WHERE ${q(r.column)} = ?`).run(customerId);
    }
    this.stmt('DELETE FROM customers WHERE id = ?').run(customerId);
  }

  /**
   * Removes everything but the accounting documents: consents, categories,
   * interactions, contacts, import links, quotes and orders, and rows of any
   * other table pointing at the customer. Returns the rows removed per table.
   */
  deleteAllButAccounts(customerId: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.customerRefs()) {
      const sql =
        r.table === 'sales'
          ? `DELETE FROM sales AS s WHERE s.customer_id = ? AND NOT (${ACCOUNTING})`
          : `DELETE FROM ${q(r.table)} WHERE ${q(r.column)} = ?`;
      const n = this.stmt(sql).run(customerId).changes;
      if (n > 0) out[r.table] = (out[r.table] ?? 0) + n;
    }
    return out;
  }

  /** Accounting documents past their retention. */
  deleteAccountingBefore(customerId: number, cutoff: string): number {
    return this.stmt(`DELETE FROM sales AS s WHERE s.customer_id = ? AND s.issued_on < ? AND ${ACCOUNTING}`).run(customerId, cutoff).changes;
  }

  /** Keeps the invoice's legal mentions only, and archives the row (out of lists and exports). */
  reduceToAccounts(customerId: number, at: string): void {
    this.stmt(
        `UPDATE customers SET ${NON_ACCOUNTS_COLUMNS.map((c) => `${c} = NULL`).join(', ')}, extra = '{}', custom = '{}',
          archived_at = coalesce(archived_at, @at), updated_at = @at WHERE id = @id`,
      )
      .run({ id: customerId, at });
  }

  /**
   * Removes all that identifies the customer and keeps an anonymous shell for
   * statistics: the fields the catalogue marks `anonymous` (kept, or cut to
   * the first three characters of the postal code: the department), dates,
   * and sales without number or label.
   */
  anonymise(customerId: number, at: string): void {
    const cut = FIELDS.filter((e) => e.anonymous === 'cut3').map((e) => `${e.key} = substr(${e.key}, 1, 3)`);
    this.stmt(
        `UPDATE customers SET ${NOT_IN_SHELL.map((c) => `${c} = NULL`).join(', ')}, extra = '{}', custom = '{}', ${cut.join(', ')},
          archived_at = coalesce(archived_at, @at), updated_at = @at WHERE id = @id`,
      )
      .run({ id: customerId, at });
    this.stmt(`UPDATE sales SET number = NULL, label = NULL, source = NULL, updated_at = @at WHERE customer_id = @id`).run({ id: customerId, at });
  }

  /** Merges whose undo snapshot holds this customer (as survivor, as merged record, or by uid in the snapshot). */
  mergesInvolving(customerId: number, uid: string, needles: string[]): number[] {
    if (!this.hasTable('merges')) return [];
    const extra = needles.map((_, i) => ` OR ${this.d.contains('m.snapshot', `@n${i}`)}`).join('');
    const params: Record<string, string | number> = { id: customerId, uid, sid: String(customerId) };
    needles.forEach((n, i) => (params[`n${i}`] = n));
    // merged_ids holds ids (numbers) or uids: as text on PostgreSQL, where @sid finds the numbers.
    const inMerged =
      this.d.engine === 'sqlite'
        ? `EXISTS (SELECT 1 FROM json_each(m.merged_ids) j WHERE j.value = @id OR j.value = @uid OR j.value = @sid)`
        : `(@sid IN ${this.d.jsonTexts('m.merged_ids')} OR @uid IN ${this.d.jsonTexts('m.merged_ids')})`;
    const rows = this.stmt(
        `SELECT m.id FROM merges m WHERE m.survivor_id = CAST(@id AS INTEGER)
           OR ${inMerged}
           OR ${this.d.contains('m.snapshot', '@uid')}${extra} ORDER BY m.id`,
      )
      .all(params) as { id: number }[];
    return rows.map((r) => r.id);
  }

  deleteMerges(ids: number[]): void {
    const stmt = this.stmt('DELETE FROM merges WHERE id = ?');
    for (const id of ids) stmt.run(id);
  }

  /** "These two are different people" decisions naming this uid. */
  deleteDedupeDecisions(uid: string): number {
    if (!this.hasTable('dedupe_decisions')) return 0;
    return this.stmt('DELETE FROM dedupe_decisions WHERE uid_a = @uid OR uid_b = @uid').run({ uid }).changes;
  }

  contactOwner(contactId: number): number | undefined {
    return (this.stmt('SELECT customer_id FROM contacts WHERE id = ?').get(contactId) as { customer_id: number } | undefined)?.customer_id;
  }

  /** A contact person alone (not the company file they belong to). */
  deleteContact(contactId: number): void {
    this.stmt('DELETE FROM contacts WHERE id = ?').run(contactId);
  }

  /**
   * For a bulk purge: runs fn with the full-text index's delete and update
   * triggers off, then rebuilds the index once from the table (about 5 µs a
   * customer, where each trigger-driven secure delete costs about 1 ms).
   * Must run inside a transaction: the triggers are re-created as they were,
   * and a failure rolls everything back.
   */
  withFtsRebuilt<T>(fn: () => T): T {
    // PostgreSQL's index is over the row itself: nothing to switch off or rebuild.
    if (this.d.engine !== 'sqlite') return fn();
    const triggers = this.dropFtsTriggers();
    try {
      const result = fn();
      this.db.prepare(`INSERT INTO customers_fts (customers_fts) VALUES ('rebuild')`).run();
      return result;
    } finally {
      for (const t of triggers) this.db.exec(t.sql);
    }
  }

  /** The same around async work that pauses between batches (inside Store.txAsync). */
  async withFtsRebuiltAsync<T>(fn: () => Promise<T>): Promise<T> {
    if (this.d.engine !== 'sqlite') return fn();
    const triggers = this.dropFtsTriggers();
    try {
      const result = await fn();
      this.db.prepare(`INSERT INTO customers_fts (customers_fts) VALUES ('rebuild')`).run();
      return result;
    } finally {
      for (const t of triggers) this.db.exec(t.sql);
    }
  }

  private dropFtsTriggers(): { name: string; sql: string }[] {
    const triggers = this.db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'customers' AND sql LIKE '%customers_fts%' AND name <> 'customers_fts_ai'`)
      .all() as { name: string; sql: string }[];
    for (const t of triggers) this.db.exec(`DROP TRIGGER ${q(t.name)}`);
    return triggers;
  }

  /** Audit rows whose text may quote an e-mail or a long number (most hold neither). */
  auditRowsQuotingIdentifiers(): { id: number; subject: string | null; details: string }[] {
    return this.stmt(
      `SELECT id, subject, details FROM audit_log
       WHERE details LIKE '%@%' OR ${this.d.engine === 'sqlite' ? `details GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][0-9]*'` : `details ~ '[0-9]{7}'`} OR subject LIKE '%@%'`,
    ).all() as { id: number; subject: string | null; details: string }[];
  }

  rewriteAuditRow(id: number, subject: string | null, details: string): void {
    this.stmt('UPDATE audit_log SET subject = @subject, details = @details WHERE id = @id').run({ id, subject, details });
  }

  /** The consent rows of one customer with state 'opposed', by channel. */
  opposedChannels(customerId: number): string[] {
    return (this.stmt(`SELECT DISTINCT channel FROM consents WHERE customer_id = ? AND state = 'opposed' ORDER BY channel`).all(customerId) as { channel: string }[]).map(
      (r) => r.channel,
    );
  }

  /** SQLite: moves the WAL into the file. A server's WAL is out of carnet's reach (rgpd forget and the register say so). */
  checkpoint(): CheckpointResult {
    if (this.d.engine !== 'sqlite') return { busy: false, walFrames: 0, checkpointed: 0 };
    const r = (this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[])[0];
    return { busy: (r?.busy ?? 0) !== 0, walFrames: r?.log ?? 0, checkpointed: r?.checkpointed ?? 0 };
  }

  /**
   * Which text columns of which tables still contain one of the needles, and
   * which needles (by index). The FTS shadow tables and the hashed
   * suppressions are left out: they hold tokens and hashes.
   */
  traceScan(needles: string[]): { table: string; column: string; rows: number; needles: number[] }[] {
    const found: { table: string; column: string; rows: number; needles: number[] }[] = [];
    if (needles.length === 0) return found;
    const tables = (this.stmt(this.d.tablesSql).all() as { name: string }[]).filter((t) => t.name !== 'suppressions' && t.name !== 'schema_migrations');
    const params: Record<string, string> = {};
    needles.forEach((n, i) => (params[`n${i}`] = n));
    for (const { name } of tables) {
      const cols = (this.stmt(this.d.columnsSql).all(name) as { name: string; type: string }[]).filter(
        (c) => c.type === '' || /TEXT|CHAR|CLOB|ANY/i.test(c.type),
      );
      for (const col of cols) {
        const cond = needles.map((_, i) => this.d.contains(q(col.name), `@n${i}`)).join(' OR ');
        const values = (this.stmt(`SELECT CAST(${q(col.name)} AS TEXT) AS v FROM ${q(name)} WHERE ${cond}`).all(params) as { v: string }[]).map((r) => r.v);
        if (values.length === 0) continue;
        const hit = needles.flatMap((n, i) => (values.some((v) => v.includes(n)) ? [i] : []));
        found.push({ table: name, column: col.name, rows: values.length, needles: hit });
      }
    }
    return found;
  }

  hasTable(name: string): boolean {
    let has = this.tables.get(name);
    if (has === undefined) {
      has = this.stmt(this.d.tableExistsSql).get(name) !== undefined;
      this.tables.set(name, has);
    }
    return has;
  }
}
