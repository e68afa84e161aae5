import { domainToASCII } from 'node:url';
import type { EmailSearch } from '../../db/repositories/customers.js';

/** A domain as the customers' normalised e-mail stores it: lower case, in ASCII (an IDN in punycode). */
function domainOf(raw: string): string | null {
  const d = raw.toLowerCase();
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(d) ? d : domainToASCII(d.normalize('NFC'));
  return ascii === '' ? null : ascii;
}

/**
 * What one search word says about an e-mail address. E-mail addresses are not
 * in the full-text index (migration 0005): `search` finds them through the
 * normalised e-mail column and its index instead —
 *   `jean.dupont@orange.fr`  the whole address,
 *   `@orange.fr`             every address at that domain,
 *   `jean.dupont`            every address with that local part (a plain word may be one).
 */
export function emailCriterion(word: string): EmailSearch | null {
  const w = word.trim().normalize('NFC');
  if (w === '' || /\s/.test(w)) return null;
  const at = w.indexOf('@');
  if (at !== w.lastIndexOf('@')) return null;
  if (at < 0) return { local: w.toLowerCase() };
  const domain = at === w.length - 1 ? null : domainOf(w.slice(at + 1));
  if (at === 0) return domain === null ? null : { domain };
  if (domain === null) return { local: w.slice(0, at).toLowerCase() };
  return { address: `${w.slice(0, at).toLowerCase()}@${domain}` };
}
