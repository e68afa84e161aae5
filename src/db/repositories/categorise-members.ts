import type { AssignedBy } from '../../core/model.js';
import type { Db } from '../port.js';
import { dialectOf, type Dialect } from '../dialect.js';
import { withTrustedReferences } from '../trusted-references.js';

const FOLD_CALL = /carnet_fold\(f\.([A-Za-z_][A-Za-z0-9_]*)\)/g;
const CATEGORY_EXISTS =
  'EXISTS (SELECT 1 FROM customer_categories f_cc JOIN categories f_cat ON f_cat.id = f_cc.category_id WHERE f_cc.customer_id = f.id AND carnet_fold(f_cat.name) IN (';
const CATEGORY_IN = 'f.id IN (SELECT f_cc.customer_id FROM customer_categories f_cc JOIN temp.cat_names f_cat ON f_cat.id = f_cc.category_id WHERE f_cat.name IN (';

/**
 * The SQL of a compiled rule (alias `f`), rewritten for a million rows with
 * the same meaning: columns stored folded lose their per-row carnet_fold()
 * (folding is idempotent), and `category "X"` becomes one uncorrelated
 * `f.id IN (…)` set over temp.cat_names (category names folded once) instead
 * of a correlated EXISTS calling carnet_fold() per membership. Anything the
 * patterns do not match is left as compiled: correct, only slower.
 */
export function optimiseRuleSql(sql: string, folded: ReadonlySet<string>): string {
  return sql.replace(FOLD_CALL, (call, col: string) => (folded.has(col) ? `f.${col}` : call)).split(CATEGORY_EXISTS).join(CATEGORY_IN);
}

/** The customers a category should have: `SELECT [DISTINCT] id … FROM from ORDER BY id`. */
interface TargetSql {
  id: string;
  from: string;
  distinct: boolean;
}

/** A membership's category, `by` and time as bound parameters, typed for PostgreSQL (untyped binds are unknown there). */
const CAT = { id: 'CAST(@cat_id AS INTEGER)', by: 'CAST(@cat_by AS TEXT)', at: 'CAST(@cat_at AS TEXT)' } as const;

/** Customers with at least one follow-up reason. */
const FOLLOWUP_TARGET: TargetSql = { id: 'customer_id', from: 'temp.cat_followup', distinct: true };

/** Eligible customers matching a compiled rule over temp.cat_facts. */
function ruleTarget(rule: CompiledRule, folded: ReadonlySet<string>): TargetSql {
  return { id: 'f.id', from: `temp.cat_facts f WHERE f.cat_out = 0 AND ${optimiseRuleSql(rule.sql, folded)}`, distinct: false };
}

/** The target's ids ascending, with `extra` columns after the id. */
function selectTarget(t: TargetSql, extra = ''): string {
  return `SELECT ${t.distinct ? 'DISTINCT ' : ''}${t.id}${extra} FROM ${t.from} ORDER BY ${t.id}`;
}

/** A compiled filter (src/db/filter-sql.ts) with its own parameter names. */
export interface CompiledRule {
  sql: string;
  params: Record<string, string | number | null>;
}

/** How many customers entered and left a category. */
export interface SyncCounts {
  entered: number;
  left: number;
}

/** The quintile bounds of each RFM column: values at the positions the core asked for. */
export interface RfmBounds {
  /** Last purchase as a number yyyymmdd. */
  last: number[];
  orders: number[];
  revenueCents: number[];
}

/** The columns of temp.cat_buyers behind each RFM value. */
const RFM_COLUMNS: Readonly<Record<keyof RfmBounds, string>> = { last: 'last', orders: 'orders', revenueCents: 'revenue' };

/** Purchasers of one segment, its letter bound as @seg. */
const RFM_TARGET: TargetSql = { id: 'id', from: 'temp.cat_rfm WHERE segment = CAST(@seg AS TEXT)', distinct: false };

/**
 * Membership reads and writes for categorise: target ids (sorted) from the
 * TEMP tables of CategoriseComputeRepo, current members (sorted), and writes
 * of exactly the difference the core computed. On SQLite ids travel as
 * plain sorted arrays: a merge in JavaScript costs a fraction of an
 * anti-join per row. On PostgreSQL a real run's difference is written on the
 * server (syncInPlace): there every id would cross the connection's thread.
 */
export class CategoriseMembersRepo {
  private readonly memberStmt;
  private readonly firstMembersStmt;
  private readonly anyMemberStmt;
  private readonly addStmt;
  private readonly removeStmt;

  private readonly d: Dialect;

  /** The statements name temp tables SQLite's way (temp.x): the dialect places them. */
  private prep(sql: string) {
    return this.db.prepare(this.d.tempSql(sql));
  }

  constructor(private readonly db: Db) {
    this.d = dialectOf(db);
    this.memberStmt = db.prepare('SELECT customer_id FROM customer_categories WHERE category_id = ? AND assigned_by = ? ORDER BY customer_id').pluck();
    this.firstMembersStmt = db.prepare('SELECT customer_id FROM customer_categories WHERE category_id = ? AND assigned_by = ? ORDER BY customer_id LIMIT ?').pluck();
    // ORDER BY: PostgreSQL would otherwise scan the table for the first match (it expects one
    // soon), while a run's memberships lie grouped by category; the index finds it at once.
    this.anyMemberStmt = db.prepare('SELECT 1 FROM customer_categories WHERE category_id = ? AND assigned_by = ? ORDER BY customer_id LIMIT 1');
    // Ids go in as one JSON array: a native loop, several times faster than a statement per row.
    // insertNew: see insertTarget (the ids are not members of this kind yet).
    this.addStmt = db.prepare(this.d.insertNew(`customer_categories (customer_id, category_id, assigned_by, assigned_at)
      SELECT value, @cat, @by, @at FROM ${this.d.jsonIds('@ids')} AS j`));
    this.removeStmt = db.prepare(`DELETE FROM customer_categories WHERE category_id = @cat AND assigned_by = @by AND customer_id IN ${this.d.jsonIds('@ids')}`);
  }

  /**
   * Runs fn (which opens its own transaction) with foreign-key checks off and
   * CHECK constraints not evaluated. A first run writes millions of
   * memberships: each foreign-key check looks the customer up in its wide
   * table (half the cost of the write), and the CHECK on assigned_by probes a
   * list for every row (a quarter of what is left). Safe here because every id
   * categorise writes was just read from customers and categories inside the
   * same write transaction, categorise deletes only memberships (nothing
   * cascades from them), and every value a CHECK guards is a constant of
   * carnet's (assigned_by, category kinds) or JSON it serialised itself. The
   * foreign-key pragma is a no-op inside a transaction, hence the wrapper;
   * both are restored whatever happens.
   */
  withoutConstraintChecks<T>(fn: () => T): T {
    if (this.d.engine !== 'sqlite') return fn();
    const checks = this.db.pragma('ignore_check_constraints', { simple: true }) as number;
    const keys = this.db.pragma('foreign_keys', { simple: true }) as number;
    const keysOff = keys === 1 && !this.db.inTransaction;
    if (keysOff) this.db.pragma('foreign_keys = OFF');
    if (checks === 0) this.db.pragma('ignore_check_constraints = ON');
    try {
      return fn();
    } finally {
      if (checks === 0) this.db.pragma('ignore_check_constraints = OFF');
      if (keysOff) this.db.pragma('foreign_keys = ON');
    }
  }

  /**
   * Runs fn (the membership writes, inside the run's transaction) without
   * PostgreSQL's per-statement reference checks: every id categorise writes
   * was read from customers and categories in this transaction, as for
   * withoutConstraintChecks on SQLite. See withTrustedReferences.
   */
  withTrustedMemberships<T>(fn: () => T): T {
    return withTrustedReferences(this.db, ['customer_categories'], fn);
  }

  /** Category names folded once, for the rewritten `category "X"` tests of the rules. */
  prepareCategoryNames(): void {
    this.db.exec(this.d.tempDdl(this.d.tempSql(`DROP TABLE IF EXISTS temp.cat_names; CREATE TEMP TABLE cat_names (id INTEGER PRIMARY KEY, name TEXT);
      INSERT INTO temp.cat_names SELECT id, carnet_fold(name) FROM main.categories;`)));
  }

  /**
   * Eligible customers matching a compiled rule over temp.cat_facts (alias
   * `f`), ascending. One scan per rule: measured faster than one scan
   * returning a bit mask of every rule, which must hand every row to JS.
   */
  ruleTargetIds(rule: CompiledRule, folded: ReadonlySet<string>): number[] {
    return this.prep(selectTarget(ruleTarget(rule, folded))).pluck().all(rule.params) as number[];
  }

  /** Gives a category with no `by` members yet the rule's target, straight from its query; returns how many. */
  insertRuleTarget(categoryId: number, by: AssignedBy, rule: CompiledRule, folded: ReadonlySet<string>, at: string): number {
    return this.insertTarget(ruleTarget(rule, folded), categoryId, by, at, rule.params);
  }

  /**
   * Brings a category that already has `by` members to the rule's target in
   * place, on the server, when the engine does that better than a merge in
   * JavaScript; returns the counts, or null to diff in JavaScript instead.
   */
  syncRuleTarget(categoryId: number, by: AssignedBy, rule: CompiledRule, folded: ReadonlySet<string>, at: string): SyncCounts | null {
    return this.syncInPlace(ruleTarget(rule, folded), categoryId, by, at, rule.params);
  }

  /** The same for the follow-up target. */
  syncFollowupTarget(categoryId: number, by: AssignedBy, at: string): SyncCounts | null {
    return this.syncInPlace(FOLLOWUP_TARGET, categoryId, by, at);
  }

  /** Customers with at least one follow-up reason (temp.cat_followup), ascending. */
  followupTargetIds(): number[] {
    return this.prep(selectTarget(FOLLOWUP_TARGET)).pluck().all() as number[];
  }

  /** Gives a category with no `by` members yet the follow-up target; returns how many. */
  insertFollowupTarget(categoryId: number, by: AssignedBy, at: string): number {
    return this.insertTarget(FOLLOWUP_TARGET, categoryId, by, at);
  }

  /** How many customers have a follow-up reason. */
  followupCount(): number {
    return this.prep('SELECT count(DISTINCT customer_id) FROM temp.cat_followup').pluck().get() as number;
  }

  /**
   * The eligible customers with a purchase and their raw RFM values, into
   * temp.cat_buyers (read once: every later step works on this small table
   * without joining the base again); returns how many.
   */
  prepareBuyers(): number {
    this.db.exec(this.d.tempDdl(this.d.tempSql(`DROP TABLE IF EXISTS temp.cat_buyers;
      CREATE TEMP TABLE cat_buyers (id INTEGER PRIMARY KEY, last INTEGER NOT NULL, orders INTEGER NOT NULL, revenue INTEGER NOT NULL);`)));
    return this.prep(
        `INSERT INTO temp.cat_buyers (id, last, orders, revenue)
         SELECT a.customer_id, coalesce(CAST(replace(substr(a.last_purchase_at, 1, 10), '-', '') AS INTEGER), 0), a.orders, a.revenue_cents
         FROM temp.cat_agg a JOIN temp.cat_base b ON b.id = a.customer_id WHERE a.orders > 0 AND b.cat_out = 0 ORDER BY a.customer_id`,
      )
      .run().changes;
  }

  /**
   * The values at `positions` (1-based, repeats allowed) of each RFM column
   * sorted ascending among the buyers: the quintile bounds the core asks
   * for. One sort per column, in the store; no buyer crosses over.
   */
  buyerValuesAt(positions: readonly number[]): RfmBounds {
    const at = (col: keyof RfmBounds): number[] => {
      if (positions.length === 0) return [];
      // SQLite: its window functions cost three times a plain sort read in process (174 against ~60 ms for 52,000 buyers).
      if (this.d.engine === 'sqlite') {
        const sorted = this.prep(`SELECT ${RFM_COLUMNS[col]} FROM temp.cat_buyers ORDER BY 1`).pluck().all() as number[];
        return positions.map((p) => sorted[p - 1] ?? Number.POSITIVE_INFINITY);
      }
      const rows = this.prep(
          `SELECT k, v FROM (SELECT ${RFM_COLUMNS[col]} AS v, row_number() OVER (ORDER BY ${RFM_COLUMNS[col]}) AS k FROM temp.cat_buyers) AS q
           WHERE k IN ${this.d.jsonIds('@positions')}`,
        )
        .raw()
        .all({ positions: JSON.stringify(positions) }) as [number, number][];
      const byPosition = new Map(rows.map(([k, v]) => [Number(k), Number(v)]));
      return positions.map((p) => byPosition.get(p) ?? Number.POSITIVE_INFINITY);
    };
    return { last: at('last'), orders: at('orders'), revenueCents: at('revenueCents') };
  }

  /**
   * Segments every buyer into temp.cat_rfm: each score is 1 plus the number
   * of its column's bounds the value exceeds, the segment the letter of
   * `cells` at 25·(R−1) + 5·(F−1) + (M−1) (the core's grid, as data).
   */
  prepareSegments(bounds: RfmBounds, cells: string): void {
    const score = (col: keyof RfmBounds): string => {
      const over = bounds[col].map((b) => {
        if (b === Number.POSITIVE_INFINITY) return '0';
        if (!Number.isSafeInteger(b)) throw new Error(`categorise: RFM bound ${b} is not an integer`);
        return `CASE WHEN ${RFM_COLUMNS[col]} > ${b} THEN 1 ELSE 0 END`;
      });
      return ['1', ...over].join(' + ');
    };
    this.db.exec(this.d.tempDdl(this.d.tempSql(`DROP TABLE IF EXISTS temp.cat_rfm; CREATE TEMP TABLE cat_rfm (id INTEGER PRIMARY KEY, segment TEXT NOT NULL);`)));
    this.prep(
        `INSERT INTO temp.cat_rfm (id, segment)
         SELECT id, substr(CAST(@cells AS TEXT), 1 + 25 * (r - 1) + 5 * (f - 1) + (m - 1), 1)
         FROM (SELECT id, ${score('last')} AS r, ${score('orders')} AS f, ${score('revenueCents')} AS m FROM temp.cat_buyers) AS s ORDER BY id`,
      )
      .run({ cells });
  }

  /** Purchasers of one segment (its letter), ascending. */
  segmentTargetIds(letter: string): number[] {
    return this.prep(selectTarget(RFM_TARGET)).pluck().all({ seg: letter }) as number[];
  }

  /** Gives a segment category with no `by` members yet its purchasers; returns how many. */
  insertSegmentTarget(categoryId: number, by: AssignedBy, letter: string, at: string): number {
    return this.insertTarget(RFM_TARGET, categoryId, by, at, { seg: letter });
  }

  /** The same as syncRuleTarget, for a segment. */
  syncSegmentTarget(categoryId: number, by: AssignedBy, letter: string, at: string): SyncCounts | null {
    return this.syncInPlace(RFM_TARGET, categoryId, by, at, { seg: letter });
  }

  /** Current `by` members of a category, ascending; `limit`: the first ones only. */
  memberIds(categoryId: number, by: AssignedBy, limit: number | null = null): number[] {
    return (limit === null ? this.memberStmt.all(categoryId, by) : this.firstMembersStmt.all(categoryId, by, limit)) as number[];
  }

  /** Whether the category has any `by` member, archived and restricted customers included. */
  hasMembers(categoryId: number, by: AssignedBy): boolean {
    return this.anyMemberStmt.get(categoryId, by) !== undefined;
  }

  /**
   * INSERT … SELECT of a target into a category that has no `by` member
   * yet: nothing to diff, and the ids never travel through JavaScript (a
   * first run writes millions of memberships). No row can conflict (none of
   * this kind is there, ids are never NULL, and writers queue one at a time),
   * so the dialect's insertNew: on SQLite OR IGNORE, which changes nothing but
   * tells SQLite the statement cannot stop halfway, so it keeps no statement
   * journal (a copy of every page the statement touches, hundreds of megabytes
   * over a first run); on PostgreSQL a plain INSERT, without ON CONFLICT's
   * speculative insertion of each row.
   */
  private insertTarget(target: TargetSql, categoryId: number, by: AssignedBy, at: string, params: CompiledRule['params'] = {}): number {
    return this.prep(this.d.tempSql(this.d.insertNew(`customer_categories (customer_id, category_id, assigned_by, assigned_at) ${selectTarget(target, `, ${CAT.id}, ${CAT.by}, ${CAT.at}`)}`)))
      .run({ ...params, cat_id: categoryId, cat_by: by, cat_at: at }).changes;
  }

  /**
   * The difference between members and target written by one statement: who
   * left (neither in the target nor frozen) is deleted, who came (in the
   * target, not a member, not frozen) inserted, both against the target as it
   * stood before either write, as the merge in JavaScript sees it. On
   * PostgreSQL each id the merge needs crosses the protocol and the
   * connection's thread (half a million ids a re-run of 100,000 customers:
   * ~1.5 s of carnet's CPU, more than the server's anti-joins); on SQLite the
   * merge is measured faster than an anti-join per row, so it stays there.
   *
   * Nested loops are off for this one statement: right after a first run,
   * before autovacuum has analysed the memberships, the planner takes a
   * category of 100,000 members for nearly empty and anti-joins by a nested
   * loop over the target (a re-run of 100,000 customers took 49 s instead of
   * 4). A hash or merge anti-join is linear whatever the statistics say.
   */
  private syncInPlace(target: TargetSql, categoryId: number, by: AssignedBy, at: string, params: CompiledRule['params'] = {}): SyncCounts | null {
    if (this.d.engine === 'sqlite') return null;
    return this.withoutNestedLoops(() => this.syncStatement(target, categoryId, by, at, params));
  }

  /**
   * Runs fn with PostgreSQL's nested-loop joins disabled, then back to the
   * default, as the dialect's analyseTemp does with its statistics target
   * (carnet sets enable_nestloop nowhere else). SET LOCAL: if fn fails, the
   * transaction's rollback restores it (a statement after the failure would
   * only hide it).
   */
  private withoutNestedLoops<T>(fn: () => T): T {
    this.db.exec('SET LOCAL enable_nestloop = off');
    const result = fn();
    this.db.exec('SET LOCAL enable_nestloop TO DEFAULT');
    return result;
  }

  private syncStatement(target: TargetSql, categoryId: number, by: AssignedBy, at: string, params: CompiledRule['params']): SyncCounts {
    // The members are read once (m), not once per direction: a re-run's cost is these reads.
    const row = this.prep(`WITH t AS MATERIALIZED (SELECT ${target.distinct ? 'DISTINCT ' : ''}${target.id} AS id FROM ${target.from}),
        m AS MATERIALIZED (SELECT customer_id AS id FROM customer_categories WHERE category_id = ${CAT.id} AND assigned_by = ${CAT.by}),
        gone AS (DELETE FROM customer_categories cc WHERE cc.category_id = ${CAT.id} AND cc.assigned_by = ${CAT.by}
          AND cc.customer_id IN (SELECT m.id FROM m WHERE NOT EXISTS (SELECT 1 FROM t WHERE t.id = m.id) AND NOT EXISTS (SELECT 1 FROM temp.cat_frozen z WHERE z.id = m.id))
          RETURNING 1),
        came AS (INSERT INTO customer_categories (customer_id, category_id, assigned_by, assigned_at)
          SELECT t.id, ${CAT.id}, ${CAT.by}, ${CAT.at} FROM t
          WHERE NOT EXISTS (SELECT 1 FROM m WHERE m.id = t.id) AND NOT EXISTS (SELECT 1 FROM temp.cat_frozen z WHERE z.id = t.id)
          ORDER BY t.id RETURNING 1)
      SELECT (SELECT count(*) FROM came) AS entered, (SELECT count(*) FROM gone) AS gone`)
      .get({ ...params, cat_id: categoryId, cat_by: by, cat_at: at }) as { entered: number | string; gone: number | string };
    return { entered: Number(row.entered), left: Number(row.gone) };
  }

  /** Adds `by` assignments (ids ascending, for b-tree locality). */
  add(categoryId: number, by: AssignedBy, ids: readonly number[], at: string): number {
    return ids.length === 0 ? 0 : this.addStmt.run({ cat: categoryId, by, at, ids: JSON.stringify(ids) }).changes;
  }

  remove(categoryId: number, by: AssignedBy, ids: readonly number[]): number {
    return ids.length === 0 ? 0 : this.removeStmt.run({ cat: categoryId, by, ids: JSON.stringify(ids) }).changes;
  }

  /** Distinct members of each category among customers that are not archived: the covering index, minus the archived. */
  memberCounts(): Map<number, number> {
    const all = this.prep('SELECT category_id AS id, count(DISTINCT customer_id) AS n FROM customer_categories GROUP BY category_id').all() as { id: number; n: number }[];
    const archived = this.prep(`SELECT cc.category_id AS id, count(DISTINCT cc.customer_id) AS n FROM temp.cat_frozen z JOIN customer_categories cc ON cc.customer_id = z.id
        WHERE z.archived = 1 GROUP BY cc.category_id`)
      .all() as { id: number; n: number }[];
    const counts = new Map(all.map((r) => [r.id, r.n]));
    for (const r of archived) counts.set(r.id, (counts.get(r.id) ?? 0) - r.n);
    return counts;
  }

  dropTemp(): void {
    this.db.exec(this.d.tempSql('DROP TABLE IF EXISTS temp.cat_names; DROP TABLE IF EXISTS temp.cat_rfm; DROP TABLE IF EXISTS temp.cat_buyers'));
  }
}
