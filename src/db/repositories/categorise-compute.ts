import type { AssignedBy } from '../../core/model.js';
import type { Db } from '../open.js';
import {
  JSON_IDS,
  clientSale,
  departmentSql,
  eligibleSql,
  lastTouchSql,
  lifecycleSql,
  purchaseSale,
  revenueSale,
  unpaidSale,
} from './categorise-sql.js';

/** The clock-derived limits of one run, all UTC days `YYYY-MM-DD`. */
export interface RunLimits {
  /** A client whose last sale is before this day is a former client. */
  formerLimit: string;
  /** A quote still `sent` and issued on or before this day is unanswered. */
  quoteLimit: string;
  /** An unpaid invoice due before this day is overdue. */
  invoiceLimit: string;
  /** Days added to the issue date of an invoice with no due date. */
  invoiceTermsDays: number;
  /** A client with nothing since before this day needs a call. */
  contactLimit: string;
}

export type FollowupReason = 'quote' | 'invoice' | 'no_contact';

export interface FollowupRow {
  customer_id: number;
  reason: FollowupReason;
  since: string;
  number: string | null;
  amount_cents: number | null;
  currency: string | null;
}

export interface StatusChangeRow {
  id: number;
  old_status: string;
  new_status: string;
}

/** Who enters and who leaves a category, as counts and (optionally) the first ids. */
export interface MembershipDiff {
  entered: number;
  left: number;
  enteredIds: number[];
  leftIds: number[];
}

/** Columns of customer_facts that are not customers columns, and how the set-based facts compute them. */
const DERIVED: Readonly<Record<string, string>> = {
  department: `${departmentSql('c')} AS department`,
  revenue: 'coalesce(a.revenue_cents, 0) / 100.0 AS revenue',
  orders: 'coalesce(a.orders, 0) AS orders',
  last_purchase_at: 'a.last_purchase_at AS last_purchase_at',
  unpaid_cents: 'coalesce(a.unpaid_cents, 0) AS unpaid_cents',
};

/**
 * Set-based computation for `carnet categorise` and `carnet followups`.
 *
 * The `customer_facts` view computes each customer's sales facts with
 * correlated subqueries, which is right for one page of `list` but far too
 * slow for a million customers times twenty rules. Here the sales are
 * aggregated once per run into TEMP tables, and rules run against a TEMP view
 * `temp.cat_facts` with the same column names, over eligible customers only.
 * Statements are prepared per run because the TEMP tables they read are
 * created (and, for a dry run, rolled back) with the run.
 */
export class CategoriseComputeRepo {
  constructor(private readonly db: Db) {}

  /** Per-customer sales and interaction aggregates, one pass over each table. */
  prepareAggregates(): void {
    this.db.exec(`
      DROP TABLE IF EXISTS temp.cat_agg;
      DROP TABLE IF EXISTS temp.cat_touch;
      CREATE TEMP TABLE cat_agg (
        customer_id INTEGER PRIMARY KEY, revenue_cents INTEGER NOT NULL, orders INTEGER NOT NULL,
        last_purchase_at TEXT, unpaid_cents INTEGER NOT NULL, last_sale_on TEXT, last_doc_on TEXT);
      INSERT INTO temp.cat_agg
        SELECT s.customer_id,
          coalesce(sum(CASE WHEN ${revenueSale('s')} THEN s.amount_cents END), 0),
          count(CASE WHEN ${purchaseSale('s')} THEN 1 END),
          max(CASE WHEN ${purchaseSale('s')} THEN s.issued_on END),
          coalesce(sum(CASE WHEN ${unpaidSale('s')} THEN s.amount_cents END), 0),
          max(CASE WHEN ${clientSale('s')} THEN s.issued_on END),
          max(CASE WHEN s.status <> 'draft' THEN s.issued_on END)
        FROM main.sales s GROUP BY s.customer_id;
      CREATE TEMP TABLE cat_touch (customer_id INTEGER PRIMARY KEY, last_at TEXT);
      INSERT INTO temp.cat_touch SELECT customer_id, max(occurred_at) FROM main.interactions GROUP BY customer_id;
    `);
  }

  /** Eligible customers whose computed status differs from the stored one, kept in temp.cat_status. */
  computeStatusChanges(formerLimit: string): number {
    this.db.exec(`DROP TABLE IF EXISTS temp.cat_status;
      CREATE TEMP TABLE cat_status (id INTEGER PRIMARY KEY, old_status TEXT NOT NULL, new_status TEXT NOT NULL);`);
    const status = lifecycleSql('c', 'a');
    return this.db
      .prepare(
        `INSERT INTO temp.cat_status (id, old_status, new_status)
         SELECT id, old_status, new_status FROM (
           SELECT c.id, c.status AS old_status, ${status} AS new_status
           FROM main.customers c LEFT JOIN temp.cat_agg a ON a.customer_id = c.id WHERE ${eligibleSql('c')})
         WHERE new_status IS NOT old_status`,
      )
      .run({ former_limit: formerLimit }).changes;
  }

  statusTransitions(): { from: string; to: string; count: number }[] {
    return this.db
      .prepare('SELECT old_status AS "from", new_status AS "to", count(*) AS count FROM temp.cat_status GROUP BY 1, 2 ORDER BY count DESC, 1, 2')
      .all() as { from: string; to: string; count: number }[];
  }

  statusChangeSample(limit: number | null): StatusChangeRow[] {
    return this.db.prepare('SELECT id, old_status, new_status FROM temp.cat_status ORDER BY id LIMIT @limit').all({ limit: limit ?? -1 }) as StatusChangeRow[];
  }

  /** Writes only the changed statuses. */
  applyStatusChanges(at: string): number {
    return this.db
      .prepare(
        `UPDATE main.customers SET status = s.new_status, updated_at = @at FROM temp.cat_status s WHERE customers.id = s.id`,
      )
      .run({ at }).changes;
  }

  /** Status counts of eligible customers, as the data stands. */
  statusCounts(): { status: string; count: number }[] {
    return this.db
      .prepare(`SELECT status, count(*) AS count FROM main.customers c WHERE ${eligibleSql('c')} GROUP BY status ORDER BY count DESC, status`)
      .all() as { status: string; count: number }[];
  }

  leftOut(): { archived: number; restricted: number; eligible: number } {
    return this.db
      .prepare(
        `SELECT coalesce(sum(archived_at IS NOT NULL), 0) AS archived,
                coalesce(sum(archived_at IS NULL AND restricted_at IS NOT NULL), 0) AS restricted,
                coalesce(sum(archived_at IS NULL AND restricted_at IS NULL), 0) AS eligible FROM main.customers`,
      )
      .get() as { archived: number; restricted: number; eligible: number };
  }

  /**
   * Why each eligible customer must be chased, one row per reason, into
   * temp.cat_followup: a quote still sent after the wait, an unpaid invoice
   * past its due date (issue date + terms when it has none), a client with no
   * contact, sale or interaction since the limit. Reads the lifecycle status as
   * computed now, so it works before and after the statuses are written.
   */
  computeFollowups(l: RunLimits): number {
    this.db.exec(`DROP TABLE IF EXISTS temp.cat_followup;
      CREATE TEMP TABLE cat_followup (customer_id INTEGER NOT NULL, reason TEXT NOT NULL, since TEXT NOT NULL,
        number TEXT, amount_cents INTEGER, currency TEXT);`);
    const due = `coalesce(s.due_on, date(s.issued_on, @terms))`;
    const touch = lastTouchSql('c', 'a', 't');
    return this.db
      .prepare(
        `INSERT INTO temp.cat_followup
         SELECT s.customer_id, 'quote', s.issued_on, s.number, s.amount_cents, s.currency
           FROM main.sales s JOIN main.customers c ON c.id = s.customer_id
          WHERE s.kind = 'quote' AND s.status = 'sent' AND s.issued_on <= @quote_limit AND ${eligibleSql('c')}
         UNION ALL
         SELECT s.customer_id, 'invoice', ${due}, s.number, s.amount_cents, s.currency
           FROM main.sales s JOIN main.customers c ON c.id = s.customer_id
          WHERE s.kind = 'invoice' AND s.status = 'unpaid' AND ${due} < @invoice_limit AND ${eligibleSql('c')}
         UNION ALL
         SELECT id, 'no_contact', touch, NULL, NULL, NULL FROM (
           SELECT c.id, ${lifecycleSql('c', 'a')} AS status, ${touch} AS touch
             FROM main.customers c LEFT JOIN temp.cat_agg a ON a.customer_id = c.id LEFT JOIN temp.cat_touch t ON t.customer_id = c.id
            WHERE ${eligibleSql('c')})
          WHERE status = 'client' AND touch < @contact_limit`,
      )
      .run({
        quote_limit: l.quoteLimit,
        invoice_limit: l.invoiceLimit,
        terms: `+${Math.trunc(l.invoiceTermsDays)} days`,
        contact_limit: l.contactLimit,
        former_limit: l.formerLimit,
      }).changes;
  }

  followupRows(): FollowupRow[] {
    return this.db.prepare('SELECT * FROM temp.cat_followup ORDER BY since, customer_id, reason, number').all() as FollowupRow[];
  }

  /**
   * RFM scores of eligible customers with at least one purchase, in
   * temp.cat_rfm: each score is the quintile of the customer's rank
   * (1 + ⌊5·(rank−1)/n⌋, ties sharing the lowest rank, so equal customers get
   * equal scores); the segment comes from the (R, FM) grid in temp.cat_rfm_map.
   */
  computeRfm(grid: { r: number; fm: number; categoryId: number }[]): number {
    this.db.exec(`DROP TABLE IF EXISTS temp.cat_rfm; DROP TABLE IF EXISTS temp.cat_rfm_map;
      CREATE TEMP TABLE cat_rfm_map (r INTEGER NOT NULL, fm INTEGER NOT NULL, category_id INTEGER NOT NULL, PRIMARY KEY (r, fm));
      CREATE TEMP TABLE cat_rfm (customer_id INTEGER PRIMARY KEY, r INTEGER NOT NULL, f INTEGER NOT NULL, m INTEGER NOT NULL, category_id INTEGER);`);
    const put = this.db.prepare('INSERT INTO temp.cat_rfm_map (r, fm, category_id) VALUES (@r, @fm, @categoryId)');
    for (const cell of grid) put.run(cell);
    const n = this.db
      .prepare(
        `INSERT INTO temp.cat_rfm (customer_id, r, f, m)
         SELECT customer_id, 1 + (5 * (rr - 1)) / n, 1 + (5 * (fr - 1)) / n, 1 + (5 * (mr - 1)) / n FROM (
           SELECT a.customer_id,
             rank() OVER (ORDER BY a.last_purchase_at) AS rr,
             rank() OVER (ORDER BY a.orders) AS fr,
             rank() OVER (ORDER BY a.revenue_cents) AS mr,
             count(*) OVER () AS n
           FROM temp.cat_agg a JOIN main.customers c ON c.id = a.customer_id
           WHERE a.orders > 0 AND ${eligibleSql('c')})`,
      )
      .run().changes;
    this.db.exec(`UPDATE temp.cat_rfm SET category_id = (SELECT category_id FROM temp.cat_rfm_map g WHERE g.r = cat_rfm.r AND g.fm = (cat_rfm.f + cat_rfm.m + 1) / 2);
      CREATE INDEX temp.cat_rfm_category ON cat_rfm (category_id);`);
    return n;
  }

  rfmScores(ids: number[]): { customer_id: number; r: number; f: number; m: number; category_id: number }[] {
    return this.db.prepare(`SELECT * FROM temp.cat_rfm WHERE customer_id IN ${JSON_IDS} ORDER BY customer_id`).all({ ids: JSON.stringify(ids) }) as {
      customer_id: number; r: number; f: number; m: number; category_id: number;
    }[];
  }

  /**
   * Materialises the facts the rules read: only the columns they use, only
   * eligible customers, statuses as just computed. `categories` stays live in
   * the view so that a rule sees the memberships earlier rules just wrote.
   */
  prepareRuleFacts(columns: readonly string[]): void {
    const known = new Set((this.db.prepare(`SELECT name FROM pragma_table_info('customers')`).all() as { name: string }[]).map((r) => r.name));
    const select = ['c.id AS id'];
    for (const col of new Set(columns)) {
      if (col === 'id' || col === 'categories') continue;
      const derived = DERIVED[col];
      if (derived !== undefined) select.push(derived);
      else if (known.has(col)) select.push(`c.${col} AS ${col}`);
      else throw new Error(`categorise: unknown facts column ${JSON.stringify(col)}`);
    }
    this.db.exec(`DROP VIEW IF EXISTS temp.cat_facts; DROP TABLE IF EXISTS temp.cat_base;
      CREATE TEMP TABLE cat_base AS SELECT ${select.join(', ')}
        FROM main.customers c LEFT JOIN temp.cat_agg a ON a.customer_id = c.id WHERE ${eligibleSql('c')};
      CREATE TEMP VIEW cat_facts AS SELECT b.*,
        (SELECT group_concat(DISTINCT cat.name) FROM main.customer_categories cc JOIN main.categories cat ON cat.id = cc.category_id
          WHERE cc.customer_id = b.id) AS categories
        FROM temp.cat_base b;`);
  }

  private resetTarget(): void {
    this.db.exec('DROP TABLE IF EXISTS temp.cat_target; CREATE TEMP TABLE cat_target (customer_id INTEGER PRIMARY KEY);');
  }

  /** The target members of a rule category: a compiled filter over temp.cat_facts aliased `f`. */
  targetFromRule(where: { sql: string; params: Record<string, string | number | null> }): number {
    this.resetTarget();
    return this.db.prepare(`INSERT INTO temp.cat_target SELECT f.id FROM temp.cat_facts f WHERE ${where.sql}`).run(where.params).changes;
  }

  targetFromFollowups(): number {
    this.resetTarget();
    return this.db.prepare('INSERT OR IGNORE INTO temp.cat_target SELECT customer_id FROM temp.cat_followup ORDER BY customer_id').run().changes;
  }

  targetFromRfm(categoryId: number): number {
    this.resetTarget();
    return this.db.prepare('INSERT INTO temp.cat_target SELECT customer_id FROM temp.cat_rfm WHERE category_id = ? ORDER BY customer_id').run(categoryId).changes;
  }

  /**
   * Effective membership changes if the category's `by` assignments became
   * exactly temp.cat_target: entering means not in the category at all before
   * (a manual tag already counts as in); leaving means losing the last
   * assignment. Archived and restricted customers never leave: they are frozen.
   */
  diff(categoryId: number, by: AssignedBy, sample: number | null): MembershipDiff {
    const p = { cat: categoryId, by };
    const entering = `FROM temp.cat_target t WHERE NOT EXISTS (SELECT 1 FROM main.customer_categories cc WHERE cc.customer_id = t.customer_id AND cc.category_id = @cat)`;
    const leaving = `FROM main.customer_categories cc JOIN main.customers c ON c.id = cc.customer_id
      WHERE cc.category_id = @cat AND cc.assigned_by = @by AND ${eligibleSql('c')}
        AND NOT EXISTS (SELECT 1 FROM temp.cat_target t WHERE t.customer_id = cc.customer_id)
        AND NOT EXISTS (SELECT 1 FROM main.customer_categories o WHERE o.customer_id = cc.customer_id AND o.category_id = @cat AND o.assigned_by <> @by)`;
    const count = (from: string): number => (this.db.prepare(`SELECT count(*) AS n ${from}`).get(p) as { n: number }).n;
    const ids = (col: string, from: string): number[] =>
      sample === 0 ? [] : (this.db.prepare(`SELECT ${col} ${from} ORDER BY 1 LIMIT @limit`).pluck().all({ ...p, limit: sample ?? -1 }) as number[]);
    return { entered: count(entering), left: count(leaving), enteredIds: ids('t.customer_id', entering), leftIds: ids('cc.customer_id', leaving) };
  }

  /** Writes only what changed: `by` assignments out of the target go, new ones come; other assignments are untouched. */
  apply(categoryId: number, by: AssignedBy, at: string): { inserted: number; deleted: number } {
    const p = { cat: categoryId, by };
    const deleted = this.db
      .prepare(
        `DELETE FROM main.customer_categories WHERE category_id = @cat AND assigned_by = @by AND customer_id IN (
           SELECT cc.customer_id FROM main.customer_categories cc JOIN main.customers c ON c.id = cc.customer_id
            WHERE cc.category_id = @cat AND cc.assigned_by = @by AND ${eligibleSql('c')}
              AND NOT EXISTS (SELECT 1 FROM temp.cat_target t WHERE t.customer_id = cc.customer_id))`,
      )
      .run(p).changes;
    const inserted = this.db
      .prepare(
        `INSERT INTO main.customer_categories (customer_id, category_id, assigned_by, assigned_at)
         SELECT t.customer_id, @cat, @by, @at FROM temp.cat_target t
          WHERE NOT EXISTS (SELECT 1 FROM main.customer_categories cc WHERE cc.customer_id = t.customer_id AND cc.category_id = @cat AND cc.assigned_by = @by)`,
      )
      .run({ ...p, at }).changes;
    return { inserted, deleted };
  }

  /** Distinct members of a category among eligible customers. */
  memberCount(categoryId: number): number {
    return (
      this.db
        .prepare(`SELECT count(DISTINCT cc.customer_id) AS n FROM main.customer_categories cc JOIN main.customers c ON c.id = cc.customer_id
          WHERE cc.category_id = ? AND ${eligibleSql('c')}`)
        .get(categoryId) as { n: number }
    ).n;
  }

  dropTemp(): void {
    this.db.exec(`DROP VIEW IF EXISTS temp.cat_facts;
      DROP TABLE IF EXISTS temp.cat_base; DROP TABLE IF EXISTS temp.cat_target; DROP TABLE IF EXISTS temp.cat_rfm;
      DROP TABLE IF EXISTS temp.cat_rfm_map; DROP TABLE IF EXISTS temp.cat_followup; DROP TABLE IF EXISTS temp.cat_status;
      DROP TABLE IF EXISTS temp.cat_agg; DROP TABLE IF EXISTS temp.cat_touch;`);
  }
}
