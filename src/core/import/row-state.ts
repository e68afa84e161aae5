import type { CustomerFieldName } from '../model.js';
import { parseDateTime } from '../normalise/index.js';
import { ENTRY_BY_KEY, GIVEN_ENTRIES, type CatalogueEntry } from '../fields/catalogue.js';
import { cellMemo } from './cell-memo.js';

/**
 * The row builder's working state and the field positions it writes to:
 * shared by the builder (row.ts) and the pseudo-field splitters
 * (row-pseudo.ts). A row's values are an array in GIVEN_FIELDS order.
 */

const MULTI = ' ::: ';

/** The field of a snake_case name (a ValidationError's field), or undefined. */
export function camelOf(snake: string): CustomerFieldName | undefined {
  return ENTRY_BY_KEY.get(snake)?.prop as CustomerFieldName | undefined;
}

/** The fields a file gives, one bit each (catalogue order): an update only writes the fields whose bit is set. */
export const GIVEN_FIELDS: readonly CustomerFieldName[] = GIVEN_ENTRIES.map((e) => e.prop as CustomerFieldName);
export const BIT: Readonly<Record<CustomerFieldName, number>> = Object.fromEntries(GIVEN_FIELDS.map((f, i) => [f, 2 ** i])) as Record<CustomerFieldName, number>;

export interface Warning {
  field: string;
  message: string;
}

export function blank(v: string | undefined): boolean {
  if (v === undefined || v === '') return true;
  return v.trim() === '';
}

export const FI: Readonly<Record<string, number>> = Object.fromEntries(GIVEN_FIELDS.map((f, i) => [f, i]));

function givenEntry(test: (e: CatalogueEntry) => boolean, what: string): CatalogueEntry {
  const e = GIVEN_ENTRIES.find(test);
  if (!e) throw new Error(`the catalogue has no ${what}`);
  return e;
}
/** The typed phone text messages go to (channels: sms): where import moves a mobile number found in a plain phone column. */
export const SMS_PHONE = givenEntry((e) => e.channels?.includes('sms') === true, 'phone for text messages');
/** The phone that plain phone columns ("Téléphone": autoSynonyms) feed, though they may hold a mobile number. */
export const AUTO_PHONE = givenEntry((e) => e.autoSynonyms !== undefined, 'phone of no particular kind');
export const FI_MOBILE = FI[SMS_PHONE.prop] as number;
export const FI_PHONE = FI[AUTO_PHONE.prop] as number;
export const FI_FIRST = FI.firstName as number;
export const FI_LAST = FI.lastName as number;
export const FI_COMPANY = FI.companyName as number;
export const FI_ADDRESS1 = FI.addressLine1 as number;
export const FI_ADDRESS2 = FI.addressLine2 as number;
export const FI_POSTAL = FI.postalCode as number;
/** The index of the field on a vCard ADR component (the catalogue's, as a combined address orders its parts). */
const adrIndex = (component: number): number => FI[GIVEN_ENTRIES.find((e) => e.adr === component)?.prop ?? ''] as number;
export const FI_CITY = adrIndex(3);
export const FI_REGION = adrIndex(4);
export const FI_COUNTRY = adrIndex(6);
export const FI_BIRTH = FI.birthDate as number;
export const FI_EXTERNAL_ID = FI.externalId as number;
export const FI_EXTERNAL_SOURCE = FI.externalSource as number;

export type Vals = (string | undefined)[];

/** The state of the row being built: reused from row to row. */
/**
 * Every CSV carnet writes (rejects files included) shows a cell a spreadsheet
 * would run (=, +, -, @, tab, CR first) as text with a leading ' — the same
 * mark a spreadsheet user types. Reading such a cell back drops the mark, so
 * a corrected rejects file imports the value the person wrote.
 */
function unguard(t: string): string {
  if (t.charCodeAt(0) !== 39 || t.length < 2) return t;
  const c = t.charCodeAt(1);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 ? t.slice(1) : t;
}

export class RowState {
  cells: readonly string[] = [];
  vals: Vals = new Array<string | undefined>(GIVEN_FIELDS.length);
  /** Column each field's value came from (-1: none), to name it in extra if it has to go there. */
  from: number[] = new Array<number>(GIVEN_FIELDS.length).fill(-1);
  extra: Record<string, string> = {};
  warnings: Warning[] = [];

  /** Date cells repeat: one memo per field (the field names the error). */
  private readonly dates = new Map<string, (raw: string) => string | null>();

  constructor(private readonly names: readonly string[]) {}

  reset(cells: readonly string[]): void {
    this.cells = cells;
    this.vals.fill(undefined);
    this.from.fill(-1);
    this.extra = {};
    this.warnings = [];
  }

  name(column: number): string {
    return this.names[column] ?? `column ${column + 1}`;
  }

  keep(column: number): void {
    const v = this.cells[column];
    if (v !== undefined && v !== '') {
      const t = unguard(v.trim());
      if (t !== '') this.extra[this.name(column)] = t;
    }
  }

  set(fi: number, column: number): boolean {
    const cell = this.cells[column];
    if (cell === undefined || cell === '') return false;
    const raw = unguard(cell.trim());
    if (raw === '') return false;
    if (this.vals[fi] !== undefined) {
      this.keep(column);
      return false;
    }
    // Google Contacts puts several values in one cell: the first is the field, the whole cell is kept.
    const multi = raw.indexOf(MULTI);
    this.vals[fi] = multi >= 0 ? raw.slice(0, multi) : raw;
    if (multi >= 0) this.keep(column);
    this.from[fi] = column;
    return true;
  }

  /** The first date of these columns; an unreadable one is kept in extra with a warning. */
  date(cols: readonly number[], field: string): string | null {
    for (const c of cols) {
      const raw = this.cells[c];
      if (raw === undefined || blank(raw)) continue;
      try {
        let read = this.dates.get(field);
        if (read === undefined) this.dates.set(field, (read = cellMemo((r) => parseDateTime(r, field))));
        return read(raw);
      } catch (err) {
        this.keep(c);
        this.warnings.push({ field, message: `${err instanceof Error ? err.message.replace(/^[a-z_0-9]+: /, '') : String(err)} (kept in extra as '${this.name(c)}')` });
      }
    }
    return null;
  }
}
