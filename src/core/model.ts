/**
 * The domain's vocabulary. Imports nothing but the catalogue of fields (which
 * imports nothing at run time), so every layer may import it.
 * Domain types are camelCase; src/db maps them from snake_case rows.
 */
import { IMPORT_KEYS, KEY, type CatalogueProp, type ContactProp, type GivenProp, type ImportKey } from './fields/catalogue.js';

export type CustomerKind = 'person' | 'company';
export const CUSTOMER_KINDS: readonly CustomerKind[] = ['person', 'company'];

export type LifecycleStatus = 'prospect' | 'client' | 'former_client' | 'lead' | 'inactive';
export const LIFECYCLE_STATUSES: readonly string[] = ['prospect', 'lead', 'client', 'former_client', 'inactive'];

/**
 * The editable fields of a customer file, after normalisation: one property
 * per catalogue entry (src/core/fields/catalogue.ts), text or null, but kind
 * and status which always have a value; plus extra, the columns no field took.
 */
export type CustomerFields = { [P in Exclude<CatalogueProp, typeof KEY.kind | typeof KEY.status>]: string | null } & {
  kind: CustomerKind;
  status: string;
  extra: Record<string, string>;
};

export interface Customer extends CustomerFields {
  id: number;
  uid: string;
  /** Values of the user's own fields (carnet field add), by key: text, number, YYYY-MM-DD or boolean. */
  custom: Record<string, string | number | boolean>;
  createdAt: string;
  updatedAt: string;
  lastContactAt: string | null;
  restrictedAt: string | null;
  archivedAt: string | null;
}

/** Raw, user-typed values for a customer: strings as they came from a flag, a prompt or a CSV cell. */
export type CustomerInput = Partial<Record<CustomerFieldName, string | null | undefined>> & {
  extra?: Record<string, string> | undefined;
};

/** The fields a file, a flag or --set gives: the catalogue's props but the derived ones (emailNorm…). */
export type CustomerFieldName = GivenProp;

/** A person on a company's file: the customer fields a contact has, and its role. */
export type Contact = Pick<CustomerFields, ContactProp> & {
  id: number;
  customerId: number;
  role: string | null;
  createdAt: string;
  updatedAt: string;
};

export type InteractionKind = 'call' | 'email' | 'meeting' | 'mailing' | 'sms' | 'note' | 'letter' | 'visit';
export const INTERACTION_KINDS: readonly InteractionKind[] = ['call', 'email', 'meeting', 'mailing', 'sms', 'note', 'letter', 'visit'];
export type Direction = 'in' | 'out';

export interface Interaction {
  id: number;
  customerId: number;
  contactId: number | null;
  kind: InteractionKind;
  direction: Direction;
  occurredAt: string;
  summary: string | null;
  source: string | null;
  createdAt: string;
}

export type SaleKind = 'quote' | 'order' | 'invoice' | 'credit';
export const SALE_KINDS: readonly SaleKind[] = ['quote', 'order', 'invoice', 'credit'];
export type SaleStatus = 'draft' | 'sent' | 'accepted' | 'refused' | 'paid' | 'unpaid' | 'cancelled';
export const SALE_STATUSES: readonly SaleStatus[] = ['draft', 'sent', 'accepted', 'refused', 'paid', 'unpaid', 'cancelled'];

export interface Sale {
  id: number;
  customerId: number;
  kind: SaleKind;
  number: string | null;
  issuedOn: string;
  dueOn: string | null;
  amountCents: number;
  currency: string;
  status: SaleStatus;
  label: string | null;
  source: string | null;
  createdAt: string;
  updatedAt: string;
}

export type Channel = 'email' | 'sms' | 'phone' | 'post';
export const CHANNELS: readonly Channel[] = ['email', 'sms', 'phone', 'post'];
/** opposed = the person objected (RGPD art. 21): it always wins over a grant. */
export type ConsentState = 'granted' | 'refused' | 'withdrawn' | 'opposed';

export interface Consent {
  id: number;
  customerId: number;
  channel: Channel;
  purpose: string;
  state: ConsentState;
  source: string | null;
  proof: string | null;
  recordedAt: string;
}

export type AssignedBy = 'manual' | 'rule' | 'lifecycle' | 'rfm' | 'import';
export type CategoryKind = 'manual' | 'rule' | 'lifecycle' | 'rfm';

export interface Category {
  id: number;
  name: string;
  description: string | null;
  kind: CategoryKind;
  rule: string | null;
  createdAt: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
}

export interface ImportRun {
  id: number;
  fileName: string;
  sha256: string;
  what: string;
  source: string | null;
  startedAt: string;
  endedAt: string | null;
  counts: Record<string, number>;
  dryRun: boolean;
}

/** What an import brings in (--what). */
export type What = 'customers' | 'sales' | 'interactions';
export const WHATS: readonly What[] = ['customers', 'sales', 'interactions'];
/** How imported rows find existing customers (--key). */
export type KeyMode = 'auto' | ImportKey;
export const KEY_MODES: readonly KeyMode[] = ['auto', ...IMPORT_KEYS];
/** What an import does to an existing customer (--on-conflict). */
export type OnConflict = 'update' | 'fill' | 'skip';
export const ON_CONFLICTS: readonly OnConflict[] = ['update', 'fill', 'skip'];

/** A list of rows that a command renders as a table, JSON, NDJSON or CSV. */
export interface Table<T> {
  columns: readonly string[];
  rows: Iterable<T>;
}
