import { CellKind } from '../../io/write-csv.js';
import { fold } from '../normalise/index.js';
import { computed, direct, presetColumns, type OutputColumn } from './columns.js';
import { FIELDS, KEY, type ExportPresetName } from '../fields/catalogue.js';
import { GOOGLE, OUTLOOK } from './presets-contacts.js';
import type { PresetName } from './types.js';
import { str } from './values.js';

/**
 * A file layout another tool imports without any column mapping: its
 * headers, separator, line ends and cell conventions.
 */
export interface Preset {
  name: PresetName;
  delimiter: string;
  eol: string;
  bom: boolean;
  /** How several values share one cell (tags, labels, categories). */
  listJoin: string;
  columns: readonly OutputColumn[];
  /** A column added after the preset's own with --columns, named the tool's way. */
  extra: (column: OutputColumn) => OutputColumn;
  /** A mailing tool: exporting to it without --for is worth a warning. */
  mailing: boolean;
}

/** The preset's columns read straight from the fields the catalogue maps to these headers, in this order. */
function fieldColumns(preset: ExportPresetName, headers: readonly string[]): OutputColumn[] {
  const byHeader = presetColumns(preset);
  return headers.map((h) => {
    const c = byHeader.get(h);
    if (!c) throw new Error(`no catalogue field is exported as ${preset}'s '${h}'`);
    return c;
  });
}

/**
 * Brevo: the four attributes every account has (EMAIL, FIRSTNAME,
 * LASTNAME, SMS), `;`-separated as Brevo's own examples, phones in E.164
 * (+33612345678: Brevo wants the country code). Other attributes exist only
 * if the account created them, so they come only when asked with --columns,
 * named as Brevo names attributes (CITY, POSTAL_CODE, FIDELITE).
 */
const BREVO: Preset = {
  name: 'brevo',
  delimiter: ';',
  eol: '\n',
  bom: false,
  listJoin: ',',
  columns: [
    ...fieldColumns('brevo', ['EMAIL', 'FIRSTNAME', 'LASTNAME']),
    direct('SMS', '@sms', CellKind.phone),
  ],
  extra: (c) => ({ ...c, header: brevoAttribute(c.header) }),
  mailing: true,
};

/** city → CITY, extra.fidélité → FIDELITE: Brevo attribute names are upper-case letters, digits and _. */
export function brevoAttribute(name: string): string {
  const base = name.replace(/^extra\./i, '');
  return fold(base).toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'ATTRIBUTE';
}

/** The catalogue's ADR fields in component order (street lines, city, state, zip, country), then the département. */
const ADR_SORTED = FIELDS.filter((e) => e.adr !== undefined).sort((a, b) => (a.adr ?? 0) - (b.adr ?? 0));
const MAILCHIMP_ADDRESS = [...ADR_SORTED.map((e) => e.key), 'department'];
/** Where the state is (ADR component 4). */
const STATE = ADR_SORTED.findIndex((e) => e.adr === 4);
/** The parts that make an address: the first street line, the locality and the postal code. */
const ADDRESS_PROPER = [2, 3, 5].map((c) => ADR_SORTED.findIndex((e) => e.adr === c));

/**
 * Mailchimp's import matches these default audience fields by name. The
 * address is one cell whose parts are separated by two spaces, commas
 * removed, country as a two-letter code (Mailchimp's import guide); tags are
 * comma-separated in one cell.
 */
const MAILCHIMP: Preset = {
  name: 'mailchimp',
  delimiter: ',',
  eol: '\n',
  bom: false,
  listJoin: ',',
  columns: [
    ...fieldColumns('mailchimp', ['Email Address', 'First Name', 'Last Name']),
    computed('Phone Number', [KEY.mobileE164, KEY.phoneE164], ([m, p]) => str(m) ?? str(p), CellKind.phone),
    computed('Address', MAILCHIMP_ADDRESS, mailchimpAddress),
    direct('Tags', '@categories', CellKind.list),
  ],
  extra: (c) => {
    if (c.header === KEY.companyName) return { ...c, header: 'Company' };
    // Mailchimp's birthday field takes MM/DD.
    if (c.header === KEY.birthDate) return computed('Birthday', c.sources, ([d]) => str(d)?.replace(/^\d{4}-(\d{2})-(\d{2}).*$/, '$1/$2') ?? null);
    return { ...c, header: titleCase(c.header) };
  },
  mailing: true,
};

function titleCase(name: string): string {
  return name
    .replace(/^extra\./i, '')
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/**
 * Mailchimp's "Address - Combined": street, [line 2], city, state, zip, country, two spaces apart, no commas —
 * vCard ADR's order, so its sources are the catalogue's ADR fields in component order; the
 * département stands in for a missing state (just before the zip, component 5).
 */
function mailchimpAddress(values: readonly unknown[]): string | null {
  const parts = values.map((v) => {
    const s = str(v);
    return s === null ? null : s.replace(/,/g, ' ').replace(/\s+/g, ' ').trim() || null;
  });
  const at = (i: number): string | null => parts[i] ?? null;
  if (!ADDRESS_PROPER.some((i) => at(i) !== null)) return null;
  // Mailchimp reads the parts from the end (country, zip, state, city): the state must be there.
  const state = at(STATE) ?? at(MAILCHIMP_ADDRESS.length - 1);
  return parts.slice(0, -1).map((p, i) => (i === STATE ? state : p)).filter((p): p is string => p !== null).join('  ');
}

export const PRESETS: Readonly<Record<PresetName, Preset>> = { brevo: BREVO, mailchimp: MAILCHIMP, google: GOOGLE, outlook: OUTLOOK };
