import type { Ctx } from '../context.js';
import type { Contact } from '../model.js';
import { CONTACT_OF, contactUid } from '../export/vcard-cards.js';
import { cleanText, normaliseEmail, normalisePhone } from '../normalise/index.js';
import type { NewContact } from '../../db/repositories/contacts.js';
import { CONTACT_TEXT, type ContactProp } from '../fields/catalogue.js';
import type { RecordBatch, TableBook } from '../../io/read/types.js';

/**
 * The named contacts of a company come out of `export --format vcard` as
 * cards of their own, linked to their company's card by X-CARNET-CONTACT-OF
 * (its uid). On import such a card is a contact of that company, not a
 * customer: it is taken out of the records before they reach the customer
 * pipeline, and applied after the customers (so a company in the same file
 * exists by then). A card whose company is neither in the database nor in
 * the file stays a customer, with a note: nothing is dropped.
 */

/** How contact cards went, beside the customer counts (which never include them). */
export interface ContactCardCounts {
  /** Cards linked to a company found in the database or the file. */
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Linked cards whose company could not be found: imported as customers (counted there too). */
  kept_as_customers: number;
}

interface LinkedCard {
  line: number;
  companyUid: string;
  uid: string;
  contact: Omit<NewContact, 'customerId'>;
}

export interface ContactCards {
  /** The book without the linked cards. */
  book: TableBook;
  /** Filled as the book's records are read. */
  linked: LinkedCard[];
  counts: ContactCardCounts;
}

const bare = (v: string | undefined): string => (v ?? '').trim().replace(/^urn:uuid:/i, '');

/** The customer a company uid designates: carnet's own uid, or (in another database) the external id it was imported as. */
function companyOf(ctx: Ctx, uid: string): number | null {
  for (const u of uid === uid.toLowerCase() ? [uid] : [uid, uid.toLowerCase()]) {
    const own = ctx.store.customers.getByUid(u);
    if (own) return own.id;
    const ext = ctx.store.customers.findByExternalIdAnySource(u)[0];
    if (ext) return ext.id;
  }
  return null;
}

function contactOf(header: string[], r: string[]): Omit<NewContact, 'customerId'> {
  const col = (name: string): string | null => {
    const i = header.indexOf(name);
    return i < 0 ? null : cleanText(r[i]);
  };
  const email = normaliseEmail(col('EMAIL'));
  const rawPhone = col('TEL (cell)') ?? col('TEL');
  let phone: { display: string | null; e164: string | null } = { display: rawPhone, e164: null };
  try {
    const p = normalisePhone(rawPhone);
    if (p) phone = { display: p.display, e164: p.e164 };
  } catch {
    // A phone carnet cannot read is kept as written.
  }
  // The text fields from the card properties the vcard import preset reads them from (N prefix, N given, NOTE…).
  const texts = Object.fromEntries(CONTACT_TEXT.map((e) => [e.prop, col(e.importAs?.vcard?.[0] ?? '')])) as Record<string, string | null>;
  // A card without N (a name written in FN only) names its contact by FN.
  if (texts.firstName === null && texts.lastName === null) texts.lastName = col('FN');
  return {
    ...(texts as Pick<NewContact, ContactProp>), role: col('TITLE'),
    email: email?.email ?? col('EMAIL'), emailNorm: email?.emailNorm ?? null, phone: phone.display, phoneE164: phone.e164,
  };
}

/** Splits an address book's records: cards linked to a known company are set aside as contacts. */
export function splitContactCards(ctx: Ctx, book: TableBook, notes: string[]): ContactCards {
  const counts: ContactCardCounts = { read: 0, inserted: 0, updated: 0, unchanged: 0, kept_as_customers: 0 };
  const linked: LinkedCard[] = [];
  const header = book.sheets[0]?.records[0] ?? [];
  const link = header.indexOf(CONTACT_OF);
  const uidCol = header.indexOf('UID');
  if (link < 0) return { book, linked, counts };
  const records = async function* (sheet: number, afterRow: number): AsyncGenerator<RecordBatch> {
    // An address book is read whole by its reader already: gather it to know the companies the file holds.
    const batches: RecordBatch[] = [];
    for await (const b of book.records(sheet, afterRow)) batches.push(b);
    const inFile = new Set<string>();
    for (const b of batches) for (const r of b.records) if (bare(r[link]) === '' && uidCol >= 0 && bare(r[uidCol]) !== '') inFile.add(bare(r[uidCol]).toLowerCase());
    for (const b of batches) {
      const keep: RecordBatch = { records: [], rows: [], warnings: b.warnings };
      b.records.forEach((r, i) => {
        const company = bare(r[link]);
        const line = b.rows[i] ?? 0;
        if (company !== '' && (inFile.has(company.toLowerCase()) || companyOf(ctx, company) !== null)) {
          linked.push({ line, companyUid: company, uid: bare(uidCol >= 0 ? r[uidCol] : ''), contact: contactOf(header, r) });
          counts.read++;
          return;
        }
        if (company !== '') {
          counts.kept_as_customers++;
          notes.push(`card at line ${line} is a contact of company ${company}, which is neither in the database nor in the file: imported as a customer`);
        }
        keep.records.push(r);
        keep.rows.push(line);
      });
      yield keep;
    }
  };
  return { book: { ...book, records }, linked, counts };
}

const same = (a: Contact, b: Omit<NewContact, 'customerId'>): boolean =>
  CONTACT_TEXT.every((e) => a[e.prop as ContactProp] === b[e.prop as ContactProp]) && a.role === b.role &&
  (a.emailNorm ?? a.email) === (b.emailNorm ?? b.email) &&
  (a.phoneE164 !== null || b.phoneE164 !== null ? a.phoneE164 === b.phoneE164 : a.phone === b.phone);

const nameKey = (c: { firstName: string | null; lastName: string | null }): string => `${c.firstName ?? ''}\u0000${c.lastName ?? ''}`.toLowerCase();

/**
 * Applies the contact cards, after the customers (same transaction). A card
 * is the contact its UID was derived from (same database), else the
 * contact of the same name on that company (another database, where ids
 * differ); same fields → unchanged, else updated; none → inserted. A dry
 * run only counts.
 */
export function applyContactCards(ctx: Ctx, cards: ContactCards, at: string, write: boolean, run: number | null, notes: string[]): void {
  const touched = new Set<number>();
  for (const card of cards.linked) {
    const companyId = companyOf(ctx, card.companyUid);
    const company = companyId === null ? undefined : ctx.store.customers.get(companyId);
    if (!company) {
      // In the file, but merged away or not written (a dry run of a fresh file): counted as to insert.
      if (write) notes.push(`card at line ${card.line}: its company ${card.companyUid} was not imported, so the contact was not either`);
      else cards.counts.inserted++;
      continue;
    }
    const existing = ctx.store.contacts.forCustomer(company.id);
    const found = existing.find((c) => contactUid(company.uid, c.id) === card.uid.toLowerCase()) ?? existing.find((c) => nameKey(c) === nameKey(card.contact));
    if (found && same(found, card.contact)) {
      cards.counts.unchanged++;
      continue;
    }
    if (found) cards.counts.updated++;
    else cards.counts.inserted++;
    if (!write) continue;
    const id = found ? found.id : ctx.store.contacts.insert({ ...card.contact, customerId: company.id }, at);
    if (found) ctx.store.contacts.update(found.id, card.contact, at);
    touched.add(company.id);
    ctx.store.audit.record({ at, action: found ? 'contact.update' : 'contact.add', subject: company.uid, actor: ctx.actor ?? null, details: { contact_id: id, run } });
  }
  for (const id of touched) ctx.store.customers.update(id, {}, at);
}
