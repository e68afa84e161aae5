import { CellKind } from '../../io/write-csv.js';
import { computed, direct, presetColumns, type OutputColumn } from './columns.js';
import type { Preset } from './presets.js';
import { countryName, listOf, personName, str } from './values.js';
import { FIELDS, KEY } from '../fields/catalogue.js';

/**
 * Address books: Google Contacts and Outlook, with the headers their own
 * exports write (../shared/data/contact-exports/HEADERS_OBSERVED.md), so
 * that their import recognises every column without mapping. A company's
 * e-mail, phone and address are "Work"/"Business", a private person's
 * "Home"; phones are in E.164, which both tools read wherever they are.
 */

const blank = (header: string): OutputColumn => computed(header, [], () => null);
const isCompany = (kind: unknown): boolean => kind === 'company';

/** The phones of a row, mobile first: [label, number] pairs. */
function phones(mobile: unknown, phone: unknown, kind: unknown): [string, string][] {
  const out: [string, string][] = [];
  const m = str(mobile);
  const p = str(phone);
  if (m !== null) out.push(['Mobile', m]);
  if (p !== null && p !== m) out.push([isCompany(kind) ? 'Work' : 'Home', p]);
  return out;
}

const PHONE_SOURCES = [KEY.mobileE164, KEY.phoneE164, KEY.kind];
const phoneColumn = (n: number, part: 0 | 1): OutputColumn =>
  computed(
    `Phone ${n + 1} - ${part === 0 ? 'Label' : 'Value'}`,
    PHONE_SOURCES,
    ([m, p, k]) => phones(m, p, k)[n]?.[part] ?? null,
    part === 1 ? CellKind.phone : CellKind.text,
  );

const hasAddress = (v: readonly unknown[]): boolean => v.some((x) => str(x) !== null);
/** An address to label: the catalogue's vCard ADR fields but component 4 (a state alone makes none). */
const ADDRESS_SOURCES = FIELDS.filter((e) => e.adr !== undefined && e.adr !== 4).map((e) => e.key);

const GOOGLE_DIRECT = presetColumns('google');
/** A Google column read straight from the field the catalogue maps to it. */
function g(header: string): OutputColumn {
  const c = GOOGLE_DIRECT.get(header);
  if (!c) throw new Error(`no catalogue field is exported as Google's '${header}'`);
  return c;
}

/** Google CSV (the format Google Contacts exports since 2022), first e-mail, two phones, one address, one web site. */
export const GOOGLE: Preset = {
  name: 'google',
  delimiter: ',',
  eol: '\r\n',
  bom: true,
  listJoin: ' ::: ',
  columns: [
    g('First Name'),
    blank('Middle Name'),
    g('Last Name'),
    blank('Phonetic First Name'),
    blank('Phonetic Middle Name'),
    blank('Phonetic Last Name'),
    g('Name Prefix'),
    blank('Name Suffix'),
    blank('Nickname'),
    blank('File As'),
    g('Organization Name'),
    g('Organization Title'),
    blank('Organization Department'),
    g('Birthday'),
    g('Notes'),
    blank('Photo'),
    // Every contact Google exports is in "* myContacts"; categories become labels.
    computed('Labels', ['@categories'], ([c]) => ['* myContacts', ...listOf(c)].join(' ::: ')),
    computed('E-mail 1 - Label', [KEY.email, KEY.kind], ([e, k]) => (str(e) === null ? null : isCompany(k) ? 'Work' : 'Home')),
    g('E-mail 1 - Value'),
    phoneColumn(0, 0),
    phoneColumn(0, 1),
    phoneColumn(1, 0),
    phoneColumn(1, 1),
    computed('Address 1 - Label', [...ADDRESS_SOURCES, KEY.kind], (v) => (hasAddress(v.slice(0, -1)) ? (isCompany(v.at(-1)) ? 'Work' : 'Home') : null)),
    blank('Address 1 - Formatted'),
    g('Address 1 - Street'),
    g('Address 1 - City'),
    blank('Address 1 - PO Box'),
    g('Address 1 - Region'),
    g('Address 1 - Postal Code'),
    // Google shows the name (France), not the ISO code.
    computed('Address 1 - Country', g('Address 1 - Country').sources, ([c]) => countryName(c)),
    g('Address 1 - Extended Address'),
    // The label of the web site: from the field the catalogue writes in 'Website 1 - Value'.
    computed('Website 1 - Label', [...g('Website 1 - Value').sources, KEY.kind], ([w, k]) => (str(w) === null ? null : isCompany(k) ? 'Work' : 'Profile')),
    g('Website 1 - Value'),
  ],
  extra: (c) => c,
  mailing: false,
};

/** Outlook's CSV export header (English), all 92 columns in Outlook's order. */
export const OUTLOOK_HEADER: readonly string[] = [
  'Title', 'First Name', 'Middle Name', 'Last Name', 'Suffix', 'Company', 'Department', 'Job Title',
  'Business Street', 'Business Street 2', 'Business Street 3', 'Business City', 'Business State', 'Business Postal Code', 'Business Country/Region',
  'Home Street', 'Home Street 2', 'Home Street 3', 'Home City', 'Home State', 'Home Postal Code', 'Home Country/Region',
  'Other Street', 'Other Street 2', 'Other Street 3', 'Other City', 'Other State', 'Other Postal Code', 'Other Country/Region',
  "Assistant's Phone", 'Business Fax', 'Business Phone', 'Business Phone 2', 'Callback', 'Car Phone', 'Company Main Phone',
  'Home Fax', 'Home Phone', 'Home Phone 2', 'ISDN', 'Mobile Phone', 'Other Fax', 'Other Phone', 'Pager', 'Primary Phone',
  'Radio Phone', 'TTY/TDD Phone', 'Telex', 'Account', 'Anniversary', "Assistant's Name", 'Billing Information', 'Birthday',
  'Business Address PO Box', 'Categories', 'Children', 'Directory Server', 'E-mail Address', 'E-mail Type', 'E-mail Display Name',
  'E-mail 2 Address', 'E-mail 2 Type', 'E-mail 2 Display Name', 'E-mail 3 Address', 'E-mail 3 Type', 'E-mail 3 Display Name',
  'Gender', 'Government ID Number', 'Hobby', 'Home Address PO Box', 'Initials', 'Internet Free Busy', 'Keywords', 'Language',
  'Location', "Manager's Name", 'Mileage', 'Notes', 'Office Location', 'Organizational ID Number', 'Other Address PO Box',
  'Priority', 'Private', 'Profession', 'Referred By', 'Sensitivity', 'Spouse', 'User 1', 'User 2', 'User 3', 'User 4', 'Web Page',
];

/** A company's address goes to Business *, a person's to Home *. */
const addressPart = (forCompany: boolean, source: string, transform: (v: unknown) => unknown = (v) => v) =>
  (header: string): OutputColumn =>
    computed(header, [source, KEY.kind], ([v, k]) => (isCompany(k) === forCompany ? transform(v) : null));

const OUTLOOK_DIRECT = presetColumns('outlook');
const OUTLOOK_VALUES: Readonly<Record<string, (header: string) => OutputColumn>> = {
  // Business/Home Street, City, State…: the fields the catalogue names Outlook's address parts for.
  ...Object.fromEntries(FIELDS.flatMap((e) => (e.outlookAddress === undefined ? [] : [true, false].map((company) =>
    [`${company ? 'Business' : 'Home'} ${e.outlookAddress}`, addressPart(company, e.key, e.countryCode ? countryName : undefined)])))),
  'Business Phone': (h) => ({ ...addressPart(true, KEY.phoneE164)(h), kind: CellKind.phone }),
  'Home Phone': (h) => ({ ...addressPart(false, KEY.phoneE164)(h), kind: CellKind.phone }),
  Categories: (h) => direct(h, '@categories', CellKind.list),
  'E-mail Type': (h) => computed(h, [KEY.email], ([e]) => (str(e) === null ? null : 'SMTP')),
  'E-mail Display Name': (h) =>
    computed(h, [KEY.email, KEY.firstName, KEY.lastName, KEY.companyName], ([e, f, l, c]) => {
      const email = str(e);
      if (email === null) return null;
      const name = personName(f, l) ?? str(c);
      return name === null ? email : `${name} (${email})`;
    }),
};

export const OUTLOOK: Preset = {
  name: 'outlook',
  delimiter: ',',
  eol: '\r\n',
  bom: true,
  // Outlook separates categories with ";".
  listJoin: ';',
  columns: OUTLOOK_HEADER.map((h) => OUTLOOK_DIRECT.get(h) ?? (OUTLOOK_VALUES[h] ?? blank)(h)),
  extra: (c) => c,
  mailing: false,
};
