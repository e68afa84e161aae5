import type { Db } from '../port.js';
import { dialectOf, quoteIdent } from '../dialect.js';
import { StatementCache, type Stmt } from '../statements.js';
import { COLUMN } from '../columns.js';


export type HeldKind = 'email' | 'phone' | 'siret';

export interface MergeRow {
  id: number;
  survivor_id: number;
  merged_ids: string;
  snapshot: string;
}

/**
 * What an erasure must know about everyone else: who else holds an
 * identifier (a family e-mail, a shared switchboard), and the merges to read
 * once for a whole purge. Reads only; every lookup is on an index.
 */
export class RgpdErasureRepo {
  private readonly cache: StatementCache;
  constructor(private readonly db: Db) {
    this.cache = new StatementCache(db);
  }

  private stmt(sql: string): Stmt {
    return this.cache.get(sql);
  }

  /**
   * How many other customers hold this identifier: on their own row, on one of
   * their contact persons, or as the identifier of a record merged into them
   * (the nightly import finds them through it).
   */
  otherHolders(kind: HeldKind, value: string, exceptId: number): number {
    const sql =
      kind === 'email'
        ? `SELECT id FROM customers WHERE ${COLUMN.emailNorm} = @v AND id <> @id
           UNION SELECT customer_id FROM contacts WHERE ${COLUMN.emailNorm} = @v AND customer_id <> @id
           UNION SELECT customer_id FROM customer_aliases WHERE kind = 'email' AND value = @v AND customer_id <> @id`
        : kind === 'phone'
          ? `SELECT id FROM customers WHERE ${COLUMN.phoneE164} = @v AND id <> @id
             UNION SELECT id FROM customers WHERE ${COLUMN.mobileE164} = @v AND id <> @id
             UNION SELECT customer_id FROM contacts WHERE ${COLUMN.phoneE164} = @v AND customer_id <> @id`
          : `SELECT id FROM customers WHERE ${COLUMN.siret} = @v AND id <> @id
             UNION SELECT customer_id FROM customer_aliases WHERE kind = 'siret' AND value = @v AND customer_id <> @id`;
    return (this.stmt(`SELECT count(*) AS n FROM (${sql}) AS u`).get({ v: value, id: exceptId }) as { n: number }).n;
  }

  /** Who else holds an e-mail or phone of a contact person: any customer, or another contact (the company's own address, say). */
  holdersBesideContact(kind: 'email' | 'phone', value: string, contactId: number): number {
    const sql =
      kind === 'email'
        ? `SELECT 'c' || id FROM customers WHERE ${COLUMN.emailNorm} = @v
           UNION SELECT 'p' || id FROM contacts WHERE ${COLUMN.emailNorm} = @v AND id <> @id
           UNION SELECT 'a' || customer_id FROM customer_aliases WHERE kind = 'email' AND value = @v`
        : `SELECT 'c' || id FROM customers WHERE ${COLUMN.phoneE164} = @v
           UNION SELECT 'c' || id FROM customers WHERE ${COLUMN.mobileE164} = @v
           UNION SELECT 'p' || id FROM contacts WHERE ${COLUMN.phoneE164} = @v AND id <> @id`;
    return (this.stmt(`SELECT count(*) AS n FROM (${sql}) AS u`).get({ v: value, id: contactId }) as { n: number }).n;
  }

  /** The e-mails and SIRETs of records merged into this customer (they were the same person). */
  aliasesOf(customerId: number): { kind: 'email' | 'siret'; value: string }[] {
    return this.stmt(`SELECT DISTINCT kind, value FROM customer_aliases WHERE customer_id = ? AND kind IN ('email', 'siret') ORDER BY kind, value`).all(
      customerId,
    ) as { kind: 'email' | 'siret'; value: string }[];
  }

  *merges(): IterableIterator<MergeRow> {
    yield* this.stmt('SELECT id, survivor_id, merged_ids, snapshot FROM merges ORDER BY id').iterate() as IterableIterator<MergeRow>;
  }

  /** Text columns of every table but the full-text shadow tables and the hashed suppressions (as RgpdRepo.traceScan reads them). */
  textColumns(): { table: string; column: string }[] {
    const d = dialectOf(this.db);
    const tables = (this.stmt(d.tablesSql).all() as { name: string }[]).filter((t) => t.name !== 'suppressions' && t.name !== 'schema_migrations');
    const out: { table: string; column: string }[] = [];
    for (const { name } of tables) {
      for (const c of this.stmt(d.columnsSql).all(name) as { name: string; type: string }[]) {
        if (c.type === '' || /TEXT|CHAR|CLOB|ANY/i.test(c.type)) out.push({ table: name, column: c.name });
      }
    }
    return out;
  }

  /** The non-empty values of one text column, streamed. */
  *columnValues(table: string, column: string): IterableIterator<string> {
    const q = quoteIdent;
    for (const r of this.db.prepare(`SELECT CAST(${q(column)} AS TEXT) AS v FROM ${q(table)} WHERE ${q(column)} IS NOT NULL`).iterate() as IterableIterator<{ v: string }>) {
      yield r.v;
    }
  }
}
