import type { Sale } from '../../core/model.js';
import type { Db } from '../port.js';
import { dialectOf } from '../dialect.js';
import { saleFromRow, type SaleRow } from '../rows.js';

export type NewSale = Omit<Sale, 'id' | 'createdAt' | 'updatedAt'>;

export class SalesRepo {
  private readonly insertStmt;
  private readonly byCustomer;
  private readonly byNumber;

  constructor(db: Db) {
    this.insertStmt = db.prepare(`INSERT INTO sales (customer_id, kind, number, issued_on, due_on, amount_cents, currency, status, label, source, created_at, updated_at)
      VALUES (@customer_id, @kind, @number, @issued_on, @due_on, @amount_cents, @currency, @status, @label, @source, @at, @at)${dialectOf(db).returningId}`);
    this.byCustomer = db.prepare('SELECT * FROM sales WHERE customer_id = ? ORDER BY issued_on, id');
    this.byNumber = db.prepare('SELECT * FROM sales WHERE kind = ? AND number = ?');
  }

  insert(s: NewSale, at: string): number {
    return Number(
      this.insertStmt.run({
        customer_id: s.customerId,
        kind: s.kind,
        number: s.number,
        issued_on: s.issuedOn,
        due_on: s.dueOn,
        amount_cents: s.amountCents,
        currency: s.currency,
        status: s.status,
        label: s.label,
        source: s.source,
        at,
      }).lastInsertRowid,
    );
  }

  forCustomer(customerId: number): Sale[] {
    return (this.byCustomer.all(customerId) as SaleRow[]).map(saleFromRow);
  }

  findByNumber(kind: string, number: string): Sale | undefined {
    const row = this.byNumber.get(kind, number) as SaleRow | undefined;
    return row && saleFromRow(row);
  }
}
