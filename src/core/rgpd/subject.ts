import type { Ctx } from '../context.js';
import { AppError, ExitCode, NotFoundError } from '../errors.js';
import type { Contact, Customer } from '../model.js';
import { normaliseEmail } from '../normalise/index.js';
import { resolveRef } from '../customers/ref.js';

/**
 * Whom a rights request is about: a customer file, or one contact person of
 * a company file (the company's accountant asking to be forgotten must not
 * erase the company).
 */
export type Subject = { type: 'customer'; customer: Customer } | { type: 'contact'; contact: Contact; customer: Customer };

function attemptEmail(text: string): string | null {
  try {
    return normaliseEmail(text)?.emailNorm ?? null;
  } catch {
    return null;
  }
}

export function resolveSubject(ctx: Ctx, ref: string): Subject {
  const text = ref.trim();
  const emailNorm = text.includes('@') ? attemptEmail(text) : null;
  if (emailNorm && ctx.store.customers.findByEmailNorm(emailNorm).length === 0) {
    const contacts = ctx.store.contacts.findByEmailNorm(emailNorm);
    const [first] = contacts;
    if (contacts.length > 1) {
      throw new AppError(`'${ref}' is the e-mail of ${contacts.length} contact persons`, {
        exitCode: ExitCode.notFound,
        hint: 'give the id or uid of the customer file instead',
        details: { contacts: contacts.map((c) => ({ contact_id: c.id, customer_id: c.customerId })) },
      });
    }
    if (first) {
      const customer = ctx.store.customers.get(first.customerId);
      if (!customer) throw new NotFoundError(`no customer holds contact ${first.id}`);
      return { type: 'contact', contact: first, customer };
    }
  }
  return { type: 'customer', customer: resolveRef(ctx, ref, { includeArchived: true }) };
}

/** One customer (never a contact person alone): for access, consent, opposition and restriction. */
export function resolveCustomer(ctx: Ctx, ref: string): Customer {
  const s = resolveSubject(ctx, ref);
  return s.customer;
}
