/**
 * The staging layout of an import, shared by the threads that build rows
 * (core/import) and the repositories that store and apply them. Plain
 * constants: no SQL here, no domain logic.
 */
import { CATALOGUE, FIELDS, GIVEN_ENTRIES, type CatalogueKey } from '../../core/fields/catalogue.js';
import { COLUMN } from '../columns.js';

/** Customer columns a staged row carries, in catalogue order (a derived column right after its field). */
export const STAGE_FIELD_COLUMNS: readonly CatalogueKey[] = CATALOGUE.map((e) => e.key);
export type StageFieldColumn = CatalogueKey;

/**
 * seq, line, ikey, mask, the field columns, extra (JSON or null), created_at, last_contact_at, custom (JSON or null),
 * and from carnet's own export: the uid it was exported with, restricted_at, archived_at.
 */
export const STAGE_COLUMNS = ['seq', 'line', 'ikey', 'mask', ...STAGE_FIELD_COLUMNS, 'extra', 'created_at', 'last_contact_at', 'custom', 'own_uid', 'restricted_at', 'archived_at'] as const;
export const STAGE_WIDTH = STAGE_COLUMNS.length;
/** Index of the first field column in a staged row. */
export const FIELD_OFFSET = 4;

/**
 * The fields a row may give, in bit order of the row's mask: an update
 * writes only the columns whose field the file gave. A derived column
 * (the normalised e-mail, the E.164 phones) follows its field.
 */
export const GIVEN_COLUMNS: readonly string[] = GIVEN_ENTRIES.map((e) => e.key);

/** Each derived column (the normalised e-mail, the E.164 phones) → the field it is derived from. */
export const DERIVED_FROM: Readonly<Partial<Record<StageFieldColumn, StageFieldColumn>>> = Object.fromEntries(FIELDS.flatMap((e) => (e.derivedFrom ? [[e.key, e.derivedFrom]] : [])));

/** The mask bit that governs a staged field column. */
export function bitOf(column: StageFieldColumn): number {
  const given = DERIVED_FROM[column] ?? column;
  const i = GIVEN_COLUMNS.indexOf(given);
  if (i < 0) throw new Error(`no mask bit for ${column}`);
  return 2 ** i;
}

export const SALE_STAGE = ['seq', 'line', 'ref', COLUMN.siret, COLUMN.emailNorm, 'kind', 'number', 'issued_on', 'due_on', 'amount_cents', 'currency', 'status', 'label', 'raw'] as const;
export const INTERACTION_STAGE = ['seq', 'line', 'ref', COLUMN.siret, COLUMN.emailNorm, 'kind', 'direction', 'occurred_at', 'summary', 'raw'] as const;

/** Rows of chunk n are numbered n·2²¹ + i: file order without the threads agreeing on counts. */
export const SEQ_PER_CHUNK = 2 ** 21;
