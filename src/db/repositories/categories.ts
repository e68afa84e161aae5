import type { AssignedBy, Category, CategoryKind } from '../../core/model.js';
import type { Db } from '../port.js';
import { dialectOf } from '../dialect.js';
import { categoryFromRow, type CategoryRow } from '../rows.js';

const SELECT = `SELECT c.id, c.name, c.description, c.kind, c.created_at, r.expression
  FROM categories c LEFT JOIN category_rules r ON r.category_id = c.id`;

export class CategoriesRepo {
  private readonly byName;
  private readonly insertStmt;
  private readonly assignStmt;
  private readonly unassignStmt;
  private readonly forCustomerStmt;

  private readonly d;

  constructor(private readonly db: Db) {
    this.d = dialectOf(db);
    // Names are unique regardless of ASCII case (COLLATE NOCASE on SQLite, lower(name) on PostgreSQL).
    this.byName = db.prepare(`${SELECT} WHERE ${this.d.engine === 'sqlite' ? 'c.name = ?' : 'lower(c.name) = lower(?)'}`);
    this.insertStmt = db.prepare(`INSERT INTO categories (name, description, kind, created_at) VALUES (@name, @description, @kind, @at)${this.d.returningId}`);
    this.assignStmt = db.prepare(
      this.d.insertOrIgnore('customer_categories (customer_id, category_id, assigned_by, assigned_at) VALUES (@customer_id, @category_id, @by, @at)'),
    );
    this.unassignStmt = db.prepare('DELETE FROM customer_categories WHERE customer_id = @customer_id AND category_id = @category_id AND assigned_by = @by');
    this.forCustomerStmt = db.prepare(`SELECT name, assigned_by FROM (SELECT DISTINCT cat.name, cc.assigned_by FROM customer_categories cc
      JOIN categories cat ON cat.id = cc.category_id WHERE cc.customer_id = ?) AS q ORDER BY ${this.d.nocase('name')}, assigned_by`);
  }

  findByName(name: string): Category | undefined {
    const row = this.byName.get(name) as CategoryRow | undefined;
    return row && categoryFromRow(row);
  }

  create(name: string, at: string, kind: CategoryKind = 'manual', description: string | null = null): Category {
    const id = Number(this.insertStmt.run({ name, description, kind, at }).lastInsertRowid);
    return { id, name, description, kind, rule: null, createdAt: at };
  }

  ensure(name: string, at: string, kind: CategoryKind = 'manual'): Category {
    return this.findByName(name) ?? this.create(name, at, kind);
  }

  /** Returns true when the link is new. */
  assign(customerId: number, categoryId: number, by: AssignedBy, at: string): boolean {
    return this.assignStmt.run({ customer_id: customerId, category_id: categoryId, by, at }).changes > 0;
  }

  unassign(customerId: number, categoryId: number, by: AssignedBy): boolean {
    return this.unassignStmt.run({ customer_id: customerId, category_id: categoryId, by }).changes > 0;
  }

  forCustomer(customerId: number): { name: string; assignedBy: AssignedBy }[] {
    return (this.forCustomerStmt.all(customerId) as { name: string; assigned_by: AssignedBy }[]).map((r) => ({ name: r.name, assignedBy: r.assigned_by }));
  }

  all(): Category[] {
    return (this.db.prepare(`${SELECT} ORDER BY ${this.d.nocase('c.name')}`).all() as CategoryRow[]).map(categoryFromRow);
  }
}
