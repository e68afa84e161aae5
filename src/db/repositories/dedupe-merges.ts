import type { Customer } from '../../core/model.js';
import type { Db } from '../port.js';
import { dialectOf, type Dialect } from '../dialect.js';
import { customerFromRow, type CustomerRow } from '../rows.js';

/** A row of any table, column → value, exactly as stored (for snapshots). */
export type RawRow = Record<string, string | number | null>;

/** Tables holding rows that belong to a customer and move with a merge. */
export const CHILD_TABLES = ['contacts', 'interactions', 'sales', 'consents'] as const;
export type ChildTable = (typeof CHILD_TABLES)[number];
/** Link tables keyed by customer: copied onto the survivor, the merged records' own rows go with them. */
export const LINK_TABLES = ['customer_categories', 'customer_import_runs'] as const;
export type LinkTable = (typeof LINK_TABLES)[number];
type Table = 'customers' | ChildTable | LinkTable;
const LINK_KEY: Record<LinkTable, string> = { customer_categories: 'category_id, assigned_by', customer_import_runs: 'import_run_id' };

export interface MergeRow {
  id: number;
  survivor_id: number;
  merged_ids: string;
  score: number | null;
  snapshot: string;
  decided_by: string;
  merged_at: string;
  undone_at: string | null;
}

/**
 * The SQL of merging and undoing: raw rows in and out, so that a snapshot
 * restores every column exactly, whatever columns later migrations add.
 */
export class DedupeMergesRepo {
  private readonly columns = new Map<Table, string[]>();

  private readonly d: Dialect;

  constructor(private readonly db: Db) {
    this.d = dialectOf(db);
  }

  private cols(table: Table): string[] {
    let c = this.columns.get(table);
    if (!c) {
      c = (this.db.prepare(this.d.columnsSql).all(table) as { name: string }[]).map((r) => r.name);
      this.columns.set(table, c);
    }
    return c;
  }

  customers(ids: readonly number[]): RawRow[] {
    return this.db.prepare(`SELECT * FROM customers WHERE id IN ${this.d.jsonIds('?')} ORDER BY id`).all(JSON.stringify(ids)) as RawRow[];
  }

  /** The customers of a merge in one statement: their rows as stored (the snapshot) and as domain records, by id. */
  customersOf(ids: readonly number[]): { raw: RawRow[]; records: Map<number, Customer> } {
    const raw = this.customers(ids);
    return { raw, records: new Map(raw.map((r) => [Number(r.id), customerFromRow(r as unknown as CustomerRow)])) };
  }

  rowsOf(table: ChildTable | LinkTable, customerIds: readonly number[]): RawRow[] {
    const order = (LINK_TABLES as readonly string[]).includes(table) ? `customer_id, ${LINK_KEY[table as LinkTable]}` : 'id';
    return this.db
      .prepare(`SELECT * FROM ${table} WHERE customer_id IN ${this.d.jsonIds('?')} ORDER BY ${order}`)
      .all(JSON.stringify(customerIds)) as RawRow[];
  }

  /**
   * rowsOf() for several tables. On PostgreSQL one statement (there a round trip costs more than
   * the work: `dedupe --auto` reads these for every merge), the rows coming back through JSON,
   * with the same values: the schema holds only integers, floats and text (0001_init.sql).
   */
  rowsOfEach(tables: readonly (ChildTable | LinkTable)[], customerIds: readonly number[]): Record<string, RawRow[]> {
    const out: Record<string, RawRow[]> = {};
    if (this.d.engine === 'sqlite') {
      for (const t of tables) out[t] = this.rowsOf(t, customerIds);
      return out;
    }
    const parts = tables.map((t) => {
      const order = (LINK_TABLES as readonly string[]).includes(t) ? `customer_id, ${LINK_KEY[t as LinkTable]}` : 'id';
      // json_agg of the rows themselves: every column, in the table's order, as SELECT * gives them.
      const by = order.split(', ').map((c) => `x.${c}`).join(', ');
      return `'${t}', (SELECT coalesce(json_agg(x ORDER BY ${by}), '[]') FROM ${t} x WHERE x.customer_id IN ${this.d.jsonIds('@ids')})`;
    });
    const json = this.db.prepare(`SELECT CAST(json_build_object(${parts.join(', ')}) AS text)`).pluck().get({ ids: JSON.stringify(customerIds) }) as string;
    return JSON.parse(json) as Record<string, RawRow[]>;
  }

  moveChildren(table: ChildTable, fromIds: readonly number[], to: number): number {
    return this.db.prepare(`UPDATE ${table} SET customer_id = ? WHERE customer_id IN ${this.d.jsonIds('?')}`).run(to, JSON.stringify(fromIds)).changes;
  }

  /** Copies one link row onto another customer; false when the survivor already had it. */
  copyLink(table: LinkTable, row: RawRow, to: number): boolean {
    const cols = this.cols(table);
    const values = { ...row, customer_id: to };
    return this.db.prepare(this.d.insertOrIgnore(`${table} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`)).run(pick(values, cols)).changes > 0;
  }

  deleteLink(table: LinkTable, row: RawRow): void {
    const keys = ['customer_id', ...LINK_KEY[table].split(', ')];
    this.db.prepare(`DELETE FROM ${table} WHERE ${keys.map((k) => `${k} = @${k}`).join(' AND ')}`).run(pick(row, keys));
  }

  insertRow(table: Table, row: RawRow): void {
    const cols = this.cols(table).filter((c) => c in row);
    this.db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`).run(pick(row, cols));
  }

  /** Writes every column of a customer row back as it was (uid and id included). */
  rewriteCustomer(row: RawRow): void {
    const cols = this.cols('customers').filter((c) => c !== 'id' && c in row);
    this.db.prepare(`UPDATE customers SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(pick(row, [...cols, 'id']));
  }

  setOwner(table: ChildTable, rowId: number, customerId: number): number {
    return this.db.prepare(`UPDATE ${table} SET customer_id = ? WHERE id = ?`).run(customerId, rowId).changes;
  }

  deleteRow(table: ChildTable, rowId: number): void {
    this.db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(rowId);
  }

  rowExists(table: ChildTable | 'customers', id: number): boolean {
    return this.db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
  }

  deleteCustomers(ids: readonly number[]): void {
    this.db.prepare(`DELETE FROM customers WHERE id IN ${this.d.jsonIds('?')}`).run(JSON.stringify(ids));
  }

  insertMerge(m: Omit<MergeRow, 'id' | 'undone_at'>): number {
    return Number(
      this.db
        .prepare(`INSERT INTO merges (survivor_id, merged_ids, score, snapshot, decided_by, merged_at) VALUES (@survivor_id, @merged_ids, @score, @snapshot, @decided_by, @merged_at)${this.d.returningId}`)
        .run(m).lastInsertRowid,
    );
  }

  getMerge(id: number): MergeRow | undefined {
    return this.db.prepare('SELECT * FROM merges WHERE id = ?').get(id) as MergeRow | undefined;
  }

  /** Merges not undone, later than `after`, that touched any of these customers. */
  laterMergesTouching(after: number, ids: readonly number[]): number[] {
    return (
      this.db
        .prepare(`SELECT id FROM merges WHERE id > @after AND undone_at IS NULL AND (survivor_id IN ${this.d.jsonIds('@ids')}
          OR EXISTS (SELECT 1 FROM ${this.d.jsonIds('merges.merged_ids')} AS m WHERE m.value IN ${this.d.jsonIds('@ids')})) ORDER BY id`)
        .all({ after, ids: JSON.stringify(ids) }) as { id: number }[]
    ).map((r) => r.id);
  }

  /** Merges whose snapshot holds a copy of this customer's data (as survivor or merged). */
  mergesHolding(uid: string): number[] {
    return (this.db.prepare(`SELECT id FROM merges WHERE ${this.d.contains('snapshot', '?')} ORDER BY id`).all(uid) as { id: number }[]).map((r) => r.id);
  }

  /** Drops a snapshot's personal data; the merge stays listed, it can no longer be undone. */
  redactSnapshot(id: number): void {
    this.db.prepare(`UPDATE merges SET snapshot = '{"v":1,"redacted":true}' WHERE id = ?`).run(id);
  }

  markUndone(id: number, at: string): void {
    this.db.prepare('UPDATE merges SET undone_at = ? WHERE id = ?').run(at, id);
  }

  listMerges(limit: number): Omit<MergeRow, 'snapshot'>[] {
    return this.db
      .prepare('SELECT id, survivor_id, merged_ids, score, decided_by, merged_at, undone_at FROM merges ORDER BY id DESC LIMIT ?')
      .all(limit) as Omit<MergeRow, 'snapshot'>[];
  }

  /** Uids of a merge's customers, read from its snapshot with SQLite's JSON (for history). */
  snapshotUids(id: number): { survivor: string | null; merged: string[] } {
    if (this.d.engine !== 'sqlite') {
      const snap = this.db.prepare('SELECT snapshot FROM merges WHERE id = ?').pluck().get(id) as string | undefined;
      if (snap === undefined) return { survivor: null, merged: [] };
      const v = JSON.parse(snap) as { survivor?: { uid?: string }; merged?: { uid?: string }[] };
      return { survivor: v.survivor?.uid ?? null, merged: (v.merged ?? []).map((m) => m.uid ?? null) as string[] };
    }
    const row = this.db
      .prepare(`SELECT json_extract(snapshot, '$.survivor.uid') AS s, (SELECT json_group_array(json_extract(value, '$.uid')) FROM json_each(snapshot, '$.merged')) AS m FROM merges WHERE id = ?`)
      .get(id) as { s: string | null; m: string } | undefined;
    return { survivor: row?.s ?? null, merged: row ? (JSON.parse(row.m) as string[]) : [] };
  }
}

function pick(row: RawRow, cols: readonly string[]): RawRow {
  const out: RawRow = {};
  for (const c of cols) out[c] = row[c] ?? null;
  return out;
}
