import type { Channel, ConsentState } from '../model.js';
import { cleanText, lookupKey, parseDateTime } from '../normalise/index.js';

/**
 * Cell readers for the pseudo fields: consent columns and category lists.
 * Pure functions; the row builder decides what to do with a value they
 * cannot read (keep it in extra, with a warning).
 */

export interface ConsentValue {
  state: ConsentState;
  /** When the file says so (an opt-in date); null means "as of this import". */
  at: string | null;
}

const YES = new Set(['oui', 'o', 'yes', 'y', 'true', 'vrai', '1', 'x', 'ok', 'v', 'abonne', 'abonnee', 'inscrit', 'inscrite', 'subscribed', 'accepte', 'acceptee', 'granted', 'opt in', 'optin', 'opted in', 'consent', 'consenti', 'd accord', 'daccord', 'si']);
const NO = new Set(['non', 'n', 'no', 'false', 'faux', '0', 'refuse', 'refusee', 'refused', 'declined', 'pas d accord', 'not subscribed', 'non abonne', 'non inscrit']);
const CHECK_MARKS = /^[✓✔☑☒✗✘]$/;

/**
 * A consent cell: yes/no in French or English, 1/0, x, a tick, or a date
 * (an opt-in date means yes on that day). In an opt-out column ("Désabonné",
 * "Unsubscribed") yes or a date means the person withdrew, and no says
 * nothing. Blank → null; unreadable → undefined.
 */
export function readConsent(raw: string, optOut: boolean): ConsentValue | null | undefined {
  const s = cleanText(raw);
  if (s === null) return null;
  const key = lookupKey(s);
  let yes: boolean | undefined;
  let at: string | null = null;
  if (YES.has(key) || (CHECK_MARKS.test(s) && s !== '✗' && s !== '✘' && s !== '☒')) yes = true;
  else if (NO.has(key) || s === '✗' || s === '✘' || s === '☒') yes = false;
  else {
    try {
      at = parseDateTime(s, 'consent');
      yes = at !== null;
    } catch {
      return undefined;
    }
  }
  if (optOut) return yes ? { state: 'withdrawn', at } : null;
  return { state: yes ? 'granted' : 'refused', at };
}

const CATEGORY_SEPARATORS = /\s*:::\s*|\s*[;,|]\s*/;
/** Google puts every contact in "My Contacts": it says nothing about the customer. */
const SYSTEM_LABELS = new Set(['mycontacts', 'starred']);

/** Category names in a cell: "VIP", "VIP; Pro", "* myContacts ::: Friends" (Google), "A,B". */
export function readCategories(raw: string): string[] {
  const out: string[] = [];
  for (const part of raw.split(CATEGORY_SEPARATORS)) {
    const name = cleanText(part.replace(/^\*\s*/, ''));
    if (name === null) continue;
    if (SYSTEM_LABELS.has(lookupKey(name).replace(/ /g, ''))) continue;
    if (!out.some((o) => o.toLowerCase() === name.toLowerCase())) out.push(name.slice(0, 100));
  }
  return out;
}

export const CONSENT_CHANNELS: readonly Channel[] = ['email', 'sms', 'phone', 'post'];
