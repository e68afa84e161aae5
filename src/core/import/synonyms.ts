import type { Target } from './targets.js';
import { headerKey } from './targets.js';

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

const f = (field: Extract<Target, { t: 'field' }>['field']): Target => ({ t: 'field', field });

export const GENERIC: readonly Synonym[] = [
  { target: f('externalId'), headers: ['Réf', 'Ref', 'Référence', 'Ref client', 'Référence client', 'Code client', 'N° client', 'Numéro client', 'Num client', 'No client', 'ID client', 'Identifiant', 'Identifiant client', 'Client ID', 'Customer ID', 'Customer number', 'ID', 'External ID', 'Externalid', 'Record ID', 'Contact ID', 'rec_id', 'unique_id', 'uid externe'] },
  { target: f('civility'), headers: ['Civilité', 'Civ', 'Civ.', 'Titre de civilité', 'Title', 'Salutation', 'Name Prefix', 'Prefix', 'Appellation'] },
  { target: f('firstName'), headers: ['Prénom', 'Prenom', 'Prénoms', 'First Name', 'Firstname', 'Given Name', 'given_name', 'Forename', 'Prénom usuel', 'fname', 'first'] },
  { target: f('lastName'), headers: ['Nom', 'Nom de famille', 'Nom usuel', 'Last Name', 'Lastname', 'Family Name', 'Surname', 'lname', 'last'] },
  { target: { t: 'fullName' }, headers: ['Nom complet', 'Prénom Nom', 'Nom Prénom', 'Nom et prénom', 'Name', 'Full Name', 'Fullname', 'Display Name', 'Contact', 'Contact name', 'Nom du contact', 'Interlocuteur'] },
  { target: f('companyName'), headers: ['Société', 'Raison sociale', 'Entreprise', 'Nom de l\'entreprise', 'Nom de la société', 'Company', 'Company Name', 'Organisation', 'Organization', 'Organization Name', 'Organisme', 'Établissement', 'Account Name', 'Business Name', 'Enseigne', 'Structure'] },
  { target: f('legalForm'), headers: ['Forme juridique', 'Statut juridique', 'Legal form', 'Forme'] },
  { target: f('siret'), headers: ['SIRET', 'N° SIRET', 'Numéro SIRET', 'Siret number', 'SIREN', 'N° SIREN', 'Numéro SIREN'] },
  { target: f('vatNumber'), headers: ['N° TVA', 'Numéro TVA', 'Numéro de TVA', 'TVA intracommunautaire', 'N° TVA intracommunautaire', 'TVA intra', 'N° TVA intracom', 'TVA', 'VAT', 'VAT number', 'VAT ID'] },
  { target: f('sector'), headers: ['Secteur', 'Secteur d\'activité', 'Activité', 'Industry', 'Sector'] },
  { target: f('jobTitle'), headers: ['Fonction', 'Poste', 'Job Title', 'Titre', 'Role', 'Rôle', 'Position', 'Organization Title'] },
  { target: f('email'), headers: ['E-mail', 'Email', 'Mail', 'Courriel', 'Adresse e-mail', 'Adresse email', 'Adresse mail', 'Adresse électronique', 'Adresse de messagerie', 'E-mail Address', 'Email Address', 'Primary Email', 'E-mail 1', 'Email 1', 'Email Home', 'Email Work', 'Work Email', 'Home Email', 'E-mail 2 Address', 'E-mail 3 Address', 'Email Other', 'Secondary Email', 'E-mail professionnel', 'E-mail personnel'] },
  { target: f('mobile'), headers: ['Portable', 'Tél. portable', 'Tel portable', 'Téléphone portable', 'Tél. mobile', 'Téléphone mobile', 'Mobile', 'Mobile Phone', 'Mobile Number', 'Cell', 'Cell Phone', 'Cellphone', 'GSM', 'Home Mobile', 'SMS', 'N° portable'] },
  { target: f('phone'), headers: ['Téléphone', 'Tél', 'Tél.', 'Tel', 'Phone', 'Phone Number', 'Numéro de téléphone', 'N° de téléphone', 'Telephone', 'Primary Phone'], phoneAuto: true },
  { target: f('phone'), headers: ['Téléphone fixe', 'Tél. fixe', 'Fixe', 'Tél. bureau', 'Téléphone bureau', 'Téléphone professionnel', 'Standard', 'Business Phone', 'Work Phone', 'Office Phone', 'Téléphone domicile', 'Tél. domicile', 'Home Phone', 'Business Phone 2', 'Home Phone 2', 'Other Phone'] },
  { target: f('addressLine1'), headers: ['Adresse', 'Adresse 1', 'Adresse ligne 1', 'Adresse postale', 'Rue', 'Voie', 'Address', 'Address 1', 'Address Line 1', 'Street', 'Street Address', 'address_1'] },
  { target: f('addressLine2'), headers: ['Adresse 2', 'Adresse ligne 2', 'Complément d\'adresse', 'Complément', 'Address 2', 'Address Line 2', 'address_2', 'Lieu-dit', 'Bâtiment'] },
  { target: { t: 'streetNumber' }, headers: ['N° de voie', 'Numéro de voie', 'N° de rue', 'Numéro de rue', 'Street Number', 'street_number', 'House Number'] },
  { target: f('postalCode'), headers: ['Code postal', 'CP', 'C.P.', 'Postal Code', 'Postcode', 'Zip', 'Zip Code', 'Zipcode'] },
  { target: f('city'), headers: ['Ville', 'Commune', 'Localité', 'City', 'Town', 'Suburb'] },
  { target: f('region'), headers: ['Région', 'Region', 'State', 'Province', 'Département', 'Departement'] },
  { target: f('country'), headers: ['Pays', 'Country', 'Country/Region', 'Pays/Région', 'Nationalité du siège'] },
  { target: f('birthDate'), headers: ['Date de naissance', 'Naissance', 'Né le', 'Née le', 'Né(e) le', 'Anniversaire', 'Birth Date', 'Birthdate', 'Birthday', 'Date of Birth', 'date_of_birth', 'DOB'] },
  { target: f('website'), headers: ['Site web', 'Site', 'Site internet', 'Page web', 'Website', 'Web', 'Web Page', 'Web Page 1', 'URL', 'Website Home Page', 'Website Work'] },
  { target: f('owner'), headers: ['Commercial', 'Responsable', 'Responsable commercial', 'Chargé d\'affaires', 'Suivi par', 'Owner', 'Contact Owner', 'Account Owner', 'Sales Rep'] },
  { target: f('status'), headers: ['Statut', 'Status', 'Statut client', 'Étape', 'Stade', 'Lifecycle Stage', 'Lead Status', 'Cycle de vie'] },
  { target: f('kind'), headers: ['Type de client', 'Type client', 'Kind', 'Nature', 'Particulier ou professionnel', 'Type de contact', 'Personne physique ou morale'] },
  { target: f('source'), headers: ['Source', 'Origine', 'Provenance', 'Lead Source', 'Origine du contact'] },
  { target: f('notes'), headers: ['Notes', 'Note', 'Commentaire', 'Commentaires', 'Remarque', 'Remarques', 'Observations', 'Comments', 'Comment', 'Memo', 'Mémo'] },
  { target: { t: 'categories' }, headers: ['Catégories', 'Catégorie', 'Categories', 'Category', 'Tags', 'Tag', 'Labels', 'Label', 'Étiquettes', 'Étiquette', 'Groupe', 'Groupes', 'Group', 'Groups', 'Group Membership', 'Segment', 'Segments', 'Listes'] },
  { target: { t: 'consent', channel: 'email', optOut: false }, headers: ['Newsletter', 'Opt-in', 'Optin', 'Opt in', 'Consentement', 'Consentement e-mail', 'Consentement email', 'Consentement marketing', 'Consentement RGPD', 'RGPD', 'Accepte la newsletter', 'Accepte newsletter', 'Abonné', 'Abonné newsletter', 'Inscrit newsletter', 'Email Opt-in', 'Email Optin', 'Email consent', 'Marketing consent', 'Subscribed', 'Accepts Marketing', 'Optin Time', 'OPTIN_TIME', 'Confirm Time'] },
  { target: { t: 'consent', channel: 'sms', optOut: false }, headers: ['Consentement SMS', 'Optin SMS', 'Opt-in SMS', 'SMS Optin', 'SMS Opt-in', 'Accepte SMS', 'Accepte les SMS', 'SMS consent'] },
  { target: { t: 'consent', channel: 'post', optOut: false }, headers: ['Consentement courrier', 'Accepte courrier', 'Optin courrier'] },
  { target: { t: 'consent', channel: 'email', optOut: true }, headers: ['Opt-out', 'Optout', 'Désabonné', 'Désinscrit', 'Désinscription', 'Unsubscribed', 'Email Opt-out', 'Do not email', 'Ne pas contacter', 'Unsub Time', 'UNSUB_TIME'] },
  { target: { t: 'createdAt' }, headers: ['Date de création', 'Créé le', 'Création', 'Date création', 'Date d\'ajout', 'Date d\'inscription', 'Client depuis', 'Created', 'Created At', 'Create Date', 'Date added', 'Creation date'] },
  { target: { t: 'lastContactAt' }, headers: ['Dernier contact', 'Date du dernier contact', 'Date dernier contact', 'Last contact', 'Last contacted', 'Last Activity Date'] },
];

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
