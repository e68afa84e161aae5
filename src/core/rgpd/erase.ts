import type { Ctx } from '../context.js';
import type { Contact, Customer } from '../model.js';
import { RgpdRepo } from '../../db/repositories/rgpd.js';
import { cutoffDay, dayAfter, type Duration } from './duration.js';
import { redactAudit } from './redact.js';
import { erasureRepo, identifiersOf, uniqueNeedles, type KeptIdentifier } from './identifiers.js';
import type { MergeIndex } from './merge-index.js';
import { identifierHashes, suppressionSalt, type IdentifierHash, type Identifiers } from './suppression.js';

export function rgpdRepo(ctx: Ctx): RgpdRepo {
  return ctx.store.extension('rgpd', (db) => new RgpdRepo(db));
}

export type ErasureMode = 'erased' | 'kept-for-accounts' | 'anonymised';

export interface KeptInvoice {
  kind: string;
  number: string | null;
  issuedOn: string;
}

export interface ErasureOutcome {
  id: number;
  uid: string;
  mode: ErasureMode;
  /** Invoices and credit notes kept under legal retention, with the identity they carry. */
  keptInvoices: KeptInvoice[];
  /** The day the last kept invoice leaves its retention: `rgpd purge` erases the rest then. */
  keptUntil: string | null;
  /** Rows removed per table (customers itself included when the row went). */
  removed: Record<string, number>;
  /** Dedupe merges whose undo snapshot held the person: deleted, so `dedupe undo` of them is no longer possible. */
  mergesRemoved: number[];
  decisionsRemoved: number;
  /** Audit entries whose free-form details quoted an identifier (an export filter…): blanked. */
  auditRedacted: number;
  /** Salted hashes added to suppressions: imports will refuse these identifiers. */
  hashes: IdentifierHash[];
  /**
   * The person's identifiers as they were typed and normalised, to check that
   * no copy is left in the file afterwards. Kept in memory only, never written.
   */
  needles: string[];
  /** Their names, checked the same way when the row went (others may share them). */
  names: string[];
  /** Identifiers a customer who stays also holds (a family e-mail): kept off the suppression list. */
  kept: KeptIdentifier[];
}

export { uniqueNeedles };

/** Adds the hashes once per (hash, channel); returns those that describe the person. */
export function addSuppressions(ctx: Ctx, ids: Identifiers[], reason: 'erased' | 'opposed', at: string, channel = 'all'): IdentifierHash[] {
  const salt = suppressionSalt(ctx.store);
  const seen = new Map<string, IdentifierHash>();
  for (const one of ids) for (const h of identifierHashes(salt, one)) seen.set(h.hash, h);
  for (const h of seen.values()) ctx.store.suppressions.add(h.hash, h.kind, reason, at, channel);
  return [...seen.values()];
}

export interface EraseOptions {
  at: string;
  invoices: Duration;
  now: Date;
  /** anonymise keeps an anonymous statistical shell instead of deleting the row. */
  mode?: 'erase' | 'anonymise';
  /** false: the caller blanks the audit log once for many people (a purge). */
  redact?: boolean;
  /** A purge's index of the merges, read once for everyone it erases. */
  merges?: MergeIndex;
}

/**
 * Removes a person everywhere. Must run inside ctx.store.tx(). Invoices still
 * under legal retention are kept with the identity the law requires (name or
 * company, address, SIRET/VAT) on an archived row; everything else goes.
 */
export function eraseCustomerInTx(ctx: Ctx, customer: Customer, opts: EraseOptions): ErasureOutcome {
  const repo = rgpdRepo(ctx);
  const cutoff = cutoffDay(opts.now, opts.invoices);
  const { ids, needles, siret, kept } = identifiersOf(ctx, customer);
  const hashes = addSuppressions(ctx, ids, 'erased', opts.at);
  const mergesRemoved = opts.merges ? opts.merges.involving(customer.id, customer.uid, needles) : repo.mergesInvolving(customer.id, customer.uid, needles);
  repo.deleteMerges(mergesRemoved);
  const decisionsRemoved = repo.deleteDedupeDecisions(customer.uid);
  const held = repo.heldInvoices(customer.id, cutoff).map((s) => ({ kind: s.kind, number: s.number, issuedOn: s.issued_on }));
  // A SIRET kept on an invoice is no trace to blank.
  const auditRedacted = opts.redact === false ? 0 : redactAudit(ctx, uniqueNeedles([...needles, held.length > 0 ? null : siret]));
  const base = { id: customer.id, uid: customer.uid, mergesRemoved, decisionsRemoved, auditRedacted, hashes, kept };
  if (held.length === 0 && opts.mode === 'anonymise') {
    const removed = repo.deleteAllButAccounts(customer.id);
    repo.anonymise(customer.id, opts.at);
    return { ...base, mode: 'anonymised', keptInvoices: [], keptUntil: null, removed, needles: uniqueNeedles([...needles, siret]), names: namesOf(customer) };
  }
  if (held.length === 0) {
    const removed = { ...repo.relatedCounts(customer.id), customers: 1 };
    repo.deleteCustomer(customer.id);
    return { ...base, mode: 'erased', keptInvoices: [], keptUntil: null, removed: nonZero(removed), needles: uniqueNeedles([...needles, siret]), names: namesOf(customer) };
  }
  const removed = repo.deleteAllButAccounts(customer.id);
  const expired = repo.deleteAccountingBefore(customer.id, cutoff);
  if (expired > 0) removed.sales = (removed.sales ?? 0) + expired;
  repo.reduceToAccounts(customer.id, opts.at);
  const last = held[held.length - 1]?.issuedOn ?? null;
  return {
    ...base,
    mode: 'kept-for-accounts',
    keptInvoices: held,
    keptUntil: last && dayAfter(last, opts.invoices),
    removed,
    needles,
    names: [],
  };
}

/** Names long enough not to match random bytes. */
function namesOf(c: Customer): string[] {
  const full = [c.firstName, c.lastName].filter(Boolean).join(' ');
  return [...new Set([c.lastName, c.companyName, full].filter((v): v is string => typeof v === 'string' && v.trim().length >= 4))];
}

/** A contact person of a company file asked to be erased: that person only, not the company. */
export function eraseContactInTx(ctx: Ctx, contact: Contact, at: string): { hashes: IdentifierHash[]; needles: string[]; auditRedacted: number; kept: KeptIdentifier[] } {
  // As for a customer: what someone who stays also holds (the company's switchboard) is theirs too.
  const lookup = erasureRepo(ctx);
  const kept: KeptIdentifier[] = [];
  const own = (kind: 'email' | 'phone', v: string | null): string | null => {
    if (!v) return null;
    const holders = lookup.holdersBesideContact(kind, v, contact.id);
    if (holders > 0) kept.push({ kind, holders });
    return holders > 0 ? null : v;
  };
  const emailNorm = own('email', contact.emailNorm);
  const phoneE164 = own('phone', contact.phoneE164);
  const hashes = addSuppressions(ctx, [{ emailNorm, phoneE164 }], 'erased', at);
  const needles = uniqueNeedles([emailNorm && contact.email, emailNorm, phoneE164 && contact.phone, phoneE164]);
  rgpdRepo(ctx).deleteContact(contact.id);
  const auditRedacted = redactAudit(ctx, needles);
  return { hashes, needles, auditRedacted, kept };
}

function nonZero(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).filter(([, n]) => n > 0));
}
