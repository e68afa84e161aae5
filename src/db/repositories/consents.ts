import type { Consent } from '../../core/model.js';
import type { Db } from '../port.js';
import { dialectOf } from '../dialect.js';
import { consentFromRow, type ConsentRow } from '../rows.js';

export type NewConsent = Omit<Consent, 'id'>;

export class ConsentsRepo {
  private readonly insertStmt;
  private readonly byCustomer;

  constructor(db: Db) {
    this.insertStmt = db.prepare(`INSERT INTO consents (customer_id, channel, purpose, state, source, proof, recorded_at)
      VALUES (@customer_id, @channel, @purpose, @state, @source, @proof, @recorded_at)${dialectOf(db).returningId}`);
    // consent_records spells out the shared proof of an imported consent (migration 0005).
    this.byCustomer = db.prepare('SELECT * FROM consent_records WHERE customer_id = ? ORDER BY recorded_at, id');
  }

  insert(c: NewConsent): number {
    return Number(
      this.insertStmt.run({
        customer_id: c.customerId,
        channel: c.channel,
        purpose: c.purpose,
        state: c.state,
        source: c.source,
        proof: c.proof,
        recorded_at: c.recordedAt,
      }).lastInsertRowid,
    );
  }

  forCustomer(customerId: number): Consent[] {
    return (this.byCustomer.all(customerId) as ConsentRow[]).map(consentFromRow);
  }
}
