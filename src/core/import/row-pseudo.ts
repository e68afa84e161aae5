import { cleanText } from '../normalise/index.js';
import type { MappingPlan } from './mapping.js';
import { blank, FI_ADDRESS1, FI_ADDRESS2, FI_BIRTH, FI_CITY, FI_COMPANY, FI_COUNTRY, FI_FIRST, FI_LAST, FI_POSTAL, FI_REGION, type RowState } from './row-state.js';

/**
 * Columns that feed fields only once taken apart or put together: a full
 * name, Thunderbird's birth date in three columns, a street number in its
 * own column, Mailchimp's one-cell address. Each writes into the row's
 * values only where the file gave no value of its own.
 */

/** "Loïc Le Gall": the first word is the first name, the rest the last name (particles stay with it). */
export function splitFullName(st: RowState, plan: MappingPlan): void {
  const vals = st.vals;
  for (const c of plan.fullName) {
    const v = cleanText(st.cells[c]);
    if (v === null) continue;
    if (vals[FI_FIRST] === undefined && vals[FI_LAST] === undefined && vals[FI_COMPANY] === undefined) {
      const sp = v.indexOf(' ');
      if (sp < 0) vals[FI_LAST] = v;
      else {
        vals[FI_FIRST] = v.slice(0, sp);
        vals[FI_LAST] = v.slice(sp + 1);
      }
    } else if (v !== [vals[FI_FIRST], vals[FI_LAST]].filter(Boolean).join(' ')) st.keep(c);
  }
}

/** Thunderbird's three birth date columns, and a street number put before the street. */
export function birthAndStreetNumber(st: RowState, plan: MappingPlan): void {
  const { y, m, d } = plan.birthParts;
  const cells = st.cells;
  const vals = st.vals;
  if (y !== null && m !== null && d !== null) {
    if (!blank(cells[y]) && !blank(cells[m]) && !blank(cells[d]) && vals[FI_BIRTH] === undefined) {
      vals[FI_BIRTH] = `${(cells[y] ?? '').trim()}-${(cells[m] ?? '').trim().padStart(2, '0')}-${(cells[d] ?? '').trim().padStart(2, '0')}`;
      st.from[FI_BIRTH] = y;
    } else {
      st.keep(y);
      st.keep(m);
      st.keep(d);
    }
  }
  for (const c of plan.streetNumber) {
    const v = cleanText(cells[c]);
    if (v === null) continue;
    const street = vals[FI_ADDRESS1];
    if (street !== undefined) vals[FI_ADDRESS1] = `${v} ${street}`;
    else st.keep(c);
  }
}

/**
 * Mailchimp's one-cell address, read from the end as Mailchimp does:
 * country, postal code, state, city; the first part is the street and
 * anything between is line 2. A state that is a number is the
 * département, which carnet derives from the postal code. A cell that is
 * not in that shape stays whole in extra; fields the file gives in their
 * own columns win.
 */
export function splitCombinedAddress(st: RowState, plan: MappingPlan): void {
  const vals = st.vals;
  for (const c of plan.combinedAddress) {
    // Split before any cleaning: cleaning folds the double spaces that separate the parts.
    const raw = st.cells[c];
    if (raw === undefined || blank(raw)) continue;
    const parts = raw.split(/\s{2,}/).map((p) => cleanText(p)).filter((p): p is string => p !== null);
    if (parts.length < 4 || vals[FI_ADDRESS1] !== undefined) {
      st.keep(c);
      continue;
    }
    const [line1, ...rest] = parts;
    const country = rest.pop();
    const postal = rest.pop();
    const state = rest.pop();
    const city = rest.pop();
    const give = (fi: number, value: string | undefined): void => {
      if (value === undefined || value === '' || vals[fi] !== undefined) return;
      vals[fi] = value;
      st.from[fi] = c;
    };
    give(FI_ADDRESS1, line1);
    give(FI_ADDRESS2, rest.join(' '));
    give(FI_CITY, city);
    if (state !== undefined && !/^\d[\dAB]?\d?$/.test(state)) give(FI_REGION, state);
    give(FI_POSTAL, postal);
    give(FI_COUNTRY, country);
  }
}

