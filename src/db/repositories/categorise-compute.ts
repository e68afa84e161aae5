import type { Db } from '../port.js';
import { dialectOf, type Dialect } from '../dialect.js';
import { CUSTOMER_NAME_PROPS, type CustomerNameRow } from './categorise.js';
import {
  clientSale,
  departmentSql,
  eligibleSql,
  foldSql,
  lastTouchSql,
  lifecycleSql,
  MANAGED_STATUSES,
  purchaseSale,
  revenueSale,
  unpaidSale,
} from './categorise-sql.js';
import { cols, COLUMN } from '../columns.js';

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

/** Who categorise considers, by status, and the status changes it makes. */
export interface Census {
  population: { eligible: number; archived: number; restricted: number };
  statuses: { status: string; count: number }[];
  transitions: { from: string; to: string; count: number }[];
}

export interface StatusChangeRow {
  id: number;
  old_status: string;
  new_status: string;
}

/** What the rules read, decided by the core from the filter catalogue. */
export interface FactsColumns {
  /** customer_facts columns the rules use. */
  columns: readonly string[];
  /** Those the filter compares through carnet_fold (text): stored folded once. */
  folded: ReadonlySet<string>;
}

/** Columns of customer_facts that are not customers columns, as the set-based facts compute them. */
const DERIVED: Readonly<Record<string, string>> = {
  department: departmentSql('c'),
  revenue: 'coalesce(a.revenue_cents, 0) / 100.0',
  orders: 'coalesce(a.orders, 0)',
  last_purchase_at: 'a.last_purchase_at',
  unpaid_cents: 'coalesce(a.unpaid_cents, 0)',
};

/**
 * Set-based computation for `carnet categorise` and `carnet followups`.
 *
 * The `customer_facts` view computes each customer's sales facts with
 * correlated subqueries: right for a page of `list`, far too slow for a
 * million customers times twenty rules. Here each run reads every table once:
 * sales and interactions are aggregated into TEMP tables, then one scan of
 * customers builds temp.cat_base — the lifecycle columns (cat_*) plus exactly
 * the customer_facts columns the rules use, text stored folded — which
 * everything else reads. Rules run against the TEMP view temp.cat_facts, with
 * customer_facts' column names. Statements are prepared per run because the
 * TEMP tables they read are created (and, for a dry run, rolled back) with it.
 */
export class CategoriseComputeRepo {
  private readonly d: Dialect;

  constructor(private readonly db: Db) {
    this.d = dialectOf(db);
    // Temp tables in memory. SQLite refuses the change inside a transaction
    // (and it would drop existing temp objects): then they stay on disk, slower only.
    if (this.d.engine === 'sqlite' && !db.inTransaction) db.pragma('temp_store = MEMORY');
  }

  /** The statements name temp tables SQLite's way (temp.x, main.x): the dialect places them, and types their DDL. */
  private prep(sql: string) {
    return this.db.prepare(this.d.tempSql(sql));
  }

  private exec(sql: string): void {
    this.db.exec(this.d.tempDdl(this.d.tempSql(sql)));
  }

  /**
   * A page cache big enough for the membership b-trees of a million
   * customers (256 MB, used only as pages are read): a first run writes
   * millions of memberships and would otherwise spill mid-transaction.
   */
  useLargeCache(): void {
    if (this.d.engine === 'sqlite') this.db.pragma('cache_size = -262144');
  }

  /** Per-customer sales and interaction aggregates, one pass over each table. */
  prepareAggregates(): void {
    // PostgreSQL's default work_mem (4 MB) is too small for a hundred thousand groups: the
    // aggregates and the sorts of this run spill to disk. SET LOCAL: for this transaction only.
    if (this.d.engine !== 'sqlite' && this.db.inTransaction) this.db.exec("SET LOCAL work_mem = '64MB'");
    this.exec(`
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
    this.analyse('cat_agg', 'cat_touch');
  }

  /** Statistics once a temp table is filled, where the engine plans with them (see Dialect.analyseTemp). */
  private analyse(...tables: string[]): void {
    const sql = this.d.analyseTemp(tables);
    if (sql !== null) this.db.exec(sql);
  }

  /**
   * One scan of customers into temp.cat_base: cat_out (0 eligible, 1
   * archived, 2 restricted), cat_was (the stored status), cat_status (the
   * status computed from the sales as of @former_limit, for eligible
   * customers; the stored one for the others), cat_created and cat_contact
   * (days), and the rule columns (`status` is the computed one: rules see the
   * statuses this run writes). Archived and restricted ids also go to
   * temp.cat_frozen, which keeps their memberships as they are.
   */
  prepareBase(facts: FactsColumns, formerLimit: string): void {
    const known = new Set((this.db.prepare(this.d.columnsSql).all('customers') as { name: string }[]).map((r) => r.name));
    const stored = `c.${COLUMN.status}`;
    const status = `CASE WHEN ${eligibleSql('c')} THEN ${lifecycleSql(stored, 'a')} ELSE ${stored} END`;
    const names = ['id', 'cat_out', 'cat_was', 'cat_status', 'cat_created', 'cat_contact'];
    const select = [
      'c.id',
      'CASE WHEN c.archived_at IS NOT NULL THEN 1 WHEN c.restricted_at IS NOT NULL THEN 2 ELSE 0 END',
      stored,
      status,
      'substr(c.created_at, 1, 10)',
      'substr(c.last_contact_at, 1, 10)',
    ];
    for (const col of new Set(facts.columns)) {
      if (col === 'id' || col === 'categories') continue;
      const expr = col === COLUMN.status ? status : (DERIVED[col] ?? (known.has(col) ? `c.${col}` : undefined));
      if (expr === undefined) throw new Error(`categorise: unknown facts column ${JSON.stringify(col)}`);
      names.push(col);
      if (!facts.folded.has(col)) select.push(expr);
      // A computed status is one of the managed ones, already folded: only a person's own status needs folding.
      else if (col === COLUMN.status) select.push(`CASE WHEN ${eligibleSql('c')} AND ${stored} IN ${MANAGED_STATUSES} THEN ${status} ELSE ${foldSql(stored)} END`);
      // The département is cut from the postal code: ASCII when the postal code is.
      else select.push(foldSql(`(${expr})`, col === 'department' ? `c.${COLUMN.postalCode}` : `(${expr})`));
    }
    this.exec(`DROP VIEW IF EXISTS temp.cat_facts; DROP TABLE IF EXISTS temp.cat_base; DROP TABLE IF EXISTS temp.cat_frozen;
      CREATE TEMP TABLE cat_base (id INTEGER PRIMARY KEY, ${names.slice(1).map((n) => this.baseColumn(n)).join(', ')});`);
    this.prep(
        `INSERT INTO temp.cat_base (${names.join(', ')}) SELECT ${select.join(', ')}
         FROM main.customers c LEFT JOIN temp.cat_agg a ON a.customer_id = c.id ORDER BY c.id`,
      )
      .run({ former_limit: formerLimit });
    this.analyse('cat_base');
    this.exec(`CREATE TEMP TABLE cat_frozen (id INTEGER PRIMARY KEY, archived INTEGER NOT NULL);
      INSERT INTO temp.cat_frozen SELECT id, CASE WHEN cat_out = 1 THEN 1 ELSE 0 END FROM temp.cat_base WHERE cat_out <> 0;
      CREATE TEMP VIEW cat_facts AS SELECT b.*, ${this.categoriesSql()} AS categories
        FROM temp.cat_base b;`);
  }

  /** The categories column of customer_facts, as the view of each engine writes it. */
  private categoriesSql(): string {
    return this.d.engine === 'sqlite'
      ? `(SELECT group_concat(DISTINCT cat.name) FROM main.customer_categories cc JOIN main.categories cat ON cat.id = cc.category_id
          WHERE cc.customer_id = b.id)`
      : `(SELECT ${this.d.groupConcat('cat.name', "','", 'cat.id')} FROM categories cat
          WHERE cat.id IN (SELECT cc.category_id FROM customer_categories cc WHERE cc.customer_id = b.id))`;
  }

  /** A column of temp.cat_base: untyped on SQLite (values keep their own type); typed on PostgreSQL as customer_facts types it. */
  private baseColumn(name: string): string {
    if (this.d.engine === 'sqlite') return name;
    const type = name === 'cat_out' ? 'integer' : name === 'revenue' ? 'double precision' : name === 'orders' || name === 'unpaid_cents' ? 'bigint' : 'text COLLATE "C"';
    return `${name} ${type}`;
  }

  /**
   * Customers by whether categorise considers them, the eligible ones by
   * status, and the status changes by transition, most first. Once the
   * statuses are written (applyStatusChanges): the stored statuses are then
   * the computed ones, so the eligible ones are counted from customers (on
   * SQLite over the customers_status index; PostgreSQL has none since level 10,
   * which keeps status updates heap-only), minus the few customers left out,
   * without sorting a million rows.
   */
  census(): Census {
    const all = this.prep('SELECT count(*) FROM temp.cat_base').pluck().get() as number;
    const out = this.prep('SELECT count(*) AS n, coalesce(sum(archived), 0) AS archived FROM temp.cat_frozen').get() as { n: number; archived: number };
    const s = COLUMN.status;
    const statuses = this.prep(
        `SELECT ${s}, sum(n) AS count FROM (
           SELECT ${s}, count(*) AS n FROM main.customers GROUP BY ${s}
           UNION ALL
           SELECT b.cat_status, -count(*) FROM temp.cat_frozen z JOIN temp.cat_base b ON b.id = z.id GROUP BY 1) AS u
         GROUP BY ${s} HAVING sum(n) > 0 ORDER BY count DESC, ${s}`,
      )
      .all() as Census['statuses'];
    const transitions = this.prep('SELECT old_status AS "from", new_status AS "to", count(*) AS count FROM temp.cat_status GROUP BY 1, 2 ORDER BY count DESC, 1, 2')
      .all() as Census['transitions'];
    return { population: { eligible: all - out.n, archived: out.archived, restricted: out.n - out.archived }, statuses, transitions };
  }

  /** Eligible customers whose computed status differs from the stored one, into temp.cat_status. */
  computeStatusChanges(): number {
    this.exec(`DROP TABLE IF EXISTS temp.cat_status;
      CREATE TEMP TABLE cat_status (id INTEGER PRIMARY KEY, old_status TEXT NOT NULL, new_status TEXT NOT NULL);`);
    return this.prep(`INSERT INTO temp.cat_status (id, old_status, new_status) SELECT id, cat_was, cat_status FROM temp.cat_base WHERE cat_out = 0 AND ${this.d.notSame('cat_status', 'cat_was')}`)
      .run().changes;
  }

  statusChangeSample(limit: number | null): StatusChangeRow[] {
    return this.prep('SELECT id, old_status, new_status FROM temp.cat_status ORDER BY id LIMIT @limit').all({ limit: limit ?? this.d.noLimit }) as StatusChangeRow[];
  }

  /**
   * Writes only the changed statuses (the base the rules read has them
   * already). OR IGNORE: no constraint can fail (both values are never NULL,
   * no unique column changes), and without it SQLite would copy every
   * customers page the statement touches into a statement journal.
   */
  applyStatusChanges(at: string): number {
    return this.prep(`${this.d.engine === 'sqlite' ? 'UPDATE OR IGNORE' : 'UPDATE'} main.customers SET ${COLUMN.status} = s.new_status, updated_at = @at FROM temp.cat_status s WHERE customers.id = s.id`)
      .run({ at }).changes;
  }

  /**
   * Why each eligible customer must be chased, one row per reason, into
   * temp.cat_followup: a quote still sent after the wait, an unpaid invoice
   * past its due date (issue date + terms when it has none), a client with no
   * contact, sale or interaction since the limit. The status is the computed
   * one (temp.cat_base), so this works before and after the statuses are written.
   */
  computeFollowups(l: RunLimits): number {
    this.exec(`DROP TABLE IF EXISTS temp.cat_followup;
      CREATE TEMP TABLE cat_followup (customer_id INTEGER NOT NULL, reason TEXT NOT NULL, since TEXT NOT NULL,
        number TEXT, amount_cents INTEGER, currency TEXT);`);
    const due = `coalesce(s.due_on, ${this.d.dateAfter('s.issued_on', '@terms')})`;
    const eligible = 'JOIN temp.cat_base b ON b.id = s.customer_id AND b.cat_out = 0';
    return this.prep(
        `INSERT INTO temp.cat_followup
         SELECT s.customer_id, s.kind, CASE WHEN s.kind = 'quote' THEN s.issued_on ELSE ${due} END, s.number, s.amount_cents, s.currency
           FROM main.sales s ${eligible}
          WHERE (s.kind = 'quote' AND s.status = 'sent' AND s.issued_on <= @quote_limit)
             OR (s.kind = 'invoice' AND s.status = 'unpaid' AND ${due} < @invoice_limit)
         UNION ALL
         SELECT id, 'no_contact', touch, NULL, NULL, NULL FROM (
           SELECT b.id, b.cat_status AS lifecycle, ${lastTouchSql(this.d, 'b.cat_contact', 'b.cat_created', 'a', 't')} AS touch
             FROM temp.cat_base b LEFT JOIN temp.cat_agg a ON a.customer_id = b.id LEFT JOIN temp.cat_touch t ON t.customer_id = b.id
            WHERE b.cat_out = 0) AS x
          WHERE lifecycle = 'client' AND touch < @contact_limit`,
      )
      .run({
        quote_limit: l.quoteLimit,
        invoice_limit: l.invoiceLimit,
        terms: `+${Math.trunc(l.invoiceTermsDays)} days`,
        contact_limit: l.contactLimit,
      }).changes;
  }

  /** The reasons, oldest first, with what naming the customer takes (one join, no second query by ids); `limit`: the oldest customers. */
  followupRows(limitCustomers: number | null): (FollowupRow & CustomerNameRow)[] {
    const only =
      limitCustomers === null
        ? ''
        : 'WHERE f.customer_id IN (SELECT customer_id FROM temp.cat_followup GROUP BY customer_id ORDER BY min(since), customer_id LIMIT @limit)';
    return this.prep(
        `SELECT f.*, c.id, c.uid, ${cols('c', ...CUSTOMER_NAME_PROPS)}
         FROM temp.cat_followup f ${this.d.orderedJoin} main.customers c ON c.id = f.customer_id ${only}
         ORDER BY f.since, f.customer_id, f.reason, f.number`,
      )
      .all(limitCustomers === null ? {} : { limit: limitCustomers }) as (FollowupRow & CustomerNameRow)[];
  }

  /** Ids of archived and restricted customers: their memberships stay as they are. */
  frozenIds(): number[] {
    return this.prep('SELECT id FROM temp.cat_frozen ORDER BY id').pluck().all() as number[];
  }

  dropTemp(): void {
    this.exec(`DROP VIEW IF EXISTS temp.cat_facts;
      DROP TABLE IF EXISTS temp.cat_base; DROP TABLE IF EXISTS temp.cat_frozen; DROP TABLE IF EXISTS temp.cat_followup;
      DROP TABLE IF EXISTS temp.cat_status; DROP TABLE IF EXISTS temp.cat_agg; DROP TABLE IF EXISTS temp.cat_touch;
      DROP TABLE IF EXISTS temp.cat_names;`);
  }
}
