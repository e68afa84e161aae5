import { LIST_SEPARATOR } from '../../io/write-csv.js';
import { frenchCountryName } from '../normalise/index.js';

/** Small value helpers shared by the presets and the vCard cards. */

export function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = typeof v === 'string' ? v : String(v);
  return s === '' ? null : s;
}

/** The categories of a row (a U+001F-joined SQL value) as a list. */
export function listOf(v: unknown): string[] {
  const s = str(v);
  return s === null ? [] : s.split(LIST_SEPARATOR);
}

const countryNames = new Map<string, string>();

/**
 * A country's name in French (FR → France, BE → Belgique) for address
 * books, which show the country as written; carnet's import reads French
 * and English names back to the code. Memoised: an export asks for the same few.
 */
export function countryName(code: unknown): string | null {
  const c = str(code);
  if (c === null) return null;
  let name = countryNames.get(c);
  if (name === undefined) {
    name = frenchCountryName(c);
    countryNames.set(c, name);
  }
  return name;
}

/** The name of a person (first and last) or, failing that, of the company, or the e-mail. */
export function personName(first: unknown, last: unknown): string | null {
  const s = [str(first), str(last)].filter((x) => x !== null).join(' ');
  return s === '' ? null : s;
}
