import type { Dialect } from '../dialect.js';
/**
 * SQL fragments shared by the categorise repositories. They mirror the
 * `customer_facts` view of migrations/0001_init.sql exactly (a unit test checks
 * that the set-based facts equal the view's), so a rule means the same thing in
 * `carnet list --where` and in `carnet categorise`.
 */

/** French département from a postal code: the generated column of migration 0007 (`c` is the customers alias). */
export function departmentSql(c: string): string {
  return `${c}.department`;
}

/** Invoiced revenue: invoices and credit notes that count (the view's `revenue`); `s` is the sales alias. */
export function revenueSale(s: string): string {
  return `${s}.kind IN ('invoice', 'credit') AND ${s}.status NOT IN ('cancelled', 'draft')`;
}
/** A purchase: an order or an invoice that was not cancelled, drafted or refused (the view's `orders`). */
export function purchaseSale(s: string): string {
  return `${s}.kind IN ('order', 'invoice') AND ${s}.status NOT IN ('cancelled', 'draft', 'refused')`;
}
/** Unpaid invoices (the view's `unpaid_cents`). */
export function unpaidSale(s: string): string {
  return `${s}.kind = 'invoice' AND ${s}.status = 'unpaid'`;
}
/** What makes a client: a purchase, or a quote the customer accepted. */
export function clientSale(s: string): string {
  return `((${purchaseSale(s)}) OR (${s}.kind = 'quote' AND ${s}.status = 'accepted'))`;
}

/** Customers categorise works on: neither archived nor restricted (RGPD art. 18). */
export function eligibleSql(c: string): string {
  return `${c}.archived_at IS NULL AND ${c}.restricted_at IS NULL`;
}

/** The statuses categorise computes; any other status (inactive, one of the user's own) is a person's choice and kept. */
export const MANAGED_STATUSES = `('prospect', 'lead', 'client', 'former_client')`;

/**
 * The lifecycle status of a customer whose stored status is `status`, with
 * sales aggregate `a` (temp.cat_agg, LEFT JOINed: a.customer_id IS NULL means
 * no sale document at all), given @former_limit (a day: a last sale before it
 * makes a former client). Idempotent: applied to its own result it gives it back.
 */
export function lifecycleSql(status: string, a: string): string {
  return `CASE
    WHEN ${status} NOT IN ${MANAGED_STATUSES} THEN ${status}
    WHEN ${a}.last_sale_on IS NOT NULL THEN CASE WHEN ${a}.last_sale_on < @former_limit THEN 'former_client' ELSE 'client' END
    WHEN ${a}.customer_id IS NULL AND ${status} IN ('client', 'former_client') THEN ${status}
    WHEN ${status} = 'lead' THEN 'lead'
    ELSE 'prospect'
  END`;
}

/**
 * The last day anything happened with the customer — a contact either way
 * (`contactDay`, the interactions aggregate `t`) or a sale document (`a`) —
 * or, when nothing ever did, the day the file was created.
 */
export function lastTouchSql(d: Dialect, contactDay: string, createdDay: string, a: string, t: string): string {
  return `coalesce(nullif(${d.greatest(`coalesce(${contactDay}, '')`, `coalesce(substr(${t}.last_at, 1, 10), '')`, `coalesce(${a}.last_doc_on, '')`)}, ''), ${createdDay})`;
}

/**
 * carnet_fold(x) without the call into JavaScript for plain ASCII text (as
 * many characters as bytes), where it is lower(x), nor for NULL (most
 * company names, sectors): the JS function costs about half a microsecond a
 * row, most of a rule's time on a million customers. `ascii` tests another
 * expression instead of x, when x is cut from it (the département).
 */
export function foldSql(x: string, ascii: string = x): string {
  return `CASE WHEN length(${ascii}) = octet_length(${ascii}) THEN lower(${x}) WHEN ${x} IS NULL THEN NULL ELSE carnet_fold(${x}) END`;
}

/** Reads a JSON array of integers bound as a parameter, for `IN (…)` lists of any length. */
export const JSON_IDS = (d: Dialect): string => d.jsonIds('@ids');
