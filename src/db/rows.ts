/**
 * Row types mirror the tables' columns (snake_case); the domain types in
 * core/model.ts are camelCase. This file is the one place they are mapped.
 */
import type { Consent, Contact, Customer, CustomerFields, Interaction, Sale, AuditEntry, ImportRun, Category } from '../core/model.js';
import { FIELDS, type CatalogueKey, type CatalogueProp, type ContactProp } from '../core/fields/catalogue.js';
import { COLUMN, type Columns } from './columns.js';

/** Domain field → column, for every editable customer field (derived from the catalogue). */
export const CUSTOMER_FIELD_COLUMNS: Readonly<Record<keyof CustomerFields, string>> = {
  ...(Object.fromEntries(FIELDS.map((e) => [e.prop, e.key])) as Record<CatalogueProp, string>),
  extra: 'extra',
};

export type CustomerFieldKey = keyof CustomerFields;
export const CUSTOMER_FIELD_KEYS = Object.keys(CUSTOMER_FIELD_COLUMNS) as CustomerFieldKey[];

/** The customers table's row: the catalogue's columns plus the record's own. */
export type CustomerRow = { [K in Exclude<CatalogueKey, typeof COLUMN.kind | typeof COLUMN.status>]: string | null } & {
  id: number;
  uid: string;
  kind: string;
  status: string;
  extra: string;
  custom: string;
  created_at: string;
  updated_at: string;
  last_contact_at: string | null;
  restricted_at: string | null;
  archived_at: string | null;
};

export function parseJsonObject<T = Record<string, string>>(text: string | null | undefined): T {
  if (!text) return {} as T;
  try {
    const v: unknown = JSON.parse(text);
    return (v && typeof v === 'object' && !Array.isArray(v) ? v : {}) as T;
  } catch {
    return {} as T;
  }
}

/**
 * Row → Customer, compiled once from the catalogue into one object literal
 * (property order as before the catalogue: id, uid, fields, extra, custom,
 * dates): one object shape for V8, however many customers are read.
 */
const customerLiteral = new Function(
  'r', 'parse',
  `return { id: r.id, uid: r.uid, ${FIELDS.map((e) => (e.key === COLUMN.kind ? `${e.prop}: r.${e.key} === 'company' ? 'company' : 'person'` : `${e.prop}: r.${e.key} ?? null`)).join(', ')},
    extra: parse(r.extra), custom: parse(r.custom), createdAt: r.created_at, updatedAt: r.updated_at, lastContactAt: r.last_contact_at,
    restrictedAt: r.restricted_at, archivedAt: r.archived_at };`,
) as (r: CustomerRow, parse: typeof parseJsonObject) => Customer;

export function customerFromRow(r: CustomerRow): Customer {
  return customerLiteral(r, parseJsonObject);
}

/** Named parameters for the customer field columns (extra serialised). */
export function customerFieldParams(f: Partial<CustomerFields>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of CUSTOMER_FIELD_KEYS) {
    if (!(key in f)) continue;
    const v = f[key];
    out[CUSTOMER_FIELD_COLUMNS[key]] = key === 'extra' ? JSON.stringify(v ?? {}) : ((v as string | null | undefined) ?? null);
  }
  return out;
}

/** The catalogue entries a contact has: the contacts table's columns of the same names. */
const CONTACT_ENTRIES = FIELDS.filter((e) => e.contact === true);

/** The contacts table's row: the catalogue fields a contact has (same column names), plus its own. */
export type ContactRow = Columns<ContactProp> & {
  id: number;
  customer_id: number;
  role: string | null;
  created_at: string;
  updated_at: string;
};

export function contactFromRow(r: ContactRow): Contact {
  const row = r as unknown as Record<string, string | null>;
  const fields = Object.fromEntries(CONTACT_ENTRIES.map((e) => [e.prop, row[e.key] ?? null])) as Pick<Contact, ContactProp>;
  return { id: r.id, customerId: r.customer_id, ...fields, role: r.role, createdAt: r.created_at, updatedAt: r.updated_at };
}

/** Named parameters of a contact's own fields (role included). */
export function contactParams(c: Pick<Contact, ContactProp | 'role'>): Record<string, string | null> {
  const out: Record<string, string | null> = { role: c.role };
  for (const e of CONTACT_ENTRIES) out[e.key] = c[e.prop as ContactProp];
  return out;
}

/** The contacts table's columns of a contact's own fields, role included. */
export const CONTACT_COLUMNS: readonly string[] = [...CONTACT_ENTRIES.map((e) => e.key), 'role'];

export interface InteractionRow {
  id: number;
  customer_id: number;
  contact_id: number | null;
  kind: string;
  direction: string;
  occurred_at: string;
  summary: string | null;
  source: string | null;
  created_at: string;
}

export function interactionFromRow(r: InteractionRow): Interaction {
  return {
    id: r.id,
    customerId: r.customer_id,
    contactId: r.contact_id,
    kind: r.kind as Interaction['kind'],
    direction: r.direction === 'in' ? 'in' : 'out',
    occurredAt: r.occurred_at,
    summary: r.summary,
    source: r.source,
    createdAt: r.created_at,
  };
}

export interface SaleRow {
  id: number;
  customer_id: number;
  kind: string;
  number: string | null;
  issued_on: string;
  due_on: string | null;
  amount_cents: number;
  currency: string;
  status: string;
  label: string | null;
  source: string | null;
  created_at: string;
  updated_at: string;
}

export function saleFromRow(r: SaleRow): Sale {
  return {
    id: r.id,
    customerId: r.customer_id,
    kind: r.kind as Sale['kind'],
    number: r.number,
    issuedOn: r.issued_on,
    dueOn: r.due_on,
    amountCents: r.amount_cents,
    currency: r.currency,
    status: r.status as Sale['status'],
    label: r.label,
    source: r.source,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface ConsentRow {
  id: number;
  customer_id: number;
  channel: string;
  purpose: string;
  state: string;
  source: string | null;
  proof: string | null;
  recorded_at: string;
}

export function consentFromRow(r: ConsentRow): Consent {
  return {
    id: r.id,
    customerId: r.customer_id,
    channel: r.channel as Consent['channel'],
    purpose: r.purpose,
    state: r.state as Consent['state'],
    source: r.source,
    proof: r.proof,
    recordedAt: r.recorded_at,
  };
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  subject: string | null;
  details: string;
}

export function auditFromRow(r: AuditRow): AuditEntry {
  return { id: r.id, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: parseJsonObject<Record<string, unknown>>(r.details) };
}

export interface ImportRunRow {
  id: number;
  file_name: string;
  sha256: string;
  what: string;
  source: string | null;
  started_at: string;
  ended_at: string | null;
  counts: string;
  dry_run: number;
}

export function importRunFromRow(r: ImportRunRow): ImportRun {
  return {
    id: r.id,
    fileName: r.file_name,
    sha256: r.sha256,
    what: r.what,
    source: r.source,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    counts: parseJsonObject<Record<string, number>>(r.counts),
    dryRun: r.dry_run === 1,
  };
}

export interface CategoryRow {
  id: number;
  name: string;
  description: string | null;
  kind: string;
  created_at: string;
  expression: string | null;
}

export function categoryFromRow(r: CategoryRow): Category {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    kind: r.kind as Category['kind'],
    rule: r.expression,
    createdAt: r.created_at,
  };
}
