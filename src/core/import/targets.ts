import type { Channel, CustomerFieldName } from '../model.js';
import { lookupKey } from '../normalise/index.js';
import { fieldOf, GIVEN_ENTRIES } from '../fields/catalogue.js';

/**
 * What a column of a customer file can feed: a customer field, a pseudo
 * field that import turns into something else (categories, a consent, a
 * full name split in two, a street number put in front of the address, the
 * file's creation and last-contact dates), extra (kept as is), or nothing
 * (only when the user says so with --map col=ignore).
 */
export type Target =
  | { t: 'field'; field: CustomerFieldName }
  | { t: 'extra'; name?: string }
  /** A field of the user's own (carnet field add), by key. */
  | { t: 'custom'; key: string }
  | { t: 'ignore' }
  | { t: 'categories' }
  | { t: 'consent'; channel: Channel; optOut: boolean }
  | { t: 'fullName' }
  | { t: 'streetNumber' }
  | { t: 'combinedAddress' }
  | { t: 'birthPart'; part: 'y' | 'm' | 'd' }
  | { t: 'createdAt' }
  | { t: 'lastContactAt' }
  /** carnet's own export: the uid of the customer the row was exported from (matches that customer). */
  | { t: 'ownUid' }
  /** carnet's own export: its extra column, a JSON object merged back into extra key by key. */
  | { t: 'extraJson' }
  /** carnet's own export: when processing was restricted (RGPD) or the customer archived. */
  | { t: 'marker'; column: 'restricted_at' | 'archived_at' };

/** Customer fields a column may fill, by the snake_case name users see (edit --set, list, export) and its aliases. */
export const CUSTOMER_TARGETS: Readonly<Record<string, CustomerFieldName>> = Object.fromEntries(
  GIVEN_ENTRIES.filter((e) => e.flag !== undefined).flatMap((e) => [e.key, ...(e.aliases ?? [])].map((name) => [name, fieldOf(e)])),
);

/** Everything --map accepts on the right of '=' (besides extra.NAME), for the usage message. */
export const MAP_TARGET_NAMES = [
  ...Object.keys(CUSTOMER_TARGETS),
  'full_name',
  'street_number',
  'address_combined',
  'categories',
  'consent',
  'consent.email',
  'consent.sms',
  'consent.phone',
  'consent.post',
  'optout',
  'created_at',
  'last_contact_at',
  'extra',
  'extra.NAME',
  'ignore',
];

/** A --map right-hand side → a target, or undefined when unknown. */
export function parseTargetName(name: string): Target | undefined {
  const n = name.trim();
  if (n.startsWith('extra.') && n.length > 6) return { t: 'extra', name: n.slice(6) };
  const key = n.toLowerCase().replace(/[\s-]+/g, '_');
  const camel = key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  const field = CUSTOMER_TARGETS[key] ?? Object.values(CUSTOMER_TARGETS).find((f) => f === camel || f.toLowerCase() === key);
  if (field) return { t: 'field', field };
  switch (key) {
    case 'extra':
      return { t: 'extra' };
    case 'ignore':
    case 'skip':
    case '_':
      return { t: 'ignore' };
    case 'categories':
    case 'category':
    case 'tags':
      return { t: 'categories' };
    case 'consent':
    case 'optin':
    case 'consent.email':
      return { t: 'consent', channel: 'email', optOut: false };
    case 'consent.sms':
      return { t: 'consent', channel: 'sms', optOut: false };
    case 'consent.phone':
      return { t: 'consent', channel: 'phone', optOut: false };
    case 'consent.post':
      return { t: 'consent', channel: 'post', optOut: false };
    case 'optout':
    case 'opt_out':
      return { t: 'consent', channel: 'email', optOut: true };
    case 'full_name':
    case 'name':
      return { t: 'fullName' };
    case 'street_number':
      return { t: 'streetNumber' };
    case 'address_combined':
      return { t: 'combinedAddress' };
    case 'created_at':
      return { t: 'createdAt' };
    case 'last_contact_at':
      return { t: 'lastContactAt' };
    default:
      return undefined;
  }
}

/** How headers are compared: case, accents, punctuation and spaces ignored ("N° SIRET" = "nsiret"). */
export function headerKey(header: string): string {
  return lookupKey(header).replace(/ /g, '');
}
