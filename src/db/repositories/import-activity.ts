import type { Db } from '../port.js';
import { dialectOf, type Dialect } from '../dialect.js';
import { COLUMN } from '../columns.js';

export interface ActivityCounts {
  insert: number;
  update: number;
  unchanged: number;
  reject: number;
  merged: number;
}

/**
 * How a row finds its customer, tried in this order, each step only for rows
 * still without one: a Réf as a REF finds it — the external id in the file's
 * own namespace, a uid, the external id in any namespace, then the Réf of a
 * record dedupe merged into a survivor — then the SIRET and the e-mail, each
 * also through merge aliases. A Réf, SIRET or e-mail that names two customers
 * names none (the row is rejected, as `carnet show` would refuse it).
 */
function customerSteps(d: Dialect, sources: (string | null)[]): { when: string; lookup: string }[] {
  const anySource = sources
    .map((_, i) => `SELECT c.id FROM customers c WHERE ${d.same(`c.${COLUMN.externalSource}`, `CAST(@src${i} AS TEXT)`)} AND c.${COLUMN.externalId} = s.ref`)
    .join(' UNION ');
  const one = (sql: string) => `(SELECT CASE WHEN count(*) = 1 THEN max(id) END FROM (${sql}) AS u)`;
  return [
    { when: 's.ref IS NOT NULL', lookup: `(SELECT c.id FROM customers c WHERE c.${COLUMN.externalId} = s.ref AND ${d.same(`c.${COLUMN.externalSource}`, 'CAST(@source AS TEXT)')} ORDER BY c.id LIMIT 1)` },
    { when: 's.ref IS NOT NULL', lookup: `(SELECT c.id FROM customers c WHERE c.uid = s.ref)` },
    { when: 's.ref IS NOT NULL', lookup: `${one(anySource)}` },
    { when: 's.ref IS NOT NULL', lookup: `${one(`SELECT DISTINCT a.customer_id AS id FROM customer_aliases a WHERE a.kind = '${COLUMN.externalId}' AND a.value = s.ref`)}` },
    { when: `s.${COLUMN.siret} IS NOT NULL`, lookup: `(SELECT c.id FROM customers c WHERE c.${COLUMN.siret} = s.${COLUMN.siret} ORDER BY c.id LIMIT 1)` },
    { when: `s.${COLUMN.siret} IS NOT NULL`, lookup: `${one(`SELECT DISTINCT a.customer_id AS id FROM customer_aliases a WHERE a.kind = 'siret' AND a.value = s.${COLUMN.siret}`)}` },
    { when: `s.${COLUMN.emailNorm} IS NOT NULL`, lookup: `(SELECT c.id FROM customers c WHERE c.${COLUMN.emailNorm} = s.${COLUMN.emailNorm} ORDER BY c.id LIMIT 1)` },
    { when: `s.${COLUMN.emailNorm} IS NOT NULL`, lookup: `(SELECT ct.customer_id FROM contacts ct WHERE ct.${COLUMN.emailNorm} = s.${COLUMN.emailNorm} ORDER BY ct.customer_id LIMIT 1)` },
    { when: `s.${COLUMN.emailNorm} IS NOT NULL`, lookup: `${one(`SELECT DISTINCT a.customer_id AS id FROM customer_aliases a WHERE a.kind = 'email' AND a.value = s.${COLUMN.emailNorm}`)}` },
  ];
}

const NO_CUSTOMER = `'no customer with ' || CASE
  WHEN s.ref IS NOT NULL THEN 'external id ''' || s.ref || ''''
  WHEN s.${COLUMN.siret} IS NOT NULL THEN 'SIRET ' || s.${COLUMN.siret}
  ELSE 'e-mail ' || s.${COLUMN.emailNorm} END || ' — import the customers first, or check the reference'`;

/**
 * Matching, classifying and applying staged sales or interactions, set-based.
 * A sale is the same as one already recorded when it has the same kind and
 * number (numbers are unique per kind), or, without a number, the same
 * customer, kind, date and amount; an interaction when everything is the same.
 */
export class ImportActivityRepo {
  private readonly d: Dialect;

  constructor(private readonly db: Db) {
    this.d = dialectOf(db);
  }

  /** The statements name temp tables SQLite's way (temp.x): the dialect places them. */
  private prep(sql: string) {
    return this.db.prepare(this.d.tempSql(sql));
  }

  private exec(sql: string): void {
    this.db.exec(this.d.tempSql(sql));
  }

  matchCustomers(source: string | null): void {
    const sources = [null, ...(this.prep(`SELECT DISTINCT ${COLUMN.externalSource} FROM customers WHERE ${COLUMN.externalSource} IS NOT NULL`).pluck().all() as string[])];
    const params: Record<string, string | null> = { source };
    sources.forEach((src, i) => (params[`src${i}`] = src));
    for (const { when, lookup } of customerSteps(this.d, sources)) {
      const sql = `UPDATE temp.import_stage AS s SET customer_id = ${lookup} WHERE s.customer_id IS NULL AND ${when}`;
      this.prep(sql).run(Object.fromEntries(Object.entries(params).filter(([k]) => sql.includes(`@${k}`))));
    }
    this.exec(`UPDATE temp.import_stage AS s SET action = 'reject', reason = ${NO_CUSTOMER} WHERE customer_id IS NULL`);
  }

  /** Rows of the file that repeat a document (sales) or an interaction: the last one of a sale wins, interactions keep the first. */
  dropDuplicates(what: 'sales' | 'interactions'): number {
    const sql =
      what === 'sales'
        ? `DELETE FROM temp.import_stage WHERE action IS NULL AND number IS NOT NULL AND seq < (
             SELECT max(s2.seq) FROM temp.import_stage s2 WHERE s2.action IS NULL AND s2.kind = import_stage.kind AND s2.number = import_stage.number)`
        : `DELETE FROM temp.import_stage WHERE action IS NULL AND seq > (
             SELECT min(s2.seq) FROM temp.import_stage s2 WHERE s2.action IS NULL AND s2.customer_id = import_stage.customer_id AND s2.kind = import_stage.kind
               AND s2.direction = import_stage.direction AND s2.occurred_at = import_stage.occurred_at AND ${this.d.same('s2.summary', 'import_stage.summary')})`;
    // Without the key the duplicate check compares, each row's lookup reads all rows of its kind: quadratic at 20k rows.
    this.exec(what === 'sales'
      ? 'CREATE INDEX IF NOT EXISTS temp.import_stage_number ON import_stage (kind, number, seq)'
      : 'CREATE INDEX IF NOT EXISTS temp.import_stage_same ON import_stage (customer_id, kind, direction, occurred_at)');
    return this.prep(sql).run().changes;
  }

  classify(what: 'sales' | 'interactions'): ActivityCounts {
    if (what === 'sales') {
      this.exec(`UPDATE temp.import_stage AS s SET target = CASE
          WHEN s.number IS NOT NULL THEN (SELECT x.id FROM sales x WHERE x.kind = s.kind AND x.number = s.number)
          ELSE (SELECT x.id FROM sales x WHERE x.customer_id = s.customer_id AND x.kind = s.kind AND x.number IS NULL
                  AND x.issued_on = s.issued_on AND x.amount_cents = s.amount_cents ORDER BY x.id LIMIT 1) END
        WHERE action IS NULL`);
      this.exec(`UPDATE temp.import_stage AS s SET action = 'reject',
          reason = s.kind || ' ' || s.number || ' already belongs to another customer — numbers are unique per kind'
        WHERE action IS NULL AND target IS NOT NULL AND (SELECT x.customer_id FROM sales x WHERE x.id = s.target) <> s.customer_id`);
      this.exec(`UPDATE temp.import_stage AS s SET action = CASE
          WHEN s.target IS NULL THEN 'insert'
          WHEN EXISTS (SELECT 1 FROM sales x WHERE x.id = s.target AND (${this.d.notSame('x.issued_on', 's.issued_on')} OR ${this.d.notSame('x.amount_cents', 's.amount_cents')}
                 OR ${this.d.notSame('x.currency', 's.currency')} OR ${this.d.notSame('x.status', 's.status')}
                 OR (s.due_on IS NOT NULL AND ${this.d.notSame('x.due_on', 's.due_on')})
                 OR (s.label IS NOT NULL AND ${this.d.notSame('x.label', 's.label')}))) THEN 'update'
          ELSE 'unchanged' END
        WHERE action IS NULL`);
    } else {
      this.exec(`UPDATE temp.import_stage AS s SET action = CASE
          WHEN EXISTS (SELECT 1 FROM interactions x WHERE x.customer_id = s.customer_id AND x.kind = s.kind AND x.direction = s.direction
                 AND x.occurred_at = s.occurred_at AND ${this.d.same('x.summary', 's.summary')}) THEN 'unchanged'
          ELSE 'insert' END
        WHERE action IS NULL`);
    }
    const counts: ActivityCounts = { insert: 0, update: 0, unchanged: 0, reject: 0, merged: 0 };
    for (const r of this.prep('SELECT action, count(*) AS n FROM temp.import_stage GROUP BY action').all() as { action: keyof ActivityCounts; n: number }[]) {
      counts[r.action] = r.n;
    }
    return counts;
  }

  /** Rows refused while matching: line, reason and the cells as they were in the file. */
  planRejects(): { line: number; reason: string; cells: string[] }[] {
    return (this.prep(`SELECT line, reason, raw FROM temp.import_stage WHERE action = 'reject' ORDER BY seq`).all() as { line: number; reason: string; raw: string }[]).map(
      (r) => ({ line: r.line, reason: r.reason, cells: JSON.parse(r.raw) as string[] }),
    );
  }

  apply(what: 'sales' | 'interactions', p: { now: string; source: string }): void {
    if (what === 'sales') {
      this.prep(`UPDATE sales SET issued_on = s.issued_on, due_on = coalesce(s.due_on, sales.due_on), amount_cents = s.amount_cents,
          currency = s.currency, status = s.status, label = coalesce(s.label, sales.label), updated_at = @now
        FROM temp.import_stage AS s WHERE s.target = sales.id AND s.action = 'update'`).run({ now: p.now });
      this.prep(`INSERT INTO sales (customer_id, kind, number, issued_on, due_on, amount_cents, currency, status, label, source, created_at, updated_at)
        SELECT customer_id, kind, number, issued_on, due_on, amount_cents, currency, status, label, @source, @now, @now
        FROM temp.import_stage WHERE action = 'insert' ORDER BY seq`).run(p);
      return;
    }
    this.prep(`INSERT INTO interactions (customer_id, contact_id, kind, direction, occurred_at, summary, source, created_at)
      SELECT customer_id, NULL, kind, direction, occurred_at, summary, @source, @now FROM temp.import_stage WHERE action = 'insert' ORDER BY seq`).run(p);
    // An incoming contact moves the RGPD clock forward, never back (as carnet log does).
    this.exec(`UPDATE customers SET last_contact_at = m.at
      FROM (SELECT customer_id, max(occurred_at) AS at FROM temp.import_stage WHERE action = 'insert' AND direction = 'in' GROUP BY customer_id) AS m
      WHERE customers.id = m.customer_id AND (customers.last_contact_at IS NULL OR customers.last_contact_at < m.at)`);
  }
}
