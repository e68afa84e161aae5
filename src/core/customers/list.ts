import type { Ctx } from '../context.js';
import { UsageError } from '../errors.js';
import type { Customer } from '../model.js';
import { parseFilter } from '../filter/index.js';
import { customFields, customFilterFields } from '../fields/manage.js';
import { filterTypeOf, OWN_FIELDS_COLUMN } from '../fields/custom.js';
import { compileFilter } from '../../db/filter-sql.js';
import type { CustomerQuery } from '../../db/repositories/customers.js';
import { emailCriterion } from './search-email.js';

export interface ListInput {
  where?: string;
  categories?: string[];
  sort?: string[];
  limit?: number;
  includeArchived?: boolean;
}

/** Turns user selection options into a checked query: filter parsed, sort fields known. */
export function buildCustomerQuery(ctx: Ctx, input: ListInput): CustomerQuery {
  const q: CustomerQuery = { includeArchived: input.includeArchived ?? false, limit: input.limit };
  if (input.where && input.where.trim() !== '') q.where = compileFilter(parseFilter(input.where, customFilterFields(ctx)), { now: ctx.now(), dialect: ctx.store.dialect });
  if (input.categories && input.categories.length > 0) q.categories = input.categories;
  if (input.sort && input.sort.length > 0) {
    const known = new Set(ctx.store.customers.factColumns());
    known.delete(OWN_FIELDS_COLUMN);
    // Compared as the filter compares them: numbers and yes/no as numbers, the rest as text.
    const own = new Map(customFields(ctx).map((d) => [d.key, filterTypeOf(d.type) === 'number' ? ('number' as const) : ('text' as const)]));
    q.sort = input.sort.map((s) => {
      const name = s.replace(/^[-+]/, '');
      const ownAs = own.get(name);
      if (!known.has(name) && ownAs === undefined) throw new UsageError(`cannot sort by '${name}'`, `sort by one of: ${[...known, ...own.keys()].join(', ')}`);
      return { name, desc: s.startsWith('-'), ...(ownAs && !known.has(name) ? { own: ownAs } : {}) };
    });
  }
  return q;
}

export interface ListResult {
  columns: string[];
  rows: IterableIterator<Record<string, unknown>>;
}

/**
 * Customers as customer_facts rows (snake_case), streamed from the database,
 * with the fields of the user's own by key (null when empty) after extra —
 * as `show` and `export` give them — instead of the JSON column that holds them.
 */
export function listCustomers(ctx: Ctx, input: ListInput): ListResult {
  const q = buildCustomerQuery(ctx, input);
  const own = customFields(ctx).map((d) => d.key);
  const columns: string[] = [];
  for (const c of ctx.store.customers.factColumns()) {
    if (c !== OWN_FIELDS_COLUMN) columns.push(c);
    if (c === 'extra') columns.push(...own);
  }
  return { columns, rows: withOwnFields(ctx.store.customers.iterateFacts(q), own) };
}

function* withOwnFields(rows: IterableIterator<Record<string, unknown>>, keys: readonly string[]): IterableIterator<Record<string, unknown>> {
  for (const r of rows) {
    const raw = r[OWN_FIELDS_COLUMN];
    const values = (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? {})) as Record<string, unknown>;
    for (const k of keys) r[k] = values[k] ?? null;
    delete r[OWN_FIELDS_COLUMN];
    yield r;
  }
}

/**
 * Full-text search, accent- and case-insensitive. Every word must match the start of a word in a name,
 * company, city or notes. A single word is also looked up as an e-mail
 * address, a local part or an @domain (see search-email.ts): those matches
 * come first. A word with an @ is only an e-mail search.
 */
export function searchCustomers(ctx: Ctx, text: string, limit = 50): Customer[] {
  const words = text.trim().split(/\s+/).filter((w) => w.length > 0);
  const email = words.length === 1 ? emailCriterion(words[0] ?? '') : null;
  const byEmail = email ? ctx.store.customers.searchEmail(email, limit) : [];
  if (email && !('local' in email)) return byEmail;
  const terms = text
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
  if (terms.length === 0) throw new UsageError('nothing to search for', 'give a word, e.g. carnet search dupont');
  const seen = new Set(byEmail.map((c) => c.id));
  const byText = ctx.store.customers.search(terms, limit).filter((c) => !seen.has(c.id));
  for (const c of byText) seen.add(c.id);
  const byOwn = searchOwnFields(ctx, words, limit).filter((c) => !seen.has(c.id));
  return [...byEmail, ...byText, ...byOwn].slice(0, limit);
}

/**
 * Customers whose text fields of their own (text and choice) contain every
 * word, through the filter language (contains: accents and case ignored).
 */
function searchOwnFields(ctx: Ctx, words: readonly string[], limit: number): Customer[] {
  const own = customFields(ctx).filter((d) => d.type === 'text' || d.type === 'choice');
  const plain = words.map((w) => w.replace(/["\\]/g, '')).filter((w) => w !== '');
  if (own.length === 0 || plain.length === 0) return [];
  const where = plain.map((w) => `(${own.map((d) => `${d.key} ~ "${w}"`).join(' or ')})`).join(' and ');
  const q = buildCustomerQuery(ctx, { where, limit });
  const out: Customer[] = [];
  for (const row of ctx.store.customers.iterateFacts(q)) {
    const c = ctx.store.customers.get(Number(row.id));
    if (c) out.push(c);
  }
  return out;
}
