import { isoNow, type Ctx } from '../context.js';
import { CancelledError, NotFoundError } from '../errors.js';
import type { Contact, Customer } from '../model.js';
import { displayName } from '../customers/display.js';
import { cutoffDay, dayAfter } from './duration.js';
import { eraseContactInTx, eraseCustomerInTx, rgpdRepo, uniqueNeedles, type ErasureMode, type ErasureOutcome, type KeptInvoice } from './erase.js';
import { readPolicy } from './policy.js';
import { scrubTraces, type ScrubReport } from './scrub.js';
import { resolveSubject, type Subject } from './subject.js';

/** What `forget` is about to do, shown before asking (on a terminal only: it names the person). */
export interface ForgetPreview {
  subject: 'customer' | 'contact';
  id: number;
  uid: string;
  name: string;
  /** Rows that will go, per table. */
  counts: Record<string, number>;
  keptInvoices: KeptInvoice[];
  keptUntil: string | null;
  merges: number;
  restricted: boolean;
}

/** What was erased: the erasure's own outcome, for a customer or a contact person. */
export interface ForgetResult extends Pick<ErasureOutcome, 'keptInvoices' | 'keptUntil' | 'removed' | 'mergesRemoved' | 'decisionsRemoved' | 'auditRedacted' | 'kept'> {
  subject: 'customer' | 'contact';
  /** The customer's id, or the contact's for a contact person. */
  id: number;
  /** The customer file's uid (for a contact person, the company's, which stays). */
  uid: string;
  mode: ErasureMode | 'contact-erased';
  suppressed: number;
  /** The audit entry's subject: a salted hash of an identifier, never the person's data. */
  auditSubject: string;
  scrub: ScrubReport;
}

export interface ForgetOptions {
  /** Asked once the preview is known; false cancels (nothing is erased). */
  confirm?: (preview: ForgetPreview) => boolean | Promise<boolean>;
}

export function previewForget(ctx: Ctx, subject: Subject): ForgetPreview {
  const policy = readPolicy(ctx);
  const repo = rgpdRepo(ctx);
  const c = subject.customer;
  if (subject.type === 'contact') {
    const ct = subject.contact;
    return {
      subject: 'contact',
      id: ct.id,
      uid: c.uid,
      name: `${[ct.firstName, ct.lastName].filter(Boolean).join(' ') || ct.email || 'contact'} (contact at ${displayName(c)})`,
      counts: { contacts: 1 },
      keptInvoices: [],
      keptUntil: null,
      merges: 0,
      restricted: false,
    };
  }
  const held = repo.heldInvoices(c.id, cutoffDay(ctx.now(), policy.invoices)).map((s) => ({ kind: s.kind, number: s.number, issuedOn: s.issued_on }));
  const last = held[held.length - 1]?.issuedOn;
  return {
    subject: 'customer',
    id: c.id,
    uid: c.uid,
    name: displayName(c),
    counts: Object.fromEntries(Object.entries({ customers: 1, ...repo.relatedCounts(c.id) }).filter(([, n]) => n > 0)),
    keptInvoices: held,
    keptUntil: last ? dayAfter(last, policy.invoices) : null,
    merges: repo.mergesInvolving(c.id, c.uid, uniqueNeedles([c.email, c.emailNorm, c.phoneE164])).length,
    restricted: c.restrictedAt !== null,
  };
}

/**
 * Right to erasure (RGPD art. 17): removes the person everywhere, keeps only
 * invoices still under legal retention (with the identity they carry), stops
 * their identifiers at every future import, records the act under a hash and
 * leaves no copy in the file (checked byte by byte).
 */
export async function forget(ctx: Ctx, ref: string, opts: ForgetOptions = {}): Promise<ForgetResult> {
  const first = resolveSubject(ctx, ref);
  if (opts.confirm && !(await opts.confirm(previewForget(ctx, first)))) throw new CancelledError('nothing was erased');
  const at = isoNow(ctx);
  const done = ctx.store.tx(() => (first.type === 'contact' ? forgetContact(ctx, first.contact.id, at) : forgetCustomer(ctx, first.customer.uid, at)));
  return { ...done.result, scrub: scrubTraces(ctx, done.needles, { names: done.names ?? [] }) };
}

type Done = { result: Omit<ForgetResult, 'scrub'>; needles: string[]; names?: string[] };

// Both read the record again inside the transaction: the file may have changed while the person was asked.

function forgetCustomer(ctx: Ctx, uid: string, at: string): Done {
  const customer = ctx.store.customers.getByUid(uid);
  if (!customer) throw new NotFoundError(`customer ${uid} was removed meanwhile`);
  const o = eraseCustomerInTx(ctx, customer, { at, invoices: readPolicy(ctx).invoices, now: ctx.now() });
  const auditSubject = o.hashes[0]?.hash ?? o.uid;
  ctx.store.audit.record({
    at, action: 'rgpd.forget', subject: auditSubject, actor: ctx.actor ?? null,
    details: {
      uid: o.uid, mode: o.mode, removed: o.removed, kept_invoices: o.keptInvoices.length, kept_until: o.keptUntil,
      merges_removed: o.mergesRemoved.length, decisions_removed: o.decisionsRemoved, audit_redacted: o.auditRedacted, suppressed: o.hashes.length,
      kept_shared: o.kept.map((k) => k.kind),
    },
  });
  const { needles, names, hashes, ...rest } = o;
  return { result: { subject: 'customer', ...rest, suppressed: hashes.length, auditSubject }, needles, names };
}

function forgetContact(ctx: Ctx, contactId: number, at: string): Done {
  const subject = resolveContact(ctx, contactId);
  const r = eraseContactInTx(ctx, subject.contact, at);
  const auditSubject = r.hashes[0]?.hash ?? `contact:${contactId}`;
  ctx.store.audit.record({
    at, action: 'rgpd.forget', subject: auditSubject, actor: ctx.actor ?? null,
    details: { mode: 'contact-erased', contact_of: subject.customer.uid, suppressed: r.hashes.length, audit_redacted: r.auditRedacted },
  });
  return {
    result: {
      subject: 'contact', id: contactId, uid: subject.customer.uid, mode: 'contact-erased', keptInvoices: [], keptUntil: null, removed: { contacts: 1 },
      mergesRemoved: [], decisionsRemoved: 0, auditRedacted: r.auditRedacted, suppressed: r.hashes.length, auditSubject, kept: r.kept,
    },
    needles: r.needles,
  };
}

function resolveContact(ctx: Ctx, contactId: number): { contact: Contact; customer: Customer } {
  const fileId = rgpdRepo(ctx).contactOwner(contactId);
  const customer = fileId === undefined ? undefined : ctx.store.customers.get(fileId);
  const contact = customer && ctx.store.contacts.forCustomer(customer.id).find((x) => x.id === contactId);
  if (!customer || !contact) throw new NotFoundError(`contact ${contactId} was removed meanwhile`);
  return { contact, customer };
}
