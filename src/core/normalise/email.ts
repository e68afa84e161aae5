import { domainToASCII } from 'node:url';
import { ValidationError } from '../errors.js';
import { cleanText } from './text.js';
import { KEY } from '../fields/catalogue.js';

export interface NormalisedEmail {
  /** What the user typed, trimmed and unwrapped (mailto:, <…>): shown back to them. */
  email: string;
  /** The matching key: lower-cased, IDN domain in its ASCII (punycode) form. */
  emailNorm: string;
}

const HINT = 'expected one address such as jean.dupont@example.fr';

// Compiled once: import calls this on every row.
const MAILTO = /^mailto:/i;
/** "Jean Dupont <jean@x.fr>" as Outlook and mail clients copy it. */
const DISPLAY_NAME_FORM = /^[^<>]*<([^<>]+)>$/;
/** RFC 5322 dot-atom local part (no quoted strings: in a customer file they are typos). */
const LOCAL_ASCII = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;
/** SMTPUTF8 (RFC 6531) allows letters beyond ASCII in the local part. */
const LOCAL_UNICODE = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
/** LDH labels, at least two, a TLD of letters or an IDN TLD (xn--…). */
const DOMAIN_ASCII = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;
const ASCII = /^[\x21-\x7e]*$/;
const TRAILING_PUNCTUATION = /[.,;]+$/;

function reject(shown: string, hint = HINT): never {
  throw new ValidationError(KEY.email, `'${shown}' is not an e-mail address`, hint);
}

/**
 * Cleans and validates one e-mail address. null/empty → null. Accepts the
 * forms people paste: `mailto:x@y.fr`, `<x@y.fr>`, `Jean <x@y.fr>`. Several
 * addresses in one cell are refused rather than guessed at: which one is the
 * customer's is not ours to decide.
 */
export function normaliseEmail(raw: string | null | undefined): NormalisedEmail | null {
  let s = cleanText(raw);
  if (s === null) return null;
  const shown = s;
  // The prefix and wrapper checks are guarded by a char test: most cells have neither.
  if ((s.charCodeAt(0) | 32) === 109 && MAILTO.test(s)) {
    s = s.slice(7);
    // mailto: URLs may carry ?subject=…; an address never needs a '?' in practice.
    const q = s.indexOf('?');
    if (q >= 0) s = s.slice(0, q);
    try {
      s = decodeURIComponent(s).trim();
    } catch {
      reject(shown);
    }
  }
  if (s.charCodeAt(s.length - 1) === 62) {
    const wrapped = DISPLAY_NAME_FORM.exec(s);
    if (wrapped?.[1] !== undefined) s = wrapped[1].trim();
  }

  const at = s.indexOf('@');
  if (at <= 0 || at !== s.lastIndexOf('@') || at === s.length - 1) {
    const many = /[,;]|\s/.test(s) && (s.match(/@/g)?.length ?? 0) > 1;
    reject(shown, many ? 'one address per field; keep the others as contacts (carnet contact add)' : HINT);
  }
  const local = s.slice(0, at);
  let domain = s.slice(at + 1);
  // A dot or semicolon after the TLD is punctuation copied from a sentence or a list.
  const lastChar = domain.charCodeAt(domain.length - 1);
  if (lastChar === 46 || lastChar === 44 || lastChar === 59) domain = domain.replace(TRAILING_PUNCTUATION, '');
  if (local.length > 64) reject(shown, 'the part before @ is longer than 64 characters');

  let asciiDomain: string;
  if (ASCII.test(s)) {
    if (!LOCAL_ASCII.test(local)) reject(shown);
    asciiDomain = domain.toLowerCase();
  } else {
    if (!LOCAL_UNICODE.test(local)) reject(shown);
    // IDN (café.fr): WHATWG's domainToASCII applies UTS #46 and returns '' when invalid.
    asciiDomain = ASCII.test(domain) ? domain.toLowerCase() : domainToASCII(domain.normalize('NFC'));
    if (asciiDomain === '') reject(shown);
  }
  if (asciiDomain.length > 253 || !DOMAIN_ASCII.test(asciiDomain)) reject(shown);

  // Reuse the cell's string when nothing was trimmed off (the common case): less garbage on big imports.
  const email = domain.length === s.length - at - 1 ? s : `${local}@${domain}`;
  const emailNorm = asciiDomain === domain && email === email.toLowerCase() ? email : `${local.toLowerCase()}@${asciiDomain}`;
  return { email, emailNorm };
}
