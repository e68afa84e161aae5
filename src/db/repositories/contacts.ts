import type { Contact } from '../../core/model.js';
import type { Db } from '../port.js';
import { dialectOf } from '../dialect.js';
import { contactFromRow, type ContactRow } from '../rows.js';

export type NewContact = Omit<Contact, 'id' | 'createdAt' | 'updatedAt'>;

export class ContactsRepo {
  private readonly insertStmt;
  private readonly byCustomer;
  private readonly byEmail;
  private readonly updateStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(`INSERT INTO contacts
      (customer_id, civility, first_name, last_name, role, email, email_norm, phone, phone_e164, notes, created_at, updated_at)
      VALUES (@customer_id, @civility, @first_name, @last_name, @role, @email, @email_norm, @phone, @phone_e164, @notes, @at, @at)${dialectOf(db).returningId}`);
    this.byCustomer = db.prepare('SELECT * FROM contacts WHERE customer_id = ? ORDER BY id');
    this.byEmail = db.prepare('SELECT * FROM contacts WHERE email_norm = ? ORDER BY id');
    this.updateStmt = db.prepare(`UPDATE contacts SET civility = @civility, first_name = @first_name, last_name = @last_name, role = @role,
      email = @email, email_norm = @email_norm, phone = @phone, phone_e164 = @phone_e164, notes = @notes, updated_at = @at WHERE id = @id`);
  }

  insert(c: NewContact, at: string): number {
    return Number(
      this.insertStmt.run({
        customer_id: c.customerId,
        civility: c.civility,
        first_name: c.firstName,
        last_name: c.lastName,
        role: c.role,
        email: c.email,
        email_norm: c.emailNorm,
        phone: c.phone,
        phone_e164: c.phoneE164,
        notes: c.notes,
        at,
      }).lastInsertRowid,
    );
  }

  /** Rewrites a contact's own fields (its file stays the same). */
  update(id: number, c: Omit<NewContact, 'customerId'>, at: string): void {
    this.updateStmt.run({
      id, civility: c.civility, first_name: c.firstName, last_name: c.lastName, role: c.role, email: c.email,
      email_norm: c.emailNorm, phone: c.phone, phone_e164: c.phoneE164, notes: c.notes, at,
    });
  }

  forCustomer(customerId: number): Contact[] {
    return (this.byCustomer.all(customerId) as ContactRow[]).map(contactFromRow);
  }

  findByEmailNorm(emailNorm: string): Contact[] {
    return (this.byEmail.all(emailNorm) as ContactRow[]).map(contactFromRow);
  }
}
