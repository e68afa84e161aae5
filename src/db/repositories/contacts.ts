import type { Contact } from '../../core/model.js';
import { COLUMN } from '../columns.js';
import type { Db } from '../open.js';
import { contactFromRow, type ContactRow } from '../rows.js';

export type NewContact = Omit<Contact, 'id' | 'createdAt' | 'updatedAt'>;

/** The catalogue fields a contact has: its columns carry the catalogue's names. */
const CONTACT_FIELDS = ['civility', 'firstName', 'lastName', 'email', 'emailNorm', 'phone', 'phoneE164', 'notes'] as const;
const OWN_COLUMNS = [...CONTACT_FIELDS.map((p) => COLUMN[p]), 'role'];

/** Named parameters of a contact's own fields. */
function params(c: Omit<NewContact, 'customerId'>): Record<string, string | null> {
  const out: Record<string, string | null> = { role: c.role };
  for (const p of CONTACT_FIELDS) out[COLUMN[p]] = c[p];
  return out;
}

export class ContactsRepo {
  private readonly insertStmt;
  private readonly byCustomer;
  private readonly byEmail;
  private readonly updateStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(`INSERT INTO contacts (customer_id, ${OWN_COLUMNS.join(', ')}, created_at, updated_at)
      VALUES (@customer_id, ${OWN_COLUMNS.map((c) => `@${c}`).join(', ')}, @at, @at)`);
    this.byCustomer = db.prepare('SELECT * FROM contacts WHERE customer_id = ? ORDER BY id');
    this.byEmail = db.prepare(`SELECT * FROM contacts WHERE ${COLUMN.emailNorm} = ? ORDER BY id`);
    this.updateStmt = db.prepare(`UPDATE contacts SET ${OWN_COLUMNS.map((c) => `${c} = @${c}`).join(', ')}, updated_at = @at WHERE id = @id`);
  }

  insert(c: NewContact, at: string): number {
    return Number(this.insertStmt.run({ ...params(c), customer_id: c.customerId, at }).lastInsertRowid);
  }

  /** Rewrites a contact's own fields (its file stays the same). */
  update(id: number, c: Omit<NewContact, 'customerId'>, at: string): void {
    this.updateStmt.run({ ...params(c), id, at });
  }

  forCustomer(customerId: number): Contact[] {
    return (this.byCustomer.all(customerId) as ContactRow[]).map(contactFromRow);
  }

  findByEmailNorm(emailNorm: string): Contact[] {
    return (this.byEmail.all(emailNorm) as ContactRow[]).map(contactFromRow);
  }
}
