import type { Interaction } from '../../core/model.js';
import type { Db } from '../port.js';
import { dialectOf } from '../dialect.js';
import { interactionFromRow, type InteractionRow } from '../rows.js';

export type NewInteraction = Omit<Interaction, 'id' | 'createdAt'>;

export class InteractionsRepo {
  private readonly insertStmt;
  private readonly byCustomer;

  constructor(db: Db) {
    this.insertStmt = db.prepare(`INSERT INTO interactions (customer_id, contact_id, kind, direction, occurred_at, summary, source, created_at)
      VALUES (@customer_id, @contact_id, @kind, @direction, @occurred_at, @summary, @source, @created_at)${dialectOf(db).returningId}`);
    this.byCustomer = db.prepare('SELECT * FROM interactions WHERE customer_id = ? ORDER BY occurred_at, id');
  }

  insert(i: NewInteraction, createdAt: string): number {
    return Number(
      this.insertStmt.run({
        customer_id: i.customerId,
        contact_id: i.contactId,
        kind: i.kind,
        direction: i.direction,
        occurred_at: i.occurredAt,
        summary: i.summary,
        source: i.source,
        created_at: createdAt,
      }).lastInsertRowid,
    );
  }

  forCustomer(customerId: number): Interaction[] {
    return (this.byCustomer.all(customerId) as InteractionRow[]).map(interactionFromRow);
  }
}
