/**
 * Scores a pair with the estimated model: the prior plus each field's
 * weight, exact agreements adjusted by how common the shared value is.
 */
import { comparePair, F_ADDRESS, F_BIRTH, F_COMPANY, F_EMAIL, F_FIRST, F_LAST, F_LOCATION, F_PHONE, F_SIREN, type FieldSpec } from './compare.js';
import { FLOOR } from './cluster.js';
import { LEVEL_BITS, probabilityOf, type LinkageModel } from './model.js';
import type { HashPool, MatchTable, Pool } from './table.js';

/**
 * Fields a household shares: a couple or a parent and child have one
 * surname, one address, one landline. When the first names are different
 * (not a typo, not initials, not swapped), agreement on these is what
 * "another person of the same family" predicts as well as "the same
 * person", so it is not counted: the naive sum of evidence would otherwise
 * merge spouses. Person-specific fields (birth date, e-mail, identifiers)
 * still count.
 */
const HOUSEHOLD_FIELDS = new Set([F_LAST, F_PHONE, F_LOCATION, F_ADDRESS, F_COMPANY]);
/** The same sets as flags by field index, for the per-pair loop. */
const flags = (s: Set<number>): Uint8Array => Uint8Array.from({ length: F_SIREN + 1 }, (_, f) => (s.has(f) ? 1 : 0));
const FIRST_DIFFERENT = 5;
/** Fields that tie a record to one person or one place where they can be reached. */
const CONTACT_FIELDS = new Set([F_EMAIL, F_PHONE, F_BIRTH, F_ADDRESS, F_SIREN]);
const CONTACT = flags(CONTACT_FIELDS);
const HOUSEHOLD = flags(HOUSEHOLD_FIELDS);
const LOCATION_DIFFERENT = 4;
/**
 * Namesakes: when the towns differ and nothing that reaches or identifies
 * the person agrees (no e-mail, phone, birth date, address, SIREN or
 * imported identifier), the names alone never make a likely match: "Marie
 * Martin" in Lille and "Marie Martin" in Bordeaux are two people until
 * something else says otherwise. The pair's evidence is capped below even
 * odds (1:2): at exactly even odds such pairs passed the clustering's
 * average test (≥ 0.5), so two true clusters of namesakes chained into one
 * (the main loss of precision at a million people).
 */
const NAMESAKE_CAP_BITS = -1;

/**
 * Businesses: two companies at one address (a hotel's restaurants, a
 * church's programmes, a shopping centre) or one chain's branches share
 * address or name and nothing else. For records with no person's name, a
 * company name that is not the same, or the same name at different
 * addresses, makes no likely match unless something that identifies the
 * business agrees too (phone, e-mail, SIREN, an identifier).
 */
const BUSINESS_CAP_BITS = -1;
/**
 * A declared identifier (carnet dedupe identifier add) that differs: the user
 * said it tells customers apart, so whatever else agrees (one name at one
 * address: a father and his son, two members of one household) the pair is
 * not a match, and it vetoes joining their clusters.
 */
const DECLARED_DIFFERENT_CAP_BITS = -7;
/**
 * Two first names that are not one written twice (not the same, not
 * initials, not a typo: Léa and Louis, Louis and Louise): twins share a
 * surname, an address and a birth date, so nothing a household shares
 * makes them one person; only one e-mail address (Bob and Robert writing
 * from one mailbox) or one identifier (a customer or social-security
 * number) does. Below even odds: never a match on its own, yet
 * no veto on a cluster that other records join.
 */
const OTHER_FIRST_NAME_CAP_BITS = -1;
/**
 * Just above the clustering's veto (FLOOR): where a pair whose first names
 * differ and nothing else disagrees is kept. Such a pair is no evidence of two
 * people (cluster.ts), but how far below even odds it falls is the weight EM
 * gives a different first name, which moves with the file: on FEBRL-like
 * files it went from -6.0 to -7.0 bits when a few pairs more read as typos,
 * and garbled spellings of one name (Jqawe / Jadh for Jade) then vetoed
 * whole entities.
 */
const NO_VETO_BITS = Math.log2(FLOOR / (1 - FLOOR)) + 0.1;
/**
 * Only in files this small (those blocking.ts gives spare pairs): in a big
 * file the prior is far below even odds, every weakly alike cross pair falls
 * under FLOOR and vetoes, and a household's pair has no reason to be the one
 * exception (the million-people bench was tuned with it vetoing).
 */
const NO_VETO_MAX_RECORDS = 30_000;
/** Evidence an identifier's agreement must carry to tell one person from a relative. */
const PERSONAL_MIN_BITS = 3;
/** A word in at most this many company names is distinctive (one business written up to this many times). */
const RARE_WORD_RECORDS = 4;

/** Bounds of the frequency adjustment, in bits: a very rare or very common value moves the score, never decides it alone. */
const TF_MIN = -5;
const TF_MAX = 5;

export interface FieldContribution {
  field: string;
  level: string;
  /** Evidence in bits (log2 of the likelihood ratio): positive for "same", negative for "different". */
  weight: number;
}

/** E[tf | two records agree] = Σtf³ / Σtf²: the frequency at which the adjustment is zero. */
function referenceTf(counts: Iterable<number>, filled: number): number {
  if (filled === 0) return 0;
  let s2 = 0;
  let s3 = 0;
  for (const c of counts) {
    const p = c / filled;
    s2 += p * p;
    s3 += p * p * p;
  }
  return s2 === 0 ? 0 : s3 / s2;
}

function poolRef(p: Pool | HashPool): number {
  return referenceTf(p.counts, p.filled);
}

export class Scorer {
  readonly levels: Uint8Array;
  /** Scratch: the levels of the pair bitsOf is scoring. */
  private readonly decoded: Uint8Array;
  /** Fields of declared identifiers. */
  private readonly declared: number[];
  private readonly ref: number[];

  constructor(
    readonly t: MatchTable,
    readonly specs: readonly FieldSpec[],
    readonly model: LinkageModel,
  ) {
    this.levels = new Uint8Array(specs.length);
    this.decoded = new Uint8Array(specs.length);
    this.declared = specs.flatMap((sp, f) => (sp.fixed ? [f] : []));
    this.ref = specs.map(() => 0);
    this.ref[F_FIRST] = poolRef(t.firstPool);
    this.ref[F_LAST] = poolRef(t.lastPool);
    this.ref[F_COMPANY] = poolRef(t.companyPool);
    this.ref[F_EMAIL] = poolRef(t.emailPool);
    this.ref[F_PHONE] = referenceTf(t.phoneCounts.values(), t.phoneFilled);
    this.ref[F_LOCATION] = poolRef(t.postalPool);
    this.ref[F_ADDRESS] = poolRef(t.addressPool);
    t.extras.forEach((e, k) => (this.ref[F_ADDRESS + 2 + k] = poolRef(e.pool)));
  }

  /** The frequency adjustment for an exact agreement on field f between a and b. */
  private tfAdjust(f: number, a: number, swapped: number): number {
    const t = this.t;
    let tf = 0;
    switch (f) {
      case F_FIRST:
        tf = swapped ? t.lastPool.tf(t.last[a] ?? -1) || t.firstPool.tf(t.first[a] ?? -1) : t.firstPool.tf(t.first[a] ?? -1);
        break;
      case F_LAST:
        tf = swapped ? t.firstPool.tf(t.first[a] ?? -1) || t.lastPool.tf(t.last[a] ?? -1) : t.lastPool.tf(t.last[a] ?? -1);
        break;
      case F_COMPANY:
        tf = t.companyPool.tf(t.company[a] ?? -1);
        break;
      case F_EMAIL:
        tf = t.emailPool.tf(t.email[a] ?? -1);
        break;
      case F_PHONE:
        tf = t.phoneTf(t.phone1[a] ?? Number.NaN);
        break;
      case F_LOCATION:
        tf = (t.postal[a] ?? -1) >= 0 ? t.postalPool.tf(t.postal[a] ?? -1) : 0;
        break;
      case F_ADDRESS:
        tf = t.addressPool.tf(t.address[a] ?? -1);
        break;
      default: {
        const col = t.extras[f - F_ADDRESS - 2];
        tf = col ? col.pool.tf(col.values[a] ?? -1) : 0;
      }
    }
    const ref = this.ref[f] ?? 0;
    if (tf <= 0 || ref <= 0) return 0;
    return Math.max(TF_MIN, Math.min(TF_MAX, Math.log2(ref / tf)));
  }

  /**
   * The frequency adjustment as counted: at one exact address (same street,
   * number, postcode and town), how common a name or the address is in the
   * whole file says nothing of how many people live there, so commonness no
   * longer lowers the evidence. Without this, recall fell with the file's
   * size: in a big town a common name at a crowded address weighed little.
   */
  private adjust(f: number, a: number, swapped: number, oneAddress: boolean): number {
    const adj = this.tfAdjust(f, a, swapped);
    return oneAddress && adj < 0 && (f === F_FIRST || f === F_LAST || f === F_ADDRESS || f === F_LOCATION) ? 0 : adj;
  }

  /** Evidence in bits for a pair whose levels are already known (pattern). */
  bitsOf(pattern: number, a: number, b: number, swapped: number): number {
    const fields = this.model.fields;
    const lv = this.decoded;
    let rest = pattern;
    for (let f = 0; f < fields.length; f++) {
      const l = rest % LEVEL_BITS;
      rest = (rest - l) / LEVEL_BITS;
      lv[f] = l;
    }
    let bits = this.model.priorBits;
    const household = lv[F_FIRST] === FIRST_DIFFERENT;
    const oneAddress = lv[F_ADDRESS] === 1 && lv[F_LOCATION] === 1;
    let contact = false;
    let anything = false;
    let besidesBirth = false;
    let otherAgainst = false;
    for (let f = 0; f < fields.length; f++) {
      const l = lv[f] ?? 0;
      if (l === 0) continue;
      const w = fields[f]?.weight[l] ?? 0;
      if (w < 0 && f !== F_FIRST) otherAgainst = true;
      if (w > 0 && f !== F_LOCATION) anything = true;
      if (w > 0 && f !== F_LOCATION && f !== F_BIRTH) besidesBirth = true;
      // A mailbox name at another provider ("marie.martin") is a name, not a way to reach one person.
      if (w > 0 && (f > F_SIREN || CONTACT[f] === 1) && !(f === F_EMAIL && l === 2)) contact = true;
      if (household && HOUSEHOLD[f] === 1 && w > 0) continue;
      bits += w;
      if ((l === 1 && f !== F_LOCATION) || (l <= 2 && f === F_LOCATION)) bits += this.adjust(f, a, swapped, oneAddress);
    }
    // Namesakes in other towns; and two records that share nothing but their town.
    if ((lv[F_LOCATION] === LOCATION_DIFFERENT && !contact) || !anything) bits = Math.min(bits, NAMESAKE_CAP_BITS);
    if (this.birthDateAlone(lv, besidesBirth, a, b)) bits = Math.min(bits, NAMESAKE_CAP_BITS);
    if (household && !this.personalAgrees(lv)) bits = Math.min(bits, OTHER_FIRST_NAME_CAP_BITS);
    for (const f of this.declared) if ((lv[f] ?? 0) >= 2) bits = Math.min(bits, DECLARED_DIFFERENT_CAP_BITS);
    if (lv[F_COMPANY] !== 0 && this.businessOnlyByPlaceOrName(lv, a, b)) bits = Math.min(bits, BUSINESS_CAP_BITS);
    return household && !otherAgainst && this.t.n < NO_VETO_MAX_RECORDS ? Math.max(bits, NO_VETO_BITS) : bits;
  }

  /**
   * A birth date (or one a typo away) is the only thing that agrees: no name alike, no address, phone or e-mail,
   * and both records give a postcode and the places differ (a missing place proves nothing). One birth date is
   * one day in some 36,000, so a file of a few thousand people holds hundreds of such pairs by chance, and a
   * record that lost both names (FEBRL-like: "Masno" / "Sarah Noble") chained two people into one cluster.
   */
  private birthDateAlone(lv: Uint8Array, besidesBirth: boolean, a: number, b: number): boolean {
    const birth = lv[F_BIRTH] ?? 0;
    const place = lv[F_LOCATION] ?? 0;
    // A name only similar still counts as something (Crtre / Carter weighs a little below zero in splink's fake_1000).
    const first = lv[F_FIRST] ?? 0;
    const last = lv[F_LAST] ?? 0;
    const nameLike = (first >= 1 && first < FIRST_DIFFERENT) || (last >= 1 && last <= 3);
    // Two postcodes, not two town names: a town alone is coarse and often misspelt beyond a likeness (splink's "doLon" / "London").
    const postcodes = (this.t.postal[a] ?? -1) >= 0 && (this.t.postal[b] ?? -1) >= 0;
    return !besidesBirth && !nameLike && postcodes && (birth === 1 || birth === 2) && (place === 3 || place === LOCATION_DIFFERENT);
  }

  /** One e-mail address or mailbox name, or an identifier column (declared, or imported like a social-security number), agrees: one person's, not a household's. */
  private personalAgrees(lv: Uint8Array): boolean {
    const fields = this.model.fields;
    // Near agreement counts when the file's model says it weighs: one mailbox name at two providers, a mistyped social-security number.
    const weighs = (f: number): boolean => (lv[f] ?? 0) > 0 && (fields[f]?.weight[lv[f] ?? 0] ?? 0) >= PERSONAL_MIN_BITS;
    if (lv[F_EMAIL] === 1 || weighs(F_EMAIL)) return true;
    for (let f = F_SIREN + 1; f < fields.length; f++) if (weighs(f)) return true;
    return false;
  }

  /** See BUSINESS_CAP_BITS; `lv` are the pair's levels. */
  private businessOnlyByPlaceOrName(lv: Uint8Array, a: number, b: number): boolean {
    const company = lv[F_COMPANY] ?? 0;
    if (company === 0 || lv[F_FIRST] !== 0 || lv[F_LAST] !== 0) return false;
    for (let f = F_EMAIL; f < this.model.fields.length; f++) {
      if ((f === F_EMAIL || f === F_PHONE || f === F_SIREN || f > F_SIREN) && lv[f] === 1) return false;
    }
    const address = lv[F_ADDRESS] ?? 0;
    if (address >= 3) return true;
    // Two spellings of one name at one address: enough when the names share a word few businesses have ("Matsuhisa").
    return company > 1 && !(address === 1 || address === 2 ? this.shareRareWord(a, b) : false);
  }

  private shareRareWord(a: number, b: number): boolean {
    const t = this.t;
    const wa = t.companyPool.tokens(t.company[a] ?? -1);
    const wb = new Set(t.companyPool.tokens(t.company[b] ?? -1));
    const counts = t.companyPool.wordCounts();
    return wa.some((w) => w.length >= 3 && wb.has(w) && (counts.get(w) ?? 0) <= RARE_WORD_RECORDS);
  }

  /** Match probability of any two records (compares them now). */
  probability(a: number, b: number): number {
    const swapped = comparePair(this.t, a, b, this.levels);
    let pattern = 0;
    for (let f = this.specs.length - 1; f >= 0; f--) pattern = pattern * 8 + (this.levels[f] ?? 0);
    return probabilityOf(this.bitsOf(pattern, a, b, swapped));
  }

  /** Each field's contribution for the pair: what --explain shows. */
  explain(a: number, b: number): { probability: number; priorBits: number; fields: FieldContribution[] } {
    const swapped = comparePair(this.t, a, b, this.levels);
    const out: FieldContribution[] = [];
    let bits = this.model.priorBits;
    const household = this.levels[F_FIRST] === FIRST_DIFFERENT;
    const oneAddress = this.levels[F_ADDRESS] === 1 && this.levels[F_LOCATION] === 1;
    this.model.fields.forEach((fw, f) => {
      const l = this.levels[f] ?? 0;
      if (l === 0) {
        out.push({ field: fw.name, level: 'missing', weight: 0 });
        return;
      }
      if (household && HOUSEHOLD_FIELDS.has(f) && (fw.weight[l] ?? 0) > 0) {
        out.push({ field: fw.name, level: `${fw.levels[l - 1] ?? l} (not counted: first names differ, a relative shares it)`, weight: 0 });
        return;
      }
      let w = fw.weight[l] ?? 0;
      if ((l === 1 && f !== F_LOCATION) || (l <= 2 && f === F_LOCATION)) w += this.adjust(f, a, swapped, oneAddress);
      bits += w;
      const level = fw.levels[l - 1] ?? String(l);
      out.push({ field: fw.name, level: f <= F_LAST && swapped ? `${level} (first and last names swapped)` : level, weight: Math.round(w * 100) / 100 });
    });
    let pattern = 0;
    for (let f = this.specs.length - 1; f >= 0; f--) pattern = pattern * LEVEL_BITS + (this.levels[f] ?? 0);
    const capped = this.bitsOf(pattern, a, b, swapped);
    if (capped < bits) {
      const declared = this.declared.some((f) => (this.levels[f] ?? 0) >= 2);
      const business = !declared && this.businessOnlyByPlaceOrName(this.levels, a, b);
      const relative = !declared && !business && household && !this.personalAgrees(this.levels);
      const [field, level] = declared
        ? ['identifiers', 'a declared identifier differs: not the same customer']
        : business
          ? ['businesses', 'businesses sharing only an address or a name, no phone, e-mail or SIREN: capped below even odds']
          : relative
            ? ['first names', 'two first names, not one written twice (a relative, a twin): capped below even odds']
            : ['namesakes', 'nothing but names, the town or a birth date ties them: capped below even odds'];
      out.push({ field, level, weight: Math.round((capped - bits) * 100) / 100 });
    }
    return { probability: probabilityOf(capped), priorBits: this.model.priorBits, fields: out };
  }
}
