import { createHash } from 'node:crypto';
import { isMobileE164 } from '../normalise/index.js';
import { CONTACT_SOURCES } from '../../db/repositories/export.js';
import { KEY, FIELDS, type CatalogueEntry } from '../fields/catalogue.js';
import { customText, vcardXOf, type CustomFieldDef } from '../fields/custom.js';
import { vcardDate, vcardTimestamp, type VCardProperty } from '../../io/vcard.js';
import { countryName, listOf, personName, str } from './values.js';

/** Fields vCard has no property for: X-CARNET-… properties, read back by the vcard import preset. */
const X_CARNET = FIELDS.filter((e) => e.vcardX !== undefined);

/** The fields of vCard's N and ADR, by the component the catalogue gives them. */
const N_FIELDS = FIELDS.filter((e) => e.vcardN !== undefined);
const ADR_FIELDS = FIELDS.filter((e) => e.adr !== undefined);
/** The components that make an address (street, locality, postal code): the others alone make none. */
const ADR_PROPER: ReadonlySet<number> = new Set([2, 3, 5]);

/** What a card is made of: the customer's columns, then its contacts' (one row per contact). */
export const VCARD_SOURCES: readonly string[] = [
  'id', 'uid', KEY.kind, ...N_FIELDS.map((e) => e.key), KEY.companyName, KEY.email, KEY.phoneE164, KEY.phone,
  KEY.mobileE164, ...ADR_FIELDS.map((e) => e.key), KEY.birthDate,
  ...FIELDS.filter((e) => e.vcard !== undefined).map((e) => e.key),
  'updated_at', '@categories', ...X_CARNET.map((e) => e.key), ...CONTACT_SOURCES,
];

/** The export source of a field of one's own (read from the customers.custom JSON). */
export function customSource(key: string): string {
  return `custom.${key}`;
}

/** The property of a contact's card that names its company's uid (read back by src/core/import/contact-cards.ts). */
export const CONTACT_OF = 'X-CARNET-CONTACT-OF';

export type Get = (key: string) => unknown;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Constant parameter sets: the writer encodes each once. */
const PARAMS = {
  home: { TYPE: 'home' },
  work: { TYPE: 'work' },
  telCell: { VALUE: 'uri', TYPE: ['cell'] },
  telHome: { VALUE: 'uri', TYPE: ['home', 'voice'] },
  telWork: { VALUE: 'uri', TYPE: ['work', 'voice'] },
  textCell: { TYPE: ['cell'] },
  textHome: { TYPE: ['home', 'voice'] },
  textWork: { TYPE: ['work', 'voice'] },
} as const;
type TelKind = 'cell' | 'home' | 'work';

function text(name: string, value: unknown, params?: VCardProperty['params']): VCardProperty[] {
  const s = str(value);
  return s === null ? [] : [{ name, value: { text: s }, ...(params ? { params } : {}) }];
}

/** A phone as a `tel:` URI (vCard 4.0's form), or as text when it was never normalised. */
function tel(e164: unknown, display: unknown, kind: TelKind): VCardProperty[] {
  const e = str(e164);
  const uri = kind === 'cell' ? PARAMS.telCell : kind === 'home' ? PARAMS.telHome : PARAMS.telWork;
  if (e !== null) return [{ name: 'TEL', params: uri, value: { raw: `tel:${e}` } }];
  const d = str(display);
  const plain = kind === 'cell' ? PARAMS.textCell : kind === 'home' ? PARAMS.textHome : PARAMS.textWork;
  return d === null ? [] : [{ name: 'TEL', params: plain, value: { text: d } }];
}

/** The properties of this name that the catalogue maps fields to (its `vcard` attribute: TITLE, NOTE, URL). */
function catalogueText(name: NonNullable<CatalogueEntry['vcard']>, get: Get): VCardProperty[] {
  return FIELDS.filter((e) => e.vcard === name).flatMap((e) => {
    if (name !== 'URL') return text(name, get(e.key));
    // A URI value is written as is: no text escaping, and no line break can survive in it.
    const url = str(get(e.key));
    return url === null ? [] : [{ name, value: { raw: url.replace(/[\r\n]/g, '') } }];
  });
}

/** N's five components from the fields mapped to them (`prefix`: a contact's columns, ct.…). */
function nameFields(get: Get, prefix = ''): (string | null)[] {
  const parts: (string | null)[] = ['', '', '', '', ''];
  for (const e of N_FIELDS) parts[e.vcardN as number] = str(get(prefix + e.key));
  return parts;
}

/** ADR's seven components, or null when there is no address proper. */
function addressFields(get: Get): (string | null)[] | null {
  const parts: (string | null)[] = ['', '', '', '', '', '', ''];
  let proper = false;
  for (const e of ADR_FIELDS) {
    const i = e.adr as number;
    const v = e.countryCode ? countryName(get(e.key)) : str(get(e.key));
    if (v === null) continue;
    if (ADR_PROPER.has(i)) proper = true;
    parts[i] = parts[i] === '' ? v : `${parts[i] ?? ''}\n${v}`;
  }
  return proper ? parts : null;
}

function uidProperty(uid: string): VCardProperty {
  return UUID.test(uid) ? { name: 'UID', value: { raw: `urn:uuid:${uid.toLowerCase()}` } } : { name: 'UID', value: { text: uid } };
}

/** A stable UUID for a contact (it has no uid of its own), so a re-import updates the same card. */
export function contactUid(customerUid: string, contactId: unknown): string {
  const h = createHash('sha1').update(`carnet:${customerUid}:contact:${String(contactId)}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50; // version 5 (name-based, SHA-1)
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

function common(props: VCardProperty[], categories: unknown, rev: unknown): void {
  const cats = listOf(categories);
  if (cats.length > 0) props.push({ name: 'CATEGORIES', value: { list: cats } });
  const t = str(rev) && vcardTimestamp(String(rev));
  if (t) props.push({ name: 'REV', value: { raw: t } });
}

/** Extra channels of a file: its contacts that have no name (a "compta@" address, a switchboard). */
export interface ExtraChannels {
  emails: string[];
  phones: { e164: unknown; display: unknown }[];
}

/** The card of a customer: a person (KIND:individual) or a company (KIND:org, shown as a company by Apple Contacts). */
export function customerCard(get: Get, extra: ExtraChannels, own: readonly CustomFieldDef[] = []): VCardProperty[] {
  const company = get(KEY.kind) === 'company';
  const where = company ? 'work' : 'home';
  const person = personName(get(KEY.firstName), get(KEY.lastName));
  const fn = company ? (str(get(KEY.companyName)) ?? person) : (person ?? str(get(KEY.companyName)));
  const props: VCardProperty[] = [
    { name: 'KIND', value: { raw: company ? 'org' : 'individual' } },
    { name: 'FN', value: { text: fn ?? str(get(KEY.email)) ?? str(get(KEY.phone)) ?? '(no name)' } },
    { name: 'N', value: { fields: company ? ['', '', '', '', ''] : nameFields(get) } },
  ];
  const org = str(get(KEY.companyName));
  if (org !== null) props.push({ name: 'ORG', value: { fields: [org] } });
  if (company) props.push({ name: 'X-ABShowAs', value: { raw: 'COMPANY' } });
  props.push(...catalogueText('TITLE', get));
  props.push(...text('EMAIL', get(KEY.email), PARAMS[where]));
  for (const e of extra.emails) props.push(...text('EMAIL', e, PARAMS.work));
  props.push(...tel(get(KEY.mobileE164), null, 'cell'));
  props.push(...tel(get(KEY.phoneE164), get(KEY.phone), where));
  for (const p of extra.phones) props.push(...tel(p.e164, p.display, 'work'));
  const adr = addressFields(get);
  if (adr !== null) props.push({ name: 'ADR', params: PARAMS[where], value: { fields: adr } });
  props.push(...catalogueText('URL', get));
  const bday = str(get(KEY.birthDate));
  const b = bday && vcardDate(bday);
  if (b) props.push({ name: 'BDAY', value: { raw: b } });
  props.push(...catalogueText('NOTE', get));
  for (const e of X_CARNET) props.push(...text(e.vcardX as string, get(e.key)));
  for (const d of own) props.push(...text(vcardXOf(d.key), customText(get(customSource(d.key)))));
  props.push(uidProperty(String(get('uid'))));
  common(props, get('@categories'), get('updated_at'));
  return props;
}

/** Fields a contact person has that map to a vCard text property (URL, written raw, is a customer's only). */
const CONTACT_VCARD_TEXT = FIELDS.filter((e) => e.contact === true && e.vcard !== undefined && e.vcard !== 'URL');

/** The card of a named contact of a file: their own name and channels, the company as ORG. */
export function contactCard(get: Get): VCardProperty[] {
  const name = personName(get(`ct.${KEY.firstName}`), get(`ct.${KEY.lastName}`));
  const company = get(KEY.kind) === 'company' ? (str(get(KEY.companyName)) ?? personName(get(KEY.firstName), get(KEY.lastName))) : str(get(KEY.companyName));
  const props: VCardProperty[] = [
    { name: 'KIND', value: { raw: 'individual' } },
    { name: 'FN', value: { text: name ?? str(get(`ct.${KEY.email}`)) ?? '(no name)' } },
    { name: 'N', value: { fields: nameFields(get, 'ct.') } },
  ];
  if (company !== null) props.push({ name: 'ORG', value: { fields: [company] } });
  props.push(...text('TITLE', get('ct.role')));
  props.push(...text('EMAIL', get(`ct.${KEY.email}`), PARAMS.work));
  const e164 = str(get(`ct.${KEY.phoneE164}`));
  props.push(...tel(e164, get(`ct.${KEY.phone}`), e164 !== null && isMobileE164(e164) ? 'cell' : 'work'));
  // A contact's own fields that the catalogue maps to a vCard property as text (NOTE, by its vcard attribute).
  for (const e of CONTACT_VCARD_TEXT) props.push(...text(e.vcard as string, get(`ct.${e.key}`)));
  props.push(uidProperty(contactUid(String(get('uid')), get('ct.id'))));
  // The link back to the file this person is on: an import makes the card a contact of it, not a customer.
  props.push({ name: CONTACT_OF, value: { text: String(get('uid')) } });
  common(props, get('@categories'), get('ct.updated_at'));
  return props;
}

/** A contact with a name gets a card; one without is a channel of its file's card. */
export function isNamedContact(get: Get): boolean {
  return personName(get(`ct.${KEY.firstName}`), get(`ct.${KEY.lastName}`)) !== null;
}
