import type { AssignedBy, Category, CategoryKind } from '../../core/model.js';
import type { Db } from '../port.js';
import { dialectOf } from '../dialect.js';
import { categoryFromRow, type CategoryRow } from '../rows.js';
import { JSON_IDS, eligibleSql } from './categorise-sql.js';
import { cols, COLUMN, type Columns } from '../columns.js';
import { PHONE_PROPS, type CatalogueProp, type PhoneProp } from '../../core/fields/catalogue.js';

const SELECT = `SELECT c.id, c.name, c.description, c.kind, c.created_at, r.expression
  FROM categories c LEFT JOIN category_rules r ON r.category_id = c.id`;

/** A category with its member counts among active customers (not archived), by who assigned them. */
export interface CategoryCounts {
  category: Category;
  members: number;
  byAssigner: Partial<Record<AssignedBy, number>>;
}

/** What a listing of customers needs to name them. */
export type CustomerNameRow = Columns<'companyName' | 'firstName' | 'lastName' | 'email' | PhoneProp> & {
  id: number;
  uid: string;
  [COLUMN.kind]: string;
};

/** Its fields: what displayName reads, and every typed phone (the listing shows the first one filled). */
export const CUSTOMER_NAME_PROPS: readonly CatalogueProp[] = [COLUMN.kind, 'companyName', 'firstName', 'lastName', COLUMN.email, ...PHONE_PROPS];

/**
 * Categories and their rules, beyond the shared CategoriesRepo (which tagging
 * uses): rule storage, kinds, removal, counts. Never commits: the core
 * services hold the transaction.
 */
export class CategoriseRepo {
  constructor(private readonly db: Db) {}

  findByName(name: string): Category | undefined {
    const row = this.db.prepare(`${SELECT} WHERE ${dialectOf(this.db).nocaseEq('c.name', '?')}`).get(name) as CategoryRow | undefined;
    return row && categoryFromRow(row);
  }

  get(id: number): Category | undefined {
    const row = this.db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as CategoryRow | undefined;
    return row && categoryFromRow(row);
  }

  create(name: string, kind: CategoryKind, description: string | null, at: string): number {
    return Number(
      this.db.prepare(`INSERT INTO categories (name, description, kind, created_at) VALUES (@name, @description, @kind, @at)${dialectOf(this.db).returningId}`).run({ name, description, kind, at })
        .lastInsertRowid,
    );
  }

  setRule(categoryId: number, expression: string | null, at: string): void {
    if (expression === null) this.db.prepare('DELETE FROM category_rules WHERE category_id = ?').run(categoryId);
    else
      this.db
        .prepare(
          `INSERT INTO category_rules (category_id, expression, updated_at) VALUES (@id, @expression, @at)
           ON CONFLICT (category_id) DO UPDATE SET expression = excluded.expression, updated_at = excluded.updated_at`,
        )
        .run({ id: categoryId, expression, at });
  }

  setKind(categoryId: number, kind: CategoryKind): void {
    this.db.prepare('UPDATE categories SET kind = ? WHERE id = ?').run(kind, categoryId);
  }

  setDescription(categoryId: number, description: string | null): void {
    this.db.prepare('UPDATE categories SET description = ? WHERE id = ?').run(description, categoryId);
  }

  /** Removes one kind of assignment from a category (e.g. the rule's when its rule goes); returns how many. */
  unassignAll(categoryId: number, by: AssignedBy): number {
    return this.db.prepare('DELETE FROM customer_categories WHERE category_id = ? AND assigned_by = ?').run(categoryId, by).changes;
  }

  /** Deletes the category; its memberships and rule go with it (ON DELETE CASCADE). */
  remove(categoryId: number): void {
    this.db.prepare('DELETE FROM categories WHERE id = ?').run(categoryId);
  }

  /** Categories with a rule, by name. */
  withRules(): Category[] {
    return (this.db.prepare(`${SELECT} WHERE r.expression IS NOT NULL ORDER BY ${dialectOf(this.db).nocase('c.name')}`).all() as CategoryRow[]).map(categoryFromRow);
  }

  ofKind(kind: CategoryKind): Category[] {
    return (this.db.prepare(`${SELECT} WHERE c.kind = ? ORDER BY ${dialectOf(this.db).nocase('c.name')}`).all(kind) as CategoryRow[]).map(categoryFromRow);
  }

  all(): Category[] {
    return (this.db.prepare(`${SELECT} ORDER BY ${dialectOf(this.db).nocase('c.name')}`).all() as CategoryRow[]).map(categoryFromRow);
  }

  /**
   * Every category with its distinct members among customers that are not
   * archived (with eligibleOnly, not restricted either) and, with byAssigner,
   * how many of each kind of assignment. Counted over the covering index,
   * minus the few customers left out, so that it stays fast on millions of
   * memberships.
   */
  counts(opts: { eligibleOnly?: boolean; byAssigner?: boolean } = {}): CategoryCounts[] {
    const out = opts.eligibleOnly ? `NOT (${eligibleSql('cu')})` : 'cu.archived_at IS NOT NULL';
    const members = this.grouped('SELECT category_id, count(DISTINCT customer_id) AS n FROM customer_categories GROUP BY category_id');
    // CROSS JOIN keeps customers outside: one scan finds the few left out, then their memberships by key.
    const outMembers = this.grouped(`SELECT cc.category_id, count(DISTINCT cc.customer_id) AS n
      FROM customers cu ${dialectOf(this.db).orderedJoin} customer_categories cc ON cc.customer_id = cu.id WHERE ${out} GROUP BY cc.category_id`);
    const byAssigner = new Map<number, Partial<Record<AssignedBy, number>>>();
    if (opts.byAssigner) {
      const rows = this.db.prepare('SELECT category_id AS id, assigned_by AS by, count(*) AS n FROM customer_categories GROUP BY 1, 2').all() as { id: number; by: AssignedBy; n: number }[];
      const outRows = this.db
        .prepare(`SELECT cc.category_id AS id, cc.assigned_by AS by, count(*) AS n FROM customers cu ${dialectOf(this.db).orderedJoin} customer_categories cc ON cc.customer_id = cu.id WHERE ${out} GROUP BY 1, 2`)
        .all() as { id: number; by: AssignedBy; n: number }[];
      for (const [r, sign] of [...rows.map((x) => [x, 1] as const), ...outRows.map((x) => [x, -1] as const)]) {
        const m = byAssigner.get(r.id) ?? {};
        m[r.by] = (m[r.by] ?? 0) + sign * r.n;
        if (m[r.by] === 0) delete m[r.by];
        byAssigner.set(r.id, m);
      }
    }
    return this.all().map((category) => ({
      category,
      members: (members.get(category.id) ?? 0) - (outMembers.get(category.id) ?? 0),
      byAssigner: byAssigner.get(category.id) ?? {},
    }));
  }

  private grouped(sql: string): Map<number, number> {
    return new Map((this.db.prepare(sql).raw().all() as [number, number][]).map(([id, n]) => [id, n]));
  }

  customerNames(ids: readonly number[]): CustomerNameRow[] {
    if (ids.length === 0) return [];
    return this.db
      .prepare(`SELECT id, uid, ${cols(null, ...CUSTOMER_NAME_PROPS)} FROM customers WHERE id IN ${JSON_IDS(dialectOf(this.db))} ORDER BY id`)
      .all({ ids: JSON.stringify(ids) }) as CustomerNameRow[];
  }
}
