import type { Target } from './targets.js';
import { headerKey } from './targets.js';
import { fieldOf, GIVEN_ENTRIES } from '../fields/catalogue.js';

/**
 * Headers people write, in French and English, for each target. Matching is
 * on headerKey (no case, accents, punctuation or spaces), so "E-mail",
 * "email" and "E mail" are one entry. When several columns feed the same
 * field, the one listed first here wins and the others go to extra.
 * Deliberately absent: "Canal d'acquisition" and other business columns
 * that have no field — they are kept in extra, never guessed.
 */
export interface Synonym {
  target: Target;
  headers: readonly string[];
  /** A phone column of no particular kind: a mobile number in it goes to mobile. */
  phoneAuto?: boolean;
  /** Address columns of one address (home, work…): a row takes one whole address, not parts of several. */
  group?: string;
}

/** The catalogue's synonyms of each field (a plain phone column first: a mobile number in it goes to mobile). */
const FIELD_SYNONYMS: readonly Synonym[] = GIVEN_ENTRIES.flatMap((e): Synonym[] => [
  ...(e.autoSynonyms ? [{ target: { t: 'field', field: fieldOf(e) } as const, headers: e.autoSynonyms, phoneAuto: true }] : []),
  ...(e.synonyms ? [{ target: { t: 'field', field: fieldOf(e) } as const, headers: e.synonyms }] : []),
]);

/** Headers of what is no field: a name to split, a street number, categories, consents, dates of the file. */
const PSEUDO_SYNONYMS: readonly Synonym[] = [
  { target: { t: 'fullName' }, headers: ['Nom complet', 'Prénom Nom', 'Nom Prénom', 'Nom et prénom', 'Name', 'Full Name', 'Fullname', 'Display Name', 'Contact', 'Contact name', 'Nom du contact', 'Interlocuteur'] },
  { target: { t: 'streetNumber' }, headers: ['N° de voie', 'Numéro de voie', 'N° de rue', 'Numéro de rue', 'Street Number', 'street_number', 'House Number'] },
  { target: { t: 'categories' }, headers: ['Catégories', 'Catégorie', 'Categories', 'Category', 'Tags', 'Tag', 'Labels', 'Label', 'Étiquettes', 'Étiquette', 'Groupe', 'Groupes', 'Group', 'Groups', 'Group Membership', 'Segment', 'Segments', 'Listes'] },
  { target: { t: 'consent', channel: 'email', optOut: false }, headers: ['Newsletter', 'Opt-in', 'Optin', 'Opt in', 'Consentement', 'Consentement e-mail', 'Consentement email', 'Consentement marketing', 'Consentement RGPD', 'RGPD', 'Accepte la newsletter', 'Accepte newsletter', 'Abonné', 'Abonné newsletter', 'Inscrit newsletter', 'Email Opt-in', 'Email Optin', 'Email consent', 'Marketing consent', 'Subscribed', 'Accepts Marketing', 'Optin Time', 'OPTIN_TIME', 'Confirm Time'] },
  { target: { t: 'consent', channel: 'sms', optOut: false }, headers: ['Consentement SMS', 'Optin SMS', 'Opt-in SMS', 'SMS Optin', 'SMS Opt-in', 'Accepte SMS', 'Accepte les SMS', 'SMS consent'] },
  { target: { t: 'consent', channel: 'post', optOut: false }, headers: ['Consentement courrier', 'Accepte courrier', 'Optin courrier'] },
  { target: { t: 'consent', channel: 'email', optOut: true }, headers: ['Opt-out', 'Optout', 'Désabonné', 'Désinscrit', 'Désinscription', 'Unsubscribed', 'Email Opt-out', 'Do not email', 'Ne pas contacter', 'Unsub Time', 'UNSUB_TIME'] },
  { target: { t: 'createdAt' }, headers: ['Date de création', 'Créé le', 'Création', 'Date création', 'Date d\'ajout', 'Date d\'inscription', 'Client depuis', 'Created', 'Created At', 'Create Date', 'Date added', 'Creation date'] },
  { target: { t: 'lastContactAt' }, headers: ['Dernier contact', 'Date du dernier contact', 'Date dernier contact', 'Last contact', 'Last contacted', 'Last Activity Date'] },
];

export const GENERIC: readonly Synonym[] = [...FIELD_SYNONYMS, ...PSEUDO_SYNONYMS];

export interface SynonymHit {
  target: Target;
  /** Lower is preferred when several columns feed one field. */
  rank: number;
  phoneAuto: boolean;
  group: string | null;
}

/** A lookup table headerKey → hit, built once from a synonym list (first spelling wins on clashes). */
export function synonymTable(list: readonly Synonym[]): Map<string, SynonymHit> {
  const map = new Map<string, SynonymHit>();
  let rank = 0;
  for (const s of list) {
    for (const h of s.headers) {
      const key = headerKey(h);
      if (!map.has(key)) map.set(key, { target: s.target, rank, phoneAuto: s.phoneAuto ?? false, group: s.group ?? null });
      rank++;
    }
  }
  return map;
}

export const GENERIC_TABLE = synonymTable(GENERIC);
