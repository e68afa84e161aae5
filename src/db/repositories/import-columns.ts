/**
 * The staging layout of an import, shared by the threads that build rows
 * (core/import) and the repositories that store and apply them. Plain
 * constants: no SQL here, no domain logic.
 */

/** Customer columns a staged row carries, in order. */
export const STAGE_FIELD_COLUMNS = [
  'kind', 'civility', 'first_name', 'last_name', 'company_name', 'legal_form', 'siret', 'vat_number', 'sector', 'job_title',
  'email', 'email_norm', 'phone', 'phone_e164', 'mobile', 'mobile_e164', 'address_line1', 'address_line2', 'postal_code', 'city',
  'country', 'birth_date', 'website', 'owner', 'region', 'status', 'source', 'external_id', 'external_source', 'notes',
] as const;
export type StageFieldColumn = (typeof STAGE_FIELD_COLUMNS)[number];

/** seq, line, ikey, mask, the field columns, extra (JSON or null), created_at, last_contact_at. */
export const STAGE_COLUMNS = ['seq', 'line', 'ikey', 'mask', ...STAGE_FIELD_COLUMNS, 'extra', 'created_at', 'last_contact_at'] as const;
export const STAGE_WIDTH = STAGE_COLUMNS.length;
/** Index of the first field column in a staged row. */
export const FIELD_OFFSET = 4;

/**
 * The fields a row may give, in bit order of the row's mask: an update
 * writes only the columns whose field the file gave. A derived column
 * (email_norm, phone_e164, mobile_e164) follows its field.
 */
export const GIVEN_COLUMNS = [
  'kind', 'civility', 'first_name', 'last_name', 'company_name', 'legal_form', 'siret', 'vat_number', 'sector', 'job_title',
  'email', 'phone', 'mobile', 'address_line1', 'address_line2', 'postal_code', 'city', 'country', 'birth_date', 'website',
  'owner', 'region', 'status', 'source', 'external_id', 'external_source', 'notes',
] as const;

const DERIVED: Readonly<Record<string, string>> = { email_norm: 'email', phone_e164: 'phone', mobile_e164: 'mobile' };

/** The mask bit that governs a staged field column. */
export function bitOf(column: StageFieldColumn): number {
  const given = DERIVED[column] ?? column;
  const i = (GIVEN_COLUMNS as readonly string[]).indexOf(given);
  if (i < 0) throw new Error(`no mask bit for ${column}`);
  return 2 ** i;
}

export const SALE_STAGE = ['seq', 'line', 'ref', 'siret', 'email_norm', 'kind', 'number', 'issued_on', 'due_on', 'amount_cents', 'currency', 'status', 'label', 'raw'] as const;
export const INTERACTION_STAGE = ['seq', 'line', 'ref', 'siret', 'email_norm', 'kind', 'direction', 'occurred_at', 'summary', 'raw'] as const;

/** Rows of chunk n are numbered n·2²¹ + i: file order without the threads agreeing on counts. */
export const SEQ_PER_CHUNK = 2 ** 21;
