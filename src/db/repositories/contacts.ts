import type { Contact } from '../../core/model.js';
import { COLUMN } from '../columns.js';
import type { Db } from '../open.js';
import { CONTACT_COLUMNS, contactFromRow, contactParams, type ContactRow } from '../rows.js';

export type NewContact = Omit<Contact, 'id' | 'createdAt' | 'updatedAt'>;

export class ContactsRepo {
  private readonly insertStmt;
  private readonly byCustomer;
  private readonly byEmail;
  private readonly updateStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(`INSERT INTO contacts (customer_id, ${CONTACT_COLUMNS.join(', ')}, created_at, updated_at)
      VALUES (@customer_id, ${CONTACT_COLUMNS.map((c) => `@${c}`).join(', ')}, @at, @at)`);
    this.byCustomer = db.prepare('SELECT * FROM contacts WHERE customer_id = ? ORDER BY id');
    this.byEmail = db.prepare(`SELECT * FROM contacts WHERE ${COLUMN.emailNorm} = ? ORDER BY id`);
    this.updateStmt = db.prepare(`UPDATE contacts SET ${CONTACT_COLUMNS.map((c) => `${c} = @${c}`).join(', ')}, updated_at = @at WHERE id = @id`);
  }

  insert(c: NewContact, at: string): number {
    return Number(this.insertStmt.run({ ...contactParams(c), customer_id: c.customerId, at }).lastInsertRowid);
  }

  /** Rewrites a contact's own fields (its file stays the same). */
  update(id: number, c: Omit<NewContact, 'customerId'>, at: string): void {
    this.updateStmt.run({ ...contactParams(c), id, at });
  }

  forCustomer(customerId: number): Contact[] {
    return (this.byCustomer.all(customerId) as ContactRow[]).map(contactFromRow);
  }

  findByEmailNorm(emailNorm: string): Contact[] {
    return (this.byEmail.all(emailNorm) as ContactRow[]).map(contactFromRow);
  }
}
