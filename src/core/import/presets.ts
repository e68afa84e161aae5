import type { Target } from './targets.js';
import { headerKey } from './targets.js';
import { synonymTable, type Synonym, type SynonymHit } from './synonyms.js';
import { fieldOf, GIVEN_ENTRIES, KEY } from '../fields/catalogue.js';
import { looksLikeCarnet } from './carnet-format.js';

/**
 * The exports people bring most (see HEADERS_OBSERVED.md): Google Contacts
 * (old and new), Outlook (English and French), Mailchimp and Brevo. Each
 * preset is a small table that overrides the generic synonyms where its
 * meaning differs (Brevo's NAME is the last name, SURNAME the first), plus
 * structural rules shared by all: numbered Google columns and the address
 * groups of Outlook and Thunderbird.
 */
export type Format = 'google' | 'outlook' | 'mailchimp' | 'brevo' | 'vcard' | 'carnet';
export const FORMATS: readonly Format[] = ['google', 'outlook', 'mailchimp', 'brevo', 'vcard', 'carnet'];
/** Presets read through a table of headers (carnet's own export is read by its exact column names: carnet-format.ts). */
type TableFormat = Exclude<Format, 'carnet'>;

const f = (field: Extract<Target, { t: 'field' }>['field']): Target => ({ t: 'field', field });

/** What each preset reads that is no field of the catalogue (the fields' own preset headers are in the catalogue). */
const PSEUDO: Readonly<Record<TableFormat, readonly Synonym[]>> = {
  google: [
    { target: { t: 'fullName' }, headers: ['Name', 'File As'] },
    { target: { t: 'categories' }, headers: ['Labels', 'Group Membership'] },
  ],
  outlook: [{ target: { t: 'categories' }, headers: ['Categories', 'Catégories'] }],
  mailchimp: [
    // Mailchimp's address merge field: one cell, parts two spaces apart (what `export --preset mailchimp` writes).
    { target: { t: 'combinedAddress' }, headers: ['Address', 'ADDRESS'] },
    { target: { t: 'categories' }, headers: ['TAGS'] },
  ],
  brevo: [
    { target: { t: 'consent', channel: 'email', optOut: false }, headers: ['OPT_IN', 'DOUBLE_OPT-IN'] },
    { target: { t: 'consent', channel: 'email', optOut: true }, headers: ['EMAIL_BLACKLISTED'] },
    { target: { t: 'consent', channel: 'sms', optOut: true }, headers: ['SMS_BLACKLISTED'] },
  ],
  // An address book: the columns the vCard reader (src/io/read/vcard.ts) names after the card's properties.
  // The card's UID is its external id, so that importing the same address book again updates it.
  vcard: [
    { target: { t: 'fullName' }, headers: ['FN'] },
    // A TEL of no kind: a mobile number in it goes to mobile (the catalogue has the other property columns).
    { target: f(KEY.phone), headers: ['TEL'], phoneAuto: true },
    { target: { t: 'categories' }, headers: ['CATEGORIES'] },
    { target: { t: 'extra' }, headers: ['N additional', 'N suffix', 'ORG unit', 'ROLE', 'EMAIL 2', 'EMAIL 3', 'EMAIL (more)', 'TEL 2', 'TEL 3', 'TEL (more)', 'ADR pobox', 'ADR (more)', 'NICKNAME'] },
  ],
};

function presetSynonyms(format: TableFormat): Synonym[] {
  const fields = GIVEN_ENTRIES.flatMap((e): Synonym[] => {
    // vCard: the reader's columns of the card's properties, and X-CARNET-… for fields vCard has no property for.
    const headers = format === 'vcard' && e.vcardX ? [...(e.importAs?.vcard ?? []), e.vcardX] : e.importAs?.[format];
    return headers ? [{ target: f(fieldOf(e)), headers }] : [];
  });
  return [...fields, ...PSEUDO[format]];
}

export const PRESET_TABLES: Readonly<Record<TableFormat, Map<string, SynonymHit>>> = {
  google: synonymTable(presetSynonyms('google')),
  outlook: synonymTable(presetSynonyms('outlook')),
  mailchimp: synonymTable(presetSynonyms('mailchimp')),
  brevo: synonymTable(presetSynonyms('brevo')),
  vcard: synonymTable(presetSynonyms('vcard')),
};

/** Which known export a header row looks like, or null for "some CSV". */
export function detectFormat(headers: readonly string[]): Format | null {
  const keys = new Set(headers.map(headerKey));
  const any = (...k: string[]) => k.some((x) => keys.has(x));
  if (keys.has('uid') && keys.has('nfamily') && keys.has('adrlocality')) return 'vcard';
  if (looksLikeCarnet(headers)) return 'carnet';
  if ([...keys].some((k) => GOOGLE_LIKE.test(k)) || (keys.has('givenname') && keys.has('familyname'))) {
    return 'google';
  }
  if (keys.has('emailaddress') && any('memberrating', 'optintime', 'confirmtime', 'leid', 'euid', 'unsubtime')) return 'mailchimp';
  if (any('email2address', 'businessphone', 'businessstreet', 'mobilephone', 'adressedemessagerie', 'ruebureau')) return 'outlook';
  const upper = headers.length > 0 && headers.every((h) => h.trim() === '' || /^[A-Z0-9_ -]+$/.test(h.trim()));
  if (any('emailblacklisted', 'smsblacklisted', 'extid') || (upper && keys.has('email'))) return 'brevo';
  return null;
}

/**
 * The parts of a grouped address ("Business City", "Address 1 - Region", "Ville (bureau)") by header key:
 * the catalogue's addressParts, ranked (Street 3 after Street 2 for the second line).
 */
const ADDRESS_PARTS: Readonly<Record<string, { target: Target; rank: number }>> = Object.fromEntries(
  GIVEN_ENTRIES.flatMap((e) => (e.addressParts ?? []).flatMap((keys, rank) => keys.map((k) => [k, { target: f(fieldOf(e)), rank }] as const))),
);

/** Google's column of a field, as a header key ("Website 1 - Value" → website1value). */
const googleKeys = GIVEN_ENTRIES.flatMap((e) => (e.exportAs?.google === undefined ? [] : [{ e, key: headerKey(e.exportAs.google) }]));
/** Google's numbered groups whose "… n - Value" is a field ("E-mail 2 - Value", "Website 1 - Value"): the catalogue's Google "… 1 - Value" columns. */
const GOOGLE_VALUES: ReadonlyMap<string, Target> = new Map(
  googleKeys.flatMap(({ e, key }) => {
    const group = /^([a-z]+)1value$/.exec(key)?.[1];
    return group === undefined ? [] : [[group, f(fieldOf(e))] as const];
  }),
);
/** The groups of Google's numbered columns. */
const GOOGLE_GROUPS = ['phone', 'address', 'organization', ...GOOGLE_VALUES.keys()];
/** The parts of Google's numbered address columns that are fields ("Address 1 - City"), from the catalogue. */
const GOOGLE_ADDRESS = googleKeys.flatMap(({ key }) => /^address1([a-z]+)$/.exec(key)?.[1] ?? []);
const GOOGLE_NUMBERED = new RegExp(
  `^(${GOOGLE_GROUPS.join('|')})(\\d+)(${['value', 'type', 'label', 'formatted', 'pobox', ...GOOGLE_ADDRESS, 'name', 'title', 'department', 'yominame', 'symbol', 'location', 'jobdescription'].join('|')})$`,
);
const GOOGLE_LIKE = new RegExp(`^(${GOOGLE_GROUPS.join('|')})\\d+(value|type|label|name)$`);

/** The order address groups are tried in: a row takes the first group that has anything. */
const GROUP_ORDER = ['g1', 'work', 'home', 'g2', 'g3', 'other'];
const GROUP_NAMES: Readonly<Record<string, string>> = { business: 'work', work: 'work', bureau: 'work', home: 'home', domicile: 'home', other: 'other', autre: 'other' };

export function groupRank(group: string | null): number {
  if (group === null) return -1;
  const i = GROUP_ORDER.indexOf(group);
  return i < 0 ? GROUP_ORDER.length : i;
}

/**
 * Headers whose meaning is in their structure rather than their words:
 * Google's "E-mail 2 - Value", "Phone 1 - Type", "Address 1 - City",
 * "Organization 1 - Name", and grouped addresses ("Business Street", "Home
 * ZipCode", "Ville (bureau)"). Returns the hit, plus for Google phone values
 * the header key of their label column.
 */
export function structuralHit(key: string): (SynonymHit & { labelKey?: string }) | null {
  const g = GOOGLE_NUMBERED.exec(key);
  if (g) {
    const [, kind, n, part] = g;
    const num = Number(n);
    const rank = 1000 + num;
    if (kind === 'phone' && part === 'value') return { target: f(KEY.phone), rank, phoneAuto: true, group: null, labelKey: `phone${n}type` };
    const value = part === 'value' ? GOOGLE_VALUES.get(kind ?? '') : undefined;
    if (value !== undefined) return { target: value, rank, phoneAuto: false, group: null };
    if (kind === 'organization' && num === 1 && part === 'name') return { target: f('companyName'), rank, phoneAuto: false, group: null };
    if (kind === 'organization' && num === 1 && part === 'title') return { target: f('jobTitle'), rank, phoneAuto: false, group: null };
    if (kind === 'address' && part !== undefined) {
      const p = ADDRESS_PARTS[part];
      if (p) return { target: p.target, rank: rank + p.rank, phoneAuto: false, group: `g${n}` };
    }
    return { target: { t: 'extra' }, rank, phoneAuto: false, group: null };
  }
  const m = /^(business|work|home|other)(.+)$/.exec(key) ?? /^(.+?)(bureau|domicile|autre)$/.exec(key);
  if (m) {
    const [prefix, rest] = GROUP_NAMES[m[1] ?? ''] ? [m[1] ?? '', m[2] ?? ''] : [m[2] ?? '', m[1] ?? ''];
    const part = ADDRESS_PARTS[rest];
    const group = GROUP_NAMES[prefix];
    if (part && group) return { target: part.target, rank: 2000 + part.rank, phoneAuto: false, group };
  }
  return null;
}
