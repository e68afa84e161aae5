/**
 * Normalisation for matching only (never for display or storage): the
 * spellings two files give of one thing are brought to one key. Accents,
 * case, punctuation and spacing go; French legal forms leave company names;
 * street-type abbreviations are spelled out; given names split on hyphens
 * with initials recognised; gmail addresses fold their dots and +tags.
 */
import { fold } from '../normalise/text.js';

const NON_ALNUM = /[^a-z0-9]+/g;
const NON_ALPHA_SPACE = /[^a-z ]+/g;

/** Folded, punctuation (dots, hyphens, apostrophes) to spaces, collapsed. */
export function matchText(s: string | null | undefined): string {
  if (!s) return '';
  return fold(s).replace(NON_ALNUM, ' ').trim();
}

/** Civilities people type into name cells ("M. Dupont", "Mme Hélène Faure"). */
const CIVILITY_TOKENS = new Set(['m', 'mr', 'mme', 'mlle', 'melle', 'mrs', 'ms', 'miss', 'monsieur', 'madame', 'mademoiselle', 'dr', 'me', 'pr']);

/** "JP", "J.-P.", "J.P.", "J-P", "J. P.": two initials, whatever the punctuation. */
const INITIALS = /^(?:[A-Z]{2}|[A-Za-z]\.\s?-?\s?[A-Za-z]\.?|[A-Za-z]-[A-Za-z]\.?)$/;

/**
 * A given name as tokens: "Jean-Pierre" → "jean pierre", "J.-P." → "j p",
 * "JP" → "j p" (two capitals typed for two initials), civilities dropped.
 */
export function givenNameKey(raw: string | null | undefined): string {
  if (!raw) return '';
  const trimmed = raw.trim();
  if (INITIALS.test(trimmed)) return fold(trimmed).replace(/[^a-z]/g, '').split('').join(' ');
  const tokens = fold(trimmed).replace(NON_ALPHA_SPACE, ' ').split(' ').filter((t) => t.length > 0);
  while (tokens.length > 1 && CIVILITY_TOKENS.has(tokens[0] ?? '')) tokens.shift();
  return tokens.join(' ');
}

/** A family name: folded, particles kept, punctuation to spaces ("Le Gall", "Le-Gall" → "le gall"). */
export function familyNameKey(raw: string | null | undefined): string {
  if (!raw) return '';
  const tokens = fold(raw).replace(NON_ALPHA_SPACE, ' ').split(' ').filter((t) => t.length > 0);
  while (tokens.length > 1 && CIVILITY_TOKENS.has(tokens[0] ?? '')) tokens.shift();
  return tokens.join(' ');
}

/** Legal forms and words that say "a company" and nothing about which one. */
const COMPANY_NOISE = new Set([
  'sarl', 'sas', 'sasu', 'eurl', 'sa', 'sci', 'ei', 'eirl', 'snc', 'scop', 'scic', 'selarl', 'selas', 'selafa', 'selurl', 'scp', 'scm',
  'sccv', 'scea', 'sca', 'scs', 'gie', 'gaec', 'earl', 'sem', 'spl', 'ste', 'societe', 'sté', 'ets', 'etablissements', 'etablissement',
  'cie', 'compagnie', 'groupe', 'holding', 'ltd', 'llc', 'inc', 'gmbh', 'sprl', 'srl', 'bv', 'nv', 'ag', 'co', 'et', 'and', 'the',
  'microentreprise', 'autoentrepreneur',
]);
/** "S.A.R.L." and "S A R L" become "sarl" before the noise words are dropped. */
const DOTTED_ACRONYM = /\b((?:[a-z] ){1,4}[a-z])\b/g;

/** A company name without its legal form: "SARL Boulangerie Martin" = "Boulangerie Martin S.A.R.L." → "boulangerie martin". */
export function companyKey(raw: string | null | undefined): string {
  if (!raw) return '';
  const text = matchText(raw).replace(DOTTED_ACRONYM, (m) => m.replace(/ /g, ''));
  return text
    .split(' ')
    .filter((t) => t.length > 0 && !COMPANY_NOISE.has(t))
    .join(' ');
}

/** Street types as French files abbreviate them → the full word. */
const STREET_TYPES: Readonly<Record<string, string>> = {
  r: 'rue', ru: 'rue',
  av: 'avenue', ave: 'avenue', avn: 'avenue', aven: 'avenue',
  bd: 'boulevard', bld: 'boulevard', blvd: 'boulevard', boul: 'boulevard', bvd: 'boulevard', bl: 'boulevard',
  pl: 'place', pla: 'place',
  ch: 'chemin', chem: 'chemin', che: 'chemin',
  rte: 'route', rt: 'route',
  imp: 'impasse',
  all: 'allee', al: 'allee',
  sq: 'square',
  crs: 'cours',
  fg: 'faubourg', fbg: 'faubourg', faub: 'faubourg',
  qu: 'quai', qua: 'quai',
  pass: 'passage', pas: 'passage',
  res: 'residence', resid: 'residence',
  lot: 'lotissement', lots: 'lotissement',
  ham: 'hameau',
  prom: 'promenade',
  rpt: 'rond point',
  sent: 'sentier',
  tra: 'traverse',
  vla: 'villa',
  zi: 'zone industrielle', za: 'zone artisanale', zac: 'zone amenagement concerte',
  st: 'saint', ste: 'sainte',
  gal: 'general', gen: 'general', mal: 'marechal', pdt: 'president', pres: 'president', cdt: 'commandant', dr: 'docteur', pr: 'professeur',
  apt: 'appartement', app: 'appartement', bat: 'batiment', bt: 'batiment', esc: 'escalier', et: 'etage',
};
/**
 * English street types, which come after the street's name ("435 La Cienega
 * Blvd.", "12 Oak St, Suite 3"): read as such only in last place or before a
 * suite, where "St" cannot be the French "Saint" and "Dr" not "Docteur".
 */
const EN_STREET_TYPES: Readonly<Record<string, string>> = {
  st: 'street', str: 'street', ave: 'avenue', av: 'avenue', blvd: 'boulevard', bd: 'boulevard', rd: 'road', dr: 'drive', pl: 'place', ln: 'lane',
  ct: 'court', hwy: 'highway', pkwy: 'parkway', sq: 'square', ter: 'terrace', cir: 'circle', way: 'way',
};
const SUITE_WORDS = new Set(['suite', 'ste', 'apt', 'unit', 'floor', 'fl']);

/** Small words that two spellings of one address add or drop. */
const ADDRESS_STOP = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'l', 'd', 'a', 'au', 'aux', 'en', 'sur']);
/** Street-number suffixes, kept glued to the number ("12 bis" = "12bis"). */
const NUMBER_SUFFIX = new Set(['bis', 'ter', 'quater', 'b', 't']);

/**
 * An address as tokens: street types spelled out, small words dropped, the
 * number glued to bis/ter. "12 bd de la Libération" = "12, boulevard Libération".
 */
export function addressKey(line1: string | null | undefined, line2?: string | null): string {
  const text = matchText([line1, line2].filter(Boolean).join(' '));
  if (text === '') return '';
  const out: string[] = [];
  const words = text.split(' ');
  const suite = words.findIndex((w, k) => k > 0 && SUITE_WORDS.has(w));
  const typeAt = (suite > 0 ? suite : words.length) - 1;
  const en = typeAt > 1 ? EN_STREET_TYPES[words[typeAt] ?? ''] : undefined;
  if (en) words[typeAt] = en;
  for (const t of words) {
    if (NUMBER_SUFFIX.has(t) && out.length > 0 && /^\d+$/.test(out[out.length - 1] ?? '')) {
      out[out.length - 1] += t === 'b' ? 'bis' : t === 't' ? 'ter' : t;
      continue;
    }
    const full = STREET_TYPES[t] ?? t;
    if (ADDRESS_STOP.has(full)) continue;
    out.push(full);
  }
  return out.join(' ');
}

const CEDEX = /\bcedex\b.*$/;
const ARRONDISSEMENT = /\s+\d{1,2}\s*(?:e|er|eme|ieme|ème)?$/;

/** A town: "St-Étienne" = "Saint Etienne", "PARIS 11E" = "Paris", "Lyon Cedex 03" = "Lyon". */
export function cityKey(raw: string | null | undefined): string {
  if (!raw) return '';
  let t = matchText(raw).replace(CEDEX, '').trim();
  t = t.replace(ARRONDISSEMENT, '').trim();
  return t
    .split(' ')
    .map((w) => (w === 'st' ? 'saint' : w === 'ste' ? 'sainte' : w))
    .join(' ');
}

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The e-mail key: lower-cased (the stored normalised e-mail already is), +tags dropped, and
 * for gmail the dots of the local part too (Google ignores them).
 */
export function emailKey(emailNorm: string | null | undefined): string {
  if (!emailNorm) return '';
  const at = emailNorm.lastIndexOf('@');
  if (at <= 0) return emailNorm;
  let local = emailNorm.slice(0, at);
  let domain = emailNorm.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replace(/\./g, '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}

/** Shared mailboxes: their local part says nothing about who wrote. */
const GENERIC_LOCALS = new Set(['contact', 'info', 'infos', 'bonjour', 'hello', 'accueil', 'admin', 'office', 'mail', 'courrier', 'secretariat', 'direction', 'commercial', 'compta', 'comptabilite', 'facturation', 'sales', 'support', 'service', 'noreply', 'no-reply', 'test']);

/** The local part of an e-mail key, for "same address at another provider"; '' when generic or too short. */
export function emailLocal(key: string): string {
  const at = key.lastIndexOf('@');
  if (at < 0) return '';
  const local = key.slice(0, at).replace(/[._-]/g, '');
  return local.length >= 5 && !GENERIC_LOCALS.has(key.slice(0, at)) ? local : '';
}

/**
 * The digits of a text read as one number, and how many there are: a loop,
 * not replace(/\D/g) + Number(), since it runs on every row of a million.
 * Only the first `keep` digits make the value (exact: at most 15 of them).
 */
let digitCount = 0;
function digitValue(s: string, keep: number): number {
  let v = 0;
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) continue;
    if (n < keep) v = v * 10 + d;
    n++;
  }
  digitCount = n;
  return v;
}

/** "+33612345678" → 33612345678 (exact as a double), NaN when absent. */
export function phoneNumber(e164: string | null | undefined): number {
  if (!e164) return Number.NaN;
  const v = digitValue(e164, 15);
  return digitCount >= 6 && digitCount <= 15 ? v : Number.NaN;
}

/** SIRET → SIREN as a number (a company's establishments share it); -1 when absent. */
export function sirenNumber(siret: string | null | undefined): number {
  if (!siret) return -1;
  const v = digitValue(siret, 9);
  return digitCount >= 9 ? v : -1;
}

/** "1980-05-12" → 19800512; 0 when absent or unreadable. */
export function birthNumber(date: string | null | undefined): number {
  if (!date) return 0;
  const v = digitValue(date, 8);
  return digitCount === 8 ? v : 0;
}

/** Column names under which import keeps a phone it could not read ("Téléphone", "Tel.", "phone", "Portable"). */
export const PHONE_KEY = /t[ée]l|phone|portable|mobile|gsm|fixe|fax/i;

/** Last seven digits of a text that is only a phone number written some way, NaN otherwise. */
export function phoneTailOf(text: string): number {
  if (/[a-z]/i.test(text.replace(/\b(?:ext|x|poste)\b.*$/i, ''))) return Number.NaN;
  const digits = text.replace(/\b(?:ext|x|poste)\b.*$/i, '').replace(/\D/g, '');
  return digits.length >= 7 && digits.length <= 15 ? Number(digits.slice(-7)) : Number.NaN;
}
