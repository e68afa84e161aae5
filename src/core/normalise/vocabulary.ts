import { ValidationError } from '../errors.js';
import type { CustomerKind } from '../model.js';
import { cleanText, lookupKey, SmallCache } from './text.js';
import { KEY } from '../fields/catalogue.js';

/**
 * The small closed-ish vocabularies of a customer file (kind, civility,
 * legal form, status): many spellings in, one canonical value out. Lookups
 * go through a per-function cache because an import sees the same few
 * values a million times.
 */

/** lookupKey without spaces, so "S.A.R.L.", "s a r l" and "SARL" meet. */
function compactKey(s: string): string {
  return lookupKey(s).replace(/ /g, '');
}

function table(entries: Readonly<Record<string, readonly string[]>>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [canonical, spellings] of Object.entries(entries)) {
    map.set(compactKey(canonical), canonical);
    for (const s of spellings) map.set(compactKey(s), canonical);
  }
  return map;
}

const KINDS = table({
  person: ['personne', 'particulier', 'individual', 'individu', 'private', 'b2c', 'personne physique', 'pp', 'individuel'],
  company: ['entreprise', 'société', 'organisation', 'organization', 'business', 'professionnel', 'pro', 'b2b', 'personne morale', 'pm', 'société civile', 'association', 'collectivité', 'administration'],
});

const kindCache = new SmallCache<CustomerKind | null>(1_000);

/** 'person' | 'company' from its French or English spellings; null/empty → null; else ValidationError('kind'). */
export function normaliseKind(raw: string | null | undefined, field: string = KEY.kind): CustomerKind | null {
  if (raw === null || raw === undefined) return null;
  const hit = kindCache.get(raw);
  if (hit !== undefined) return hit;
  const s = cleanText(raw);
  if (s === null) return kindCache.set(raw, null);
  const k = KINDS.get(compactKey(s));
  if (k !== 'person' && k !== 'company') {
    throw new ValidationError(field, `'${s}' is not a kind of customer`, 'use person (particulier) or company (entreprise)');
  }
  return kindCache.set(raw, k);
}

/**
 * Civilities in their French abbreviated form. Mademoiselle becomes Mme: the
 * administration dropped it in 2012 and it is no longer used in letters.
 * English titles map to the French equivalent.
 */
const CIVILITIES = table({
  'M.': ['m', 'mr', 'mr.', 'monsieur', 'mister', 'sir', 'mons', 'mssr'],
  Mme: ['madame', 'mrs', 'ms', 'mlle', 'mademoiselle', 'melle', 'mle', 'miss', 'mad', 'mde', 'madam'],
  'M. et Mme': ['m et mme', 'mr et mme', 'monsieur et madame', 'm mme', 'mr mrs', 'mr and mrs', 'mr & mrs', 'm. & mme', 'mr & mme', 'monsieur madame'],
  'MM.': ['mm', 'messieurs', 'messrs'],
  Mmes: ['mesdames'],
  Dr: ['docteur', 'doctor', 'dr.', 'dre'],
  Pr: ['professeur', 'professor', 'prof', 'pr.'],
  Me: ['maître', 'maitre', 'me.'],
});

const civilityCache = new SmallCache<string | null>(1_000);

/** A known civility → its canonical form; an unknown one is kept as typed (trimmed); empty → null. */
export function normaliseCivility(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const hit = civilityCache.get(raw);
  if (hit !== undefined) return hit;
  const s = cleanText(raw);
  return civilityCache.set(raw, s === null ? null : (CIVILITIES.get(compactKey(s)) ?? s));
}

/**
 * Legal forms. French forms are upper-case acronyms (as on a Kbis); the
 * spelled-out names map to them. A micro-entrepreneur is legally an
 * entreprise individuelle, hence EI. Foreign forms keep their usual case.
 */
const LEGAL_FORMS = table({
  SARL: ['société à responsabilité limitée', 'sàrl'],
  SAS: ['société par actions simplifiée'],
  SASU: ['société par actions simplifiée unipersonnelle'],
  EURL: ['entreprise unipersonnelle à responsabilité limitée'],
  SA: ['société anonyme'],
  SCI: ['société civile immobilière'],
  EI: ['entreprise individuelle', 'auto-entrepreneur', 'autoentrepreneur', 'micro-entrepreneur', 'micro-entreprise', 'microentreprise'],
  EIRL: ['entreprise individuelle à responsabilité limitée'],
  SNC: ['société en nom collectif'],
  SCOP: ['société coopérative de production', 'société coopérative et participative', 'scop sa', 'scop sarl'],
  SCIC: ['société coopérative d’intérêt collectif'],
  SELARL: ['société d’exercice libéral à responsabilité limitée'],
  SELAS: ['société d’exercice libéral par actions simplifiée'],
  SELAFA: [],
  SELURL: [],
  SCP: ['société civile professionnelle'],
  SCM: ['société civile de moyens'],
  SCCV: [],
  SCEA: [],
  SCA: ['société en commandite par actions'],
  SCS: ['société en commandite simple'],
  GIE: ['groupement d’intérêt économique'],
  GAEC: [],
  EARL: [],
  SEM: ['société d’économie mixte', 'saem'],
  SPL: [],
  ASSOCIATION: ['asso', 'association loi 1901', 'association loi de 1901', 'association 1901'],
  GmbH: [],
  Ltd: ['limited'],
  LLC: [],
  'Inc.': ['inc', 'incorporated'],
  SPRL: [],
  SRL: [],
  BV: [],
  NV: [],
  AG: [],
});

const legalFormCache = new SmallCache<string | null>(1_000);

/** A known legal form → canonical (SARL, SAS…); an unknown one is kept as typed; empty → null. */
export function normaliseLegalForm(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const hit = legalFormCache.get(raw);
  if (hit !== undefined) return hit;
  const s = cleanText(raw);
  return legalFormCache.set(raw, s === null ? null : (LEGAL_FORMS.get(compactKey(s)) ?? s));
}

/** Only single-word forms are looked for in a name: "SAS Dupont", "Dupont S.A.R.L.", "Dupont (SCI)". */
const NAME_FORMS = new Set([...LEGAL_FORMS.entries()].filter(([key, canonical]) => key === compactKey(canonical)).map(([key]) => key));
const FIRST_WORD = /^(\S+)\s/;
const LAST_WORD = /\s(\S+)$/;

/** The legal form a company name starts or ends with, or null. The name itself is left as is. */
export function legalFormInName(name: string): string | null {
  const last = LAST_WORD.exec(name)?.[1];
  const first = FIRST_WORD.exec(name)?.[1];
  for (const word of [last, first]) {
    if (word === undefined) continue;
    const key = compactKey(word);
    if (NAME_FORMS.has(key)) return LEGAL_FORMS.get(key) ?? null;
  }
  return null;
}

const STATUSES = table({
  prospect: ['prospects', 'suspect'],
  lead: ['leads', 'piste', 'opportunité', 'opportunity', 'qualifié', 'qualified'],
  client: ['clients', 'cliente', 'customer', 'actif', 'active'],
  former_client: ['former client', 'ancien client', 'ancienne cliente', 'ex client', 'ex-client', 'perdu', 'lost', 'churned'],
  inactive: ['inactif', 'inactive', 'dormant', 'en sommeil'],
});

const statusCache = new SmallCache<string>(1_000);

/** Lifecycle status: known spellings → prospect|lead|client|former_client|inactive; other text lower-cased; empty → 'prospect'. */
export function normaliseStatus(raw: string | null | undefined): string {
  if (raw === null || raw === undefined) return 'prospect';
  const hit = statusCache.get(raw);
  if (hit !== undefined) return hit;
  const s = cleanText(raw);
  return statusCache.set(raw, s === null ? 'prospect' : (STATUSES.get(compactKey(s)) ?? s.toLowerCase()));
}
