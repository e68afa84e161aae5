import type { Customer, CustomerFields } from '../../core/model.js';
import type { Db } from '../port.js';
import { DIALECTS, dialectOf, type Dialect } from '../dialect.js';
import { CUSTOMER_FIELD_COLUMNS, CUSTOMER_FIELD_KEYS, customerFieldParams, customerFromRow, type CustomerRow } from '../rows.js';
import { COLUMN } from '../columns.js';
import { sortTerms, type SortKey } from '../sort-sql.js';

const FIELD_COLUMNS = CUSTOMER_FIELD_KEYS.map((k) => CUSTOMER_FIELD_COLUMNS[k]);

export interface CustomerMeta {
  uid: string;
  createdAt: string;
  updatedAt: string;
  lastContactAt?: string | null;
}

export interface CustomerQuery {
  /** A compiled filter over the customer_facts view aliased f (from src/db/filter-sql.ts). */
  where?: { sql: string; params: Record<string, string | number | null> };
  categories?: string[];
  includeArchived?: boolean;
  includeRestricted?: boolean;
  /** Already checked by the caller (buildCustomerQuery). */
  sort?: SortKey[];
  limit?: number;
  offset?: number;
}

export type EmailSearch = { address: string } | { local: string } | { domain: string };

/**
 * A whole address is one probe of the e-mail index; a local part a range of
 * it ('local@' up to 'localA'); a domain a scan of the index alone (it holds
 * every address, and is far smaller than the table).
 */
export function emailSearchSql(c: EmailSearch, includeArchived: boolean, d: Dialect = DIALECTS.sqlite): { sql: string; params: Record<string, string> } {
  const [cond, params] =
    'address' in c
      ? [`${COLUMN.emailNorm} = @address`, { address: c.address }]
      : 'local' in c
        ? [`${COLUMN.emailNorm} >= @local || '@' AND ${COLUMN.emailNorm} < @local || 'A'`, { local: c.local }]
        : [
            `${COLUMN.emailNorm} IS NOT NULL AND ${d.engine === 'sqlite' ? `substr(${COLUMN.emailNorm}, -length(@suffix))` : `right(${COLUMN.emailNorm}, length(@suffix))`} = @suffix`,
            { suffix: `@${c.domain}` },
          ];
  // INDEXED BY: SQLite's planner would scan the table for a domain; PostgreSQL's chooses by itself.
  const from = d.engine === 'sqlite' ? 'customers INDEXED BY customers_email_norm' : 'customers';
  const sql = `SELECT c.* FROM customers c WHERE c.id IN (SELECT id FROM ${from} WHERE ${cond})
    ${includeArchived ? '' : 'AND c.archived_at IS NULL'} ORDER BY c.id LIMIT @limit`;
  return { sql, params };
}

export class CustomersRepo {
  private readonly insertStmt;
  private readonly byId;
  private readonly byUid;
  private readonly byEmail;
  private readonly bySiret;
  private readonly byPhone;
  private readonly byExternal;
  private readonly bySiren;
  private readonly byAlias;
  private readonly externalSourcesStmt;
  private readonly deleteStmt;
  private readonly touchContact;
  private readonly countStmt;

  private readonly d: Dialect;

  constructor(private readonly db: Db) {
    this.d = dialectOf(db);
    const cols = ['uid', ...FIELD_COLUMNS, 'created_at', 'updated_at', 'last_contact_at'];
    this.insertStmt = db.prepare(`INSERT INTO customers (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})${this.d.returningId}`);
    this.byId = db.prepare('SELECT * FROM customers WHERE id = ?');
    this.byUid = db.prepare('SELECT * FROM customers WHERE uid = ?');
    this.byEmail = db.prepare(`SELECT * FROM customers WHERE ${COLUMN.emailNorm} = ? ORDER BY id`);
    this.bySiret = db.prepare(`SELECT * FROM customers WHERE ${COLUMN.siret} = ? ORDER BY id`);
    // A SIREN is the first 9 digits of its establishments' SIRETs: a range of the siret index, not a scan.
    this.bySiren = db.prepare(`SELECT * FROM customers WHERE ${COLUMN.siret} >= @siren AND ${COLUMN.siret} < @siren || ':' ORDER BY id`);
    this.byAlias = db.prepare(`SELECT c.* FROM customers c WHERE c.id IN (SELECT customer_id FROM customer_aliases WHERE kind = ? AND value = ?) ORDER BY c.id`);
    // The distinct namespaces of external ids, one index probe each (a skip scan), not a scan of the index.
    this.externalSourcesStmt = db.prepare(`WITH RECURSIVE s(v) AS (
        SELECT min(${COLUMN.externalSource}) FROM customers WHERE ${COLUMN.externalId} IS NOT NULL
        UNION ALL SELECT (SELECT min(${COLUMN.externalSource}) FROM customers WHERE ${COLUMN.externalId} IS NOT NULL AND ${COLUMN.externalSource} > s.v) FROM s WHERE s.v IS NOT NULL)
      SELECT v FROM s WHERE v IS NOT NULL`);
    this.byPhone = db.prepare(`SELECT * FROM customers WHERE ${COLUMN.phoneE164} = @p OR ${COLUMN.mobileE164} = @p ORDER BY id`);
    this.byExternal = db.prepare(`SELECT * FROM customers WHERE ${COLUMN.externalId} = @id AND ${this.d.same(COLUMN.externalSource, '@source')} ORDER BY id`);
    this.deleteStmt = db.prepare('DELETE FROM customers WHERE id = ?');
    this.touchContact = db.prepare(
      'UPDATE customers SET last_contact_at = @at WHERE id = @id AND (last_contact_at IS NULL OR last_contact_at < @at)',
    );
    this.countStmt = db.prepare('SELECT count(*) AS n FROM customers');
  }

  insert(fields: CustomerFields, meta: CustomerMeta): number {
    const params = {
      uid: meta.uid,
      ...customerFieldParams(fields),
      created_at: meta.createdAt,
      updated_at: meta.updatedAt,
      last_contact_at: meta.lastContactAt ?? null,
    };
    return Number(this.insertStmt.run(params).lastInsertRowid);
  }

  /** Writes only the given fields; statements are cached per field set. */
  update(id: number, fields: Partial<CustomerFields>, updatedAt: string): void {
    const params = customerFieldParams(fields);
    const cols = Object.keys(params);
    if (cols.length === 0) return;
    const stmt = this.updateStmt(cols);
    stmt.run({ ...params, id, updated_at: updatedAt });
  }

  private readonly updateCache = new Map<string, ReturnType<Db['prepare']>>();
  private updateStmt(cols: string[]) {
    const key = cols.join(',');
    let stmt = this.updateCache.get(key);
    if (!stmt) {
      stmt = this.db.prepare(`UPDATE customers SET ${cols.map((c) => `${c} = @${c}`).join(', ')}, updated_at = @updated_at WHERE id = @id`);
      this.updateCache.set(key, stmt);
    }
    return stmt;
  }

  /** Sets one of the lifecycle timestamps (restricted_at, archived_at) or clears it. */
  setMarker(id: number, column: 'restricted_at' | 'archived_at', at: string | null, updatedAt: string): void {
    this.db.prepare(`UPDATE customers SET ${column} = @at, updated_at = @updated_at WHERE id = @id`).run({ id, at, updated_at: updatedAt });
  }

  /** Moves last_contact_at forward only: an old interaction logged late never rewinds the RGPD clock. */
  recordIncomingContact(id: number, at: string): void {
    this.touchContact.run({ id, at });
  }

  get(id: number): Customer | undefined {
    const row = this.byId.get(id) as CustomerRow | undefined;
    return row && customerFromRow(row);
  }

  getByUid(uid: string): Customer | undefined {
    const row = this.byUid.get(uid) as CustomerRow | undefined;
    return row && customerFromRow(row);
  }

  findByEmailNorm(emailNorm: string): Customer[] {
    return (this.byEmail.all(emailNorm) as CustomerRow[]).map(customerFromRow);
  }

  /** A SIRET finds its establishment; a SIREN finds every establishment of the company. */
  findBySiret(siretOrSiren: string): Customer[] {
    const rows = siretOrSiren.length === 9 ? this.bySiren.all({ siren: siretOrSiren }) : this.bySiret.all(siretOrSiren);
    return (rows as CustomerRow[]).map(customerFromRow);
  }

  findByPhone(e164: string): Customer[] {
    return (this.byPhone.all({ p: e164 }) as CustomerRow[]).map(customerFromRow);
  }

  findByExternalId(externalId: string, source: string | null): Customer[] {
    return (this.byExternal.all({ id: externalId, source }) as CustomerRow[]).map(customerFromRow);
  }

  /** Customers with this external id, whatever the file or tool it came from. */
  findByExternalIdAnySource(externalId: string): Customer[] {
    const sources = [null, ...(this.externalSourcesStmt.pluck().all() as string[])];
    return sources.flatMap((source) => this.findByExternalId(externalId, source));
  }

  /** Survivors of merges that carry this identifier of a record merged away (customer_aliases). */
  findByAlias(kind: 'email' | 'siret' | typeof COLUMN.externalId, value: string): Customer[] {
    return (this.byAlias.all(kind, value) as CustomerRow[]).map(customerFromRow);
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
  }

  count(): number {
    return (this.countStmt.get() as { n: number }).n;
  }

  /** Streams customer_facts rows matching the query; rows are plain objects of the view's columns. */
  *iterateFacts(q: CustomerQuery): IterableIterator<Record<string, unknown>> {
    const { sql, params } = this.factsQuery(q);
    yield* this.db.prepare(sql).iterate(params) as IterableIterator<Record<string, unknown>>;
  }

  countFacts(q: CustomerQuery): number {
    const { sql, params } = this.factsQuery({ ...q, sort: [], limit: undefined, offset: undefined });
    return (this.db.prepare(`SELECT count(*) AS n FROM (${sql}) AS q`).get(params) as { n: number }).n;
  }

  factsQuery(q: CustomerQuery): { sql: string; params: Record<string, string | number | null> } {
    const where: string[] = [];
    const params: Record<string, string | number | null> = { ...(q.where?.params ?? {}) };
    if (!q.includeArchived) where.push('f.archived_at IS NULL');
    if (q.includeRestricted === false) where.push('f.restricted_at IS NULL');
    if (q.where) where.push(q.where.sql);
    (q.categories ?? []).forEach((name, i) => {
      params[`cat${i}`] = name;
      where.push(
        `EXISTS (SELECT 1 FROM customer_categories cc JOIN categories cat ON cat.id = cc.category_id WHERE cc.customer_id = f.id AND carnet_fold(cat.name) = carnet_fold(@cat${i}))`,
      );
    });
    const order = [...sortTerms(q.sort, this.d), 'f.id'].join(', ');
    let sql = `SELECT f.* FROM customer_facts f${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY ${order}`;
    if (q.limit !== undefined) sql += ` LIMIT ${Math.max(0, Math.trunc(q.limit))}`;
    if (q.offset !== undefined) sql += ` OFFSET ${Math.max(0, Math.trunc(q.offset))}`;
    return { sql, params };
  }

  /**
   * Full-text search over names, company, city and notes; accent- and case-insensitive (e-mail: searchEmail).
   * Every word must start a word of the text; best matches first (FTS5's rank, ts_rank), ties by id.
   */
  search(words: readonly string[], limit: number, includeArchived = false): Customer[] {
    const rows = this.db
      .prepare(this.d.ftsSearchSql(includeArchived ? '' : 'AND c.archived_at IS NULL'))
      .all({ match: this.d.ftsQuery(words), limit }) as CustomerRow[];
    return rows.map(customerFromRow);
  }

  /** Customers by e-mail, through the normalised e-mail column and its index (emailSearchSql). */
  searchEmail(c: EmailSearch, limit: number, includeArchived = false): Customer[] {
    const { sql, params } = emailSearchSql(c, includeArchived, this.d);
    return (this.db.prepare(sql).all({ ...params, limit }) as CustomerRow[]).map(customerFromRow);
  }

  /** Column names of the customer_facts view, to validate --sort and --columns. */
  factColumns(): string[] {
    return (this.db.prepare(this.d.columnsSql).all('customer_facts') as { name: string }[]).map((r) => r.name);
  }
}
