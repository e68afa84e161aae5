/** Two records compared field by field into agreement levels (the γ vector of a Fellegi–Sunter model): level 0
 * is "one side is empty" (no evidence either way), 1 full agreement, the last disagreement, the others between. */
import { birthTwinSlip, crossedFirstLevel, firstAffinity, firstLevel, firstLevelCached } from './first-names.js';
import { jaroWinkler, tokenListSimilarity, tokenSimilarity, withinOneEdit } from './similarity.js';
import type { MatchTable, Pool } from './table.js';
import { KEY } from '../fields/catalogue.js';

export interface FieldSpec {
  name: string;
  /** Labels of levels 1…k (level 0 is "missing"). */
  levels: readonly string[];
  /** Prior m and u for levels 1…k: where EM starts and what small files lean on. */
  m0: readonly number[];
  u0: readonly number[];
  /** Weights taken from m0/u0 as they are, never estimated. */
  fixed?: boolean;
}

const BASE_FIELDS: readonly FieldSpec[] = [
  { name: KEY.firstName, levels: ['same', 'initials or part', 'close', 'similar', 'different'], m0: [0.8, 0.08, 0.06, 0.03, 0.03], u0: [0.02, 0.01, 0.02, 0.08, 0.87] },
  { name: KEY.lastName, levels: ['same', 'close', 'similar', 'different'], m0: [0.88, 0.07, 0.03, 0.02], u0: [0.005, 0.005, 0.05, 0.94] },
  { name: 'company', levels: ['same', 'close', 'similar', 'different'], m0: [0.8, 0.1, 0.05, 0.05], u0: [0.002, 0.003, 0.02, 0.975] },
  { name: KEY.email, levels: ['same', 'same mailbox name', 'different'], m0: [0.7, 0.1, 0.2], u0: [0.0005, 0.0005, 0.999] },
  { name: KEY.phone, levels: ['same', 'different'], m0: [0.75, 0.25], u0: [0.001, 0.999] },
  { name: KEY.birthDate, levels: ['same', 'one typo', 'different'], m0: [0.9, 0.06, 0.04], u0: [0.0005, 0.004, 0.9955] },
  { name: 'location', levels: ['same postcode and town', 'same postcode or town', 'same area', 'different'], m0: [0.83, 0.1, 0.05, 0.02], u0: [0.01, 0.01, 0.03, 0.95] },
  { name: 'address', levels: ['same', 'close', 'similar', 'different'], m0: [0.7, 0.15, 0.05, 0.1], u0: [0.0005, 0.001, 0.005, 0.9935] },
  { name: 'siren', levels: ['same', 'different'], m0: [0.95, 0.05], u0: [0.0005, 0.9995] },
];

export const F_FIRST = 0;
export const F_LAST = 1;
export const F_COMPANY = 2;
export const F_EMAIL = 3;
export const F_PHONE = 4;
export const F_BIRTH = 5;
export const F_LOCATION = 6;
export const F_ADDRESS = 7;
export const F_SIREN = 8;
const FIRST_SIMILAR = 4;
const LOCATION_DIFFERENT = 4;
const FIRST_DIFFERENT = 5;
const EXTRA_LEVELS = ['same', 'one typo', 'different'] as const;

/** The fields compared for this table: the fixed ones plus its identifier-like imported columns. */
export function fieldsFor(t: MatchTable): FieldSpec[] {
  return [
    ...BASE_FIELDS,
    ...t.extras.map((e) =>
      e.declared
        ? // The user said it identifies a customer: equal is strong evidence for (+10 bits), different (even by one character: member
          // numbers run in sequence) all but a veto (-15 to -20 bits), whatever EM would make of it.
          { name: `identifier ${e.key}`, levels: EXTRA_LEVELS, m0: [0.999998, 0.000001, 0.000001], u0: [0.001, 0.03, 0.969], fixed: true }
        : // What an imported column means is unknown: modest priors, and the file's EM decides.
          { name: `extra.${e.key}`, levels: EXTRA_LEVELS, m0: [0.6, 0.1, 0.3], u0: [0.02, 0.02, 0.96] },
    ),
  ];
}

/** `sound`: both names have one phonetic key (Phin / Finn, Kristof / Christophe): similar at least, however unlike they are written. */
function lastLevel(a: string, b: string, jw: number, sound = false): number {
  if (a === '' || b === '') return 0;
  if (a === b || ((a.includes(' ') || b.includes(' ')) && a.replace(/ /g, '') === b.replace(/ /g, ''))) return 1;
  if (jw >= 0.92) return 2;
  if (sound) return 3;
  // A compound name written in part ("Martin Dupont" / "Dupont") is similar, not the same.
  if (jw >= 0.8 || ((a.includes(' ') || b.includes(' ')) && tokenSimilarity(a, b) >= 0.95)) return 3;
  return 4;
}

/** One of the first two letters in common, crosswise included (a typo at the start: "qaredn" / "garden", "hbammant" / "bammant"). */
function mayBeSame(a: string, b: string): boolean {
  const a0 = a.charCodeAt(0);
  const a1 = a.charCodeAt(1);
  const b0 = b.charCodeAt(0);
  const b1 = b.charCodeAt(1);
  return a0 === b0 || a1 === b1 || a0 === b1 || a1 === b0;
}

function affinity(a: string, b: string): number {
  return a === '' || b === '' ? 0 : a === b ? 1 : jaroWinkler(a, b);
}

function tokenLevel(pool: Pool, a: number, b: number, high: number, low: number): number {
  if (a < 0 || b < 0) return 0;
  if (a === b) return 1;
  // Two addresses with street numbers more than a typo apart are different addresses: no need to compare the words.
  const na = pool.number(a);
  const nb = pool.number(b);
  if (na !== '' && nb !== '' && na !== nb) {
    if (!withinOneEdit(na, nb)) return 4;
    // A mistyped number (46 / 64, 3 / 43): the street decides, and the pair is at best similar.
    const s = tokenListSimilarity(pool.tokens(a).slice(1), pool.tokens(b).slice(1));
    return s >= high ? 3 : 4;
  }
  const s = tokenListSimilarity(pool.tokens(a), pool.tokens(b));
  return s >= high ? 2 : s >= low ? 3 : 4;
}

/**
 * The same street and number in two different postcodes (both given) is
 * another house on a like-named street as often as the same one: close, not
 * the same, so that it alone does not join two namesakes of two towns.
 */
function addressLevel(t: MatchTable, a: number, b: number): number {
  const level = tokenLevel(t.addressPool, t.address[a] ?? -1, t.address[b] ?? -1, 0.9, 0.75);
  if (level !== 1) return level;
  const pa = t.postal[a] ?? -1;
  const pb = t.postal[b] ?? -1;
  return pa >= 0 && pb >= 0 && pa !== pb ? 2 : 1;
}

function birthLevel(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  if (a === b) return 1;
  // Day and month swapped (a US-ordered date read day-first) or one digit mistyped.
  const ya = Math.floor(a / 10000);
  const swapped = ya === Math.floor(b / 10000) && Math.floor(a / 100) % 100 === b % 100 && a % 100 === Math.floor(b / 100) % 100;
  return swapped || withinOneEdit(String(a), String(b)) ? 2 : 3;
}

/**
 * Fills `out` with the level of each field for records a and b and returns
 * 1 when the names match better crossed (first ↔ last swapped), else 0.
 */
export function comparePair(t: MatchTable, a: number, b: number, out: Uint8Array): number {
  const fa = t.firstPool.value(t.first[a] ?? -1);
  const fb = t.firstPool.value(t.first[b] ?? -1);
  const la = t.lastPool.value(t.last[a] ?? -1);
  const lb = t.lastPool.value(t.last[b] ?? -1);
  let swapped = 0;
  let jf = firstAffinity(t.firstSim, t.first[a] ?? -1, t.first[b] ?? -1, fa, fb);
  let jl = affinity(la, lb);
  // Crossed names are tried only when a first letter hints at it: most pairs never pay for it. Never when one
  // name is written the same on both sides: crossing would only trade that agreement for two likenesses (Ha Mayer / Ash Mayer).
  if (fa !== '' && fb !== '' && la !== '' && lb !== '' && la !== lb && fa !== fb && jf + jl < 1.9 && (mayBeSame(fa, lb) || mayBeSame(la, fb))) {
    const cf = affinity(fa, lb);
    const cl = affinity(la, fb);
    if (cf + cl > jf + jl + 0.05) {
      swapped = 1;
      jf = cf;
      jl = cl;
    }
  }
  // The first names compared (crossed: a's first name with b's last, or b's first name with a's last; see crossedNames).
  let [x, y, px, py] = [fa, fb, t.firstPh[a] ?? -1, t.firstPh[b] ?? -1];
  if (swapped) {
    const fromB = crossedNames(t, a, b, fa, la, fb, lb, jf, jl, out);
    [x, y, px, py] = fromB ? [fb, la, t.firstPh[b] ?? -1, t.lastPh[a] ?? -1] : [fa, lb, t.firstPh[a] ?? -1, t.lastPh[b] ?? -1];
  } else {
    out[F_FIRST] = firstLevelCached(t, a, b, fa, fb, jf);
    const sound = (t.lastPh[a] ?? -1) >= 0 && t.lastPh[a] === t.lastPh[b];
    out[F_LAST] = lastLevel(la, lb, jl, sound);
  }
  if (!swapped && (la === '' || lb === '' || fa === '' || fb === '')) oneNameCrossed(fa, la, fb, lb, out);
  out[F_COMPANY] = tokenLevel(t.companyPool, t.company[a] ?? -1, t.company[b] ?? -1, 0.9, 0.75);

  const ea = t.email[a] ?? -1;
  const eb = t.email[b] ?? -1;
  if (ea < 0 || eb < 0) out[F_EMAIL] = 0;
  else if (ea === eb) out[F_EMAIL] = 1;
  else {
    const xa = t.local[a] ?? -1;
    const xb = t.local[b] ?? -1;
    out[F_EMAIL] = xa >= 0 && xb >= 0 && (xa === xb || closeLocals(t.localPool.value(xa), t.localPool.value(xb))) ? 2 : 3;
  }

  out[F_PHONE] = t.phoneTails === 0 ? phoneLevel(t.phone1[a] ?? Number.NaN, t.phone2[a] ?? Number.NaN, t.phone1[b] ?? Number.NaN, t.phone2[b] ?? Number.NaN) : phoneLevelWithTails(t, a, b);

  out[F_BIRTH] = birthLevel(t.birth[a] ?? 0, t.birth[b] ?? 0);
  out[F_LOCATION] = locationLevel(t, a, b);
  // One birth date in one place and first names one slip apart: a typo, not a twin (see birthTwinSlip). Not
  // across places: in a big file two namesakes of two towns share a birth date now and then (Léon / Léo Martin).
  if (out[F_FIRST] === FIRST_DIFFERENT && out[F_BIRTH] === 1 && out[F_LOCATION] !== LOCATION_DIFFERENT) {
    if (birthTwinSlip(x, y, px >= 0 && px === py)) out[F_FIRST] = FIRST_SIMILAR;
  }
  out[F_ADDRESS] = addressLevel(t, a, b);
  const sa = t.siren[a] ?? -1;
  const sb = t.siren[b] ?? -1;
  out[F_SIREN] = sa < 0 || sb < 0 ? 0 : sa === sb ? 1 : 2;

  for (let k = 0; k < t.extras.length; k++) {
    const col = t.extras[k];
    const xa = col?.values[a] ?? -1;
    const xb = col?.values[b] ?? -1;
    if (!col || xa < 0 || xb < 0) out[F_SIREN + 1 + k] = 0;
    else if (xa === xb) out[F_SIREN + 1 + k] = 1;
    else out[F_SIREN + 1 + k] = withinOneEdit(col.pool.value(xa), col.pool.value(xb)) ? 2 : 3;
  }
  return swapped;
}

/**
 * Levels of crossed names, read both ways and the better kept: "Atello Hand"
 * beside "Hand Stelio" is one first name equal and one surname garbled when
 * b's first name is set against a's last, two first names unlike and one
 * surname equal the other way; reading it from a's side only made the pair's
 * score depend on which record came first. Returns true when b's first name
 * was set against a's last name.
 */
function crossedNames(t: MatchTable, a: number, b: number, fa: string, la: string, fb: string, lb: string, cf: number, cl: number, out: Uint8Array): boolean {
  const soundA = (t.lastPh[a] ?? -1) >= 0 && t.lastPh[a] === t.firstPh[b];
  const firstA = crossedFirstLevel(t, a, b, fa, lb, cf);
  const lastA = lastLevel(la, fb, cl, soundA);
  const soundB = (t.lastPh[b] ?? -1) >= 0 && t.lastPh[b] === t.firstPh[a];
  const firstB = crossedFirstLevel(t, b, a, fb, la, cl);
  const lastB = lastLevel(lb, fa, cf, soundB);
  // The fewer disagreements, then the better first name (it weighs more, and a household is told by it).
  const useB = firstB + lastB < firstA + lastA || (firstB + lastB === firstA + lastA && firstB < firstA);
  out[F_FIRST] = useB ? firstB : firstA;
  out[F_LAST] = useB ? lastB : lastA;
  return useB;
}

/**
 * A record with one name only, and that name is the other record's other
 * name: "Grubb" in the first-name column beside "Amber Grubb", or "Noah" as
 * the last name beside "Noah Cronshaw". The lone name is compared where it
 * fits, and the name it lacks counts as missing, not as different (which
 * would read as another member of the family).
 */
function oneNameCrossed(fa: string, la: string, fb: string, lb: string, out: Uint8Array): void {
  // A lone last name is common (a company's contact, "Martin" of "Taxi Martin"): it must be the other's first name nearly as written.
  const cross = (lone: string, other: string, sameSide: string, min = 0.8): number => {
    const c = affinity(lone, other);
    return c >= min && c > affinity(lone, sameSide) ? c : 0;
  };
  if (fa !== '' && la === '' && fb !== '' && lb !== '') {
    const c = cross(fa, lb, fb);
    if (c > 0) [out[F_FIRST], out[F_LAST]] = [0, lastLevel(fa, lb, c)];
  } else if (fb !== '' && lb === '' && fa !== '' && la !== '') {
    const c = cross(fb, la, fa);
    if (c > 0) [out[F_FIRST], out[F_LAST]] = [0, lastLevel(fb, la, c)];
  } else if (la !== '' && fa === '' && fb !== '' && lb !== '') {
    const c = cross(la, fb, lb, 0.92);
    if (c > 0) [out[F_FIRST], out[F_LAST]] = [firstLevel(la, fb, c), 0];
  } else if (lb !== '' && fb === '' && fa !== '' && la !== '') {
    const c = cross(lb, fa, la, 0.92);
    if (c > 0) [out[F_FIRST], out[F_LAST]] = [firstLevel(lb, fa, c), 0];
  }
}

function phoneLevel(a1: number, a2: number, b1: number, b2: number): number {
  if (Number.isNaN(a1) || Number.isNaN(b1)) return 0;
  return a1 === b1 || a1 === b2 || a2 === b1 || (!Number.isNaN(a2) && a2 === b2) ? 1 : 2;
}

const TAIL = 10_000_000;

/**
 * With phones only readable as digits (no area code, no country): a phone
 * written "555-1234" is the same as "(212) 555-1234" when their last seven
 * digits agree. Only a side without a full number is compared by its tail:
 * two full numbers still have to agree whole.
 */
function phoneLevelWithTails(t: MatchTable, a: number, b: number): number {
  const a1 = t.phone1[a] ?? Number.NaN;
  const a2 = t.phone2[a] ?? Number.NaN;
  const b1 = t.phone1[b] ?? Number.NaN;
  const b2 = t.phone2[b] ?? Number.NaN;
  const at = t.phoneTail[a] ?? Number.NaN;
  const bt = t.phoneTail[b] ?? Number.NaN;
  const full = phoneLevel(a1, a2, b1, b2);
  if (full === 1 || (Number.isNaN(at) && Number.isNaN(bt))) return full;
  const tails = (x: number, y: number, z: number): number[] => [x, y % TAIL, z % TAIL].filter((v) => !Number.isNaN(v));
  const ta = tails(at, a1, a2);
  const tb = tails(bt, b1, b2);
  if (ta.length === 0 || tb.length === 0) return full;
  return ta.some((x) => tb.includes(x)) ? 1 : 2;
}

const NOT_DIGITS = /\D+/g;

/**
 * Mailbox names one typo apart ("jeandupont" / "jeandupnt"); most pairs fail
 * the first-letter test and skip the JW. Not two that carry different
 * numbers (jean.martin17 / jean.martin42): mailbox names are made of the
 * person's name, so namesakes' mailboxes are one typo apart by construction
 * and the number is what a provider made them add to tell them apart
 * (200,000 customers whose addresses were name.surname.N chained hundreds of
 * namesakes into one cluster). One with a number and one without stays close:
 * the number a new mailbox needed because the plain name was taken.
 */
function closeLocals(a: string, b: string): boolean {
  if (a.charCodeAt(0) !== b.charCodeAt(0) || Math.abs(a.length - b.length) > 2) return false;
  const na = a.replace(NOT_DIGITS, '');
  const nb = b.replace(NOT_DIGITS, '');
  return (na === '' || nb === '' || na === nb) && jaroWinkler(a, b) >= 0.94;
}

function locationLevel(t: MatchTable, a: number, b: number): number {
  const pa = t.postal[a] ?? -1;
  const pb = t.postal[b] ?? -1;
  const ca = t.city[a] ?? -1;
  const cb = t.city[b] ?? -1;
  const postalBoth = pa >= 0 && pb >= 0;
  const cityBoth = ca >= 0 && cb >= 0;
  if (!postalBoth && !cityBoth) return 0;
  const postalEq = postalBoth && pa === pb;
  const cityEq = cityBoth && ca === cb;
  // Level 1: everything both sides give agrees; level 2: one agrees, the other not.
  if ((postalEq && (cityEq || !cityBoth)) || (cityEq && !postalBoth)) return 1;
  if (postalEq || cityEq) return 2;
  const da = t.dept[a] ?? -1;
  if (postalBoth && da >= 0 && da === t.dept[b]) return 3;
  if (cityBoth && jaroWinkler(t.cityPool.value(ca), t.cityPool.value(cb)) >= 0.9) return 3;
  return 4;
}
