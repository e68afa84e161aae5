import { isoNow, type Ctx } from '../context.js';
import { UsageError, ValidationError } from '../errors.js';
import {
  INTERACTION_KINDS,
  SALE_KINDS,
  SALE_STATUSES,
  type Contact,
  type Direction,
  type Interaction,
  type InteractionKind,
  type Sale,
  type SaleKind,
  type SaleStatus,
} from '../model.js';
import { cleanText, normaliseEmail, normalisePhone, parseAmountCents, parseDate, parseDateTime } from '../normalise/index.js';
import { resolveRef } from './ref.js';
import { CONTACT_TEXT, KEY, type ContactProp } from '../fields/catalogue.js';

/** A contact's fields as typed (the catalogue's contact fields that have a flag), and its role on the file. */
export type ContactInput = Partial<Record<ContactProp | 'role', string>>;

/** Another person on a company's file (or a second channel on a person's). */
export function addContact(ctx: Ctx, ref: string, input: ContactInput): Contact {
  const email = normaliseEmail(input.email ?? '');
  const phone = normalisePhone(input.phone ?? '');
  const firstName = cleanText(input.firstName);
  const lastName = cleanText(input.lastName);
  if (!firstName && !lastName && !email && !phone) {
    throw new ValidationError(KEY.lastName, 'a contact needs a name, an e-mail or a phone');
  }
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const customer = resolveRef(ctx, ref);
    const id = ctx.store.contacts.insert(
      {
        customerId: customer.id,
        ...(Object.fromEntries(CONTACT_TEXT.map((e) => [e.prop, cleanText(input[e.prop as ContactProp])])) as Pick<Contact, ContactProp>),
        role: cleanText(input.role),
        email: email?.email ?? null,
        emailNorm: email?.emailNorm ?? null,
        phone: phone?.display ?? null,
        phoneE164: phone?.e164 ?? null,
      },
      at,
    );
    ctx.store.customers.update(customer.id, {}, at);
    ctx.store.audit.record({ at, action: 'contact.add', subject: customer.uid, actor: ctx.actor ?? null, details: { contact_id: id } });
    const contact = ctx.store.contacts.forCustomer(customer.id).find((c) => c.id === id);
    if (!contact) throw new Error('contact not read back');
    return contact;
  });
}

export interface LogInput {
  kind: string;
  direction: string;
  note?: string;
  at?: string;
  source?: string;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  const v = value.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${field} '${value}' is not one of ${allowed.join(', ')}`);
  return v as T;
}

/**
 * Records what was done with a customer. An incoming contact (they called,
 * wrote, came) moves last_contact_at: the clock the retention rules run on.
 */
export function logInteraction(ctx: Ctx, ref: string, input: LogInput): { interaction: Interaction; lastContactMoved: boolean } {
  const kind = oneOf<InteractionKind>(input.kind, INTERACTION_KINDS, '--kind');
  const direction = oneOf<Direction>(input.direction, ['in', 'out'], '--direction');
  const occurredAt = input.at ? parseDateTime(input.at, 'at') ?? isoNow(ctx) : isoNow(ctx);
  if (occurredAt > new Date(ctx.now().getTime() + 86_400_000).toISOString()) {
    throw new ValidationError('at', `${input.at ?? ''} is in the future`, 'give the date the contact took place');
  }
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const customer = resolveRef(ctx, ref);
    const id = ctx.store.interactions.insert(
      { customerId: customer.id, contactId: null, kind, direction, occurredAt, summary: cleanText(input.note), source: input.source ?? null },
      at,
    );
    let moved = false;
    if (direction === 'in') {
      moved = !customer.lastContactAt || customer.lastContactAt < occurredAt;
      ctx.store.customers.recordIncomingContact(customer.id, occurredAt);
    }
    ctx.store.audit.record({ at, action: 'interaction.add', subject: customer.uid, actor: ctx.actor ?? null, details: { kind, direction } });
    const interaction = ctx.store.interactions.forCustomer(customer.id).find((i) => i.id === id);
    if (!interaction) throw new Error('interaction not read back');
    return { interaction, lastContactMoved: moved };
  });
}

export interface SaleInput {
  kind: string;
  number?: string;
  amount: string;
  status: string;
  issued?: string;
  due?: string;
  currency?: string;
  label?: string;
  source?: string;
}

const DEFAULT_STATUS: Record<SaleKind, SaleStatus> = { quote: 'sent', order: 'accepted', invoice: 'unpaid', credit: 'paid' };

export function addSale(ctx: Ctx, ref: string, input: SaleInput): Sale {
  const kind = oneOf<SaleKind>(input.kind, SALE_KINDS, '--kind');
  const status = input.status ? oneOf<SaleStatus>(input.status, SALE_STATUSES, '--status') : DEFAULT_STATUS[kind];
  const amountCents = parseAmountCents(input.amount, 'amount');
  const issuedOn = (input.issued ? parseDate(input.issued, 'issued') : null) ?? isoNow(ctx).slice(0, 10);
  const dueOn = input.due ? parseDate(input.due, 'due') : null;
  if (dueOn && dueOn < issuedOn) throw new ValidationError('due', `the due date ${dueOn} is before the issue date ${issuedOn}`);
  const currency = (input.currency ?? 'EUR').trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new ValidationError('currency', `'${input.currency}' is not an ISO 4217 code`, 'e.g. EUR');
  const number = cleanText(input.number);
  const at = isoNow(ctx);
  return ctx.store.tx(() => {
    const customer = resolveRef(ctx, ref);
    if (number && ctx.store.sales.findByNumber(kind, number)) {
      throw new ValidationError('number', `a ${kind} numbered ${number} already exists`, 'numbers are unique per kind');
    }
    const id = ctx.store.sales.insert(
      { customerId: customer.id, kind, number, issuedOn, dueOn, amountCents, currency, status, label: cleanText(input.label), source: input.source ?? null },
      at,
    );
    ctx.store.audit.record({ at, action: 'sale.add', subject: customer.uid, actor: ctx.actor ?? null, details: { kind, status } });
    const sale = ctx.store.sales.forCustomer(customer.id).find((s) => s.id === id);
    if (!sale) throw new Error('sale not read back');
    return sale;
  });
}
