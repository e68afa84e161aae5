import { ValidationError } from '../errors.js';

/**
 * Amounts as French and English files write them, to integer cents (money
 * is never a float here). The rule for separators: when both '.' and ','
 * appear, the last one is the decimal mark; when only one kind appears once
 * followed by exactly three digits ("1.200", "1,200") the amount is
 * ambiguous (1200 in French, 1.2 in English) and refused.
 */

const HINT = 'write it like 1200.50 or 1 200,50 (no thousands separator is safest)';

// Compiled once. The fast path: "1200", "-50", "1200.50", "1200,5".
const SIMPLE = /^(-?)(\d{1,15})(?:[.,](\d{1,2}))?$/;
/** The euro written before or after: €, EUR, euros. */
const EURO = /^(?:€|eur(?:os?)?)\s*|\s*(?:€|eur(?:os?)?)$/gi;
/** Digits in groups separated by '.', ',', or spaces (regular, NBSP, narrow NBSP, thin) or the Swiss apostrophe. */
const NUMBER_BODY = /^\d*(?:(?:[.,]|[\s'’]+)\d+)*$/;
const SEPARATOR = /[.,]|[\s'’]+/g;
const LEADING_SIGN = /^([-+\u2212])\s*/;
const TRAILING_SIGN = /\s*[-\u2212]$/;
const OTHER_CURRENCY = /[a-z$£¥₣]/i;
const ZEROS = /^0+$/;
const THREE_DIGITS = /^\d{3}$/;
const ONE_TO_THREE_DIGITS = /^\d{1,3}$/;

function reject(field: string, shown: string, why = 'is not an amount', hint = HINT): never {
  throw new ValidationError(field, `'${shown}' ${why}`, hint);
}

function toCents(negative: boolean, int: string, frac: string, field: string, shown: string): number {
  // Beyond the cent only zeros are allowed: "12.500" from a 3-decimal export is 12.50; "12.505" has no value in cents.
  if (frac.length > 2 && !ZEROS.test(frac.slice(2))) reject(field, shown, 'has fractions of a cent');
  const cents = Number(int) * 100 + Number(frac.slice(0, 2).padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) reject(field, shown, 'is too large');
  // No -0: "-0" is zero.
  return negative && cents !== 0 ? -cents : cents;
}

/** Strips currency and sign around the number; returns the bare number text and its sign. */
function unwrap(shown: string, field: string): { body: string; negative: boolean } {
  let s = shown;
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  s = s.replace(EURO, '');
  const lead = LEADING_SIGN.exec(s);
  const trail = lead ? null : TRAILING_SIGN.exec(s);
  if ((lead || trail) && negative) reject(field, shown);
  if (lead) {
    negative = lead[1] !== '+';
    s = s.slice(lead[0].length);
  } else if (trail) {
    negative = true;
    s = s.slice(0, trail.index);
  }
  // The euro may also sit between the sign and the number: "-€50", "- 50 €".
  return { body: s.replace(EURO, ''), negative };
}

/**
 * Integer cents from an amount: 1200.50, 1 200,50 (regular, NBSP or narrow
 * NBSP groups), 1.200,50, 1,200.50, 1200,5, € 1200, 1200 €, 1200EUR, -50,
 * (50,00) as accountants write a negative. Ambiguous or invalid → ValidationError.
 */
export function parseAmountCents(raw: string | null | undefined, field = 'amount'): number {
  if (raw === null || raw === undefined) reject(field, '', 'is empty');
  const fast = SIMPLE.exec(raw);
  if (fast) return toCents(fast[1] === '-', fast[2] ?? '0', fast[3] ?? '', field, raw);

  const shown = raw.trim();
  const { body, negative } = unwrap(shown, field);
  if (body === '') reject(field, shown, 'is empty');
  if (!NUMBER_BODY.test(body)) {
    const currency = OTHER_CURRENCY.test(body) ? 'amounts are in euros; put another currency in the currency field' : HINT;
    reject(field, shown, 'is not an amount', currency);
  }
  // Digit groups and the separators between them (a run of spaces is one separator, written ' ').
  const groups = body.split(SEPARATOR);
  const seps = (body.match(SEPARATOR) ?? []).map((m) => (m === '.' || m === ',' ? m : ' '));
  const last = seps[seps.length - 1];
  if (last === undefined) return toCents(negative, body, '', field, shown);

  // The last separator is the decimal mark when it is a '.' or ',' that appears only once.
  const decimal = last !== ' ' && seps.indexOf(last) === seps.length - 1;
  const thousands = decimal ? seps.slice(0, -1) : seps;
  const groupMark = thousands[0];
  if (groupMark !== undefined && thousands.some((m) => m !== groupMark)) reject(field, shown, 'mixes thousands separators');
  const intGroups = decimal ? groups.slice(0, -1) : groups;
  const frac = decimal ? (groups[groups.length - 1] ?? '') : '';
  if (decimal && frac === '') reject(field, shown);

  if (groupMark !== undefined) {
    const [first = '', ...others] = intGroups;
    if (!ONE_TO_THREE_DIGITS.test(first) || !others.every((g) => THREE_DIGITS.test(g))) {
      reject(field, shown, 'has misplaced thousands separators');
    }
  } else if (decimal && frac.length === 3 && ONE_TO_THREE_DIGITS.test(intGroups[0] ?? '') && intGroups[0] !== '0') {
    const int = intGroups[0] ?? '';
    reject(field, shown, 'is ambiguous (thousands or decimals?)', `write ${int}${frac} or ${int}${last}${frac.slice(0, 2)}`);
  }
  const int = intGroups.join('');
  return toCents(negative, int === '' ? '0' : int, frac, field, shown);
}

/** Formats cents the French way, "1 200,50" (narrow NBSP groups, as Intl does), e.g. for messages. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const int = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+$)/g, '\u202f');
  return `${sign}${int},${String(abs % 100).padStart(2, '0')}`;
}
