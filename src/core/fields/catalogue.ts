/**
 * The catalogue of built-in customer fields: each field is declared here once,
 * and the row types, the import staging layout and synonyms, the filter
 * fields, the export columns and presets, vCard cards, the add/edit flags,
 * the RGPD register, the identity of a keyless row on import and how dedupe
 * merges each field are derived from it (the modules that read it). Code and
 * SQL name a field through KEY, or COLUMN and cols() of src/db/columns.ts,
 * never by its key again (test/unit/fields-grep.test.ts): a key only a field
 * can mean (job_title, civility…) is spelled in at most one file besides this
 * one; a one-word key that is also another thing's word (kind, siret, email,
 * phone, mobile, city, country, status, source, notes: an interaction's kind,
 * a consent channel, a word of help) is in no string or template text of src
 * but those test/unit/fields-literals-allow.ts lists as not the field.
 * A new built-in field is one entry here plus one migration adding its
 * column (on PostgreSQL it also makes customer_facts again: a view's `c.*`
 * is expanded when it is made, see migrations/postgres/0007).
 * Imports nothing but model types.
 */
import type { Channel, CustomerFieldName } from '../model.js';

/** The RGPD register's data categories, in the order it lists them. */
export const REGISTER_CATEGORIES = ['Identity', 'Contact details', 'Professional life', 'Commercial relationship', 'Free text'] as const;
export type RegisterCategory = (typeof REGISTER_CATEGORIES)[number];

/** Import presets that name some fields their own way (on top of the generic synonyms). */
export type ImportPresetName = 'google' | 'outlook' | 'mailchimp' | 'brevo' | 'vcard';
/** Export presets whose columns read a field directly. */
export type ExportPresetName = 'google' | 'outlook' | 'mailchimp' | 'brevo';

/**
 * How a field given by a file, a flag or --set is normalised and validated:
 * src/core/normalise/customer.ts has one writer per rule. Absent: plain text
 * (trimmed, spaces collapsed), or a date for a field of type date.
 */
export type NormRule = 'multiline' | 'kind' | 'salutation' | 'legalForm' | 'companyId' | 'vatId' | 'email' | 'phone' | 'postalCode' | 'iso3166' | 'lifecycle';

export interface CatalogueEntry {
  /** snake_case: the column, the filter name, the export column, the --set/--map name. */
  readonly key: string;
  /** camelCase: the property of CustomerFields (which is derived from these). */
  readonly prop: string;
  /** How it is normalised and validated (see NormRule); absent: text, or a date by its type. */
  readonly norm?: NormRule;
  /** How the filter compares it. */
  readonly type: 'text' | 'date';
  /** Short description (filter help, error lists). */
  readonly label: string;
  /** A column computed from another field by normalisation (email → email_norm): never given on its own. */
  readonly derivedFrom?: string;
  /** add/edit flag (kebab-case) and its help; absent: no flag. */
  readonly flag?: { readonly name: string; readonly help: string };
  /** Other names --map and --set accept for it. */
  readonly aliases?: readonly string[];
  /** Column headers people write for it (FR/EN), best first; matched on headerKey. */
  readonly synonyms?: readonly string[];
  /** Headers of a phone column of no particular kind: a mobile number in it goes to mobile. */
  readonly autoSynonyms?: readonly string[];
  /** Headers a known export uses for it, where they differ from (or override) the generic synonyms. */
  readonly importAs?: Partial<Record<ImportPresetName, readonly string[]>>;
  /** The header of the column an export preset writes straight from this field. */
  readonly exportAs?: Partial<Record<ExportPresetName, string>>;
  /** The vCard property written from it, when it maps to one as is (URL: a URI, written raw). */
  readonly vcard?: 'TITLE' | 'NOTE' | 'URL';
  /** Its component of vCard's N (0 family name, 1 given name, 3 honorific prefix). */
  readonly vcardN?: 0 | 1 | 3;
  /** Its component of vCard's ADR (2 street, 3 locality, 4 region, 5 postal code, 6 country); fields on one component are its lines. */
  readonly adr?: 2 | 3 | 4 | 5 | 6;
  /** A part of a grouped address ("Business City", "Address 1 - Region"): Outlook's name for it, after "Business "/"Home ". */
  readonly outlookAddress?: string;
  /** The header keys that name it as part of a grouped address ("Home Zip", "Ville (bureau)"), best first; a second list ranks lower. */
  readonly addressParts?: readonly (readonly string[])[];
  /** Its values are ISO 3166 alpha-2 codes: an address book gets the country's name. */
  readonly countryCode?: true;
  /** A long text: a wide column in a spreadsheet export. */
  readonly wide?: true;
  /** A field vCard has no property for: written as this X-CARNET-… property and read back by the vcard import preset. */
  readonly vcardX?: string;
  /** The channels whose contact data it holds: `export --for CHANNEL` leaves it empty for the others. */
  readonly channels?: readonly Channel[];
  /** Cells are phone numbers (export: never read as numbers by a spreadsheet). */
  readonly phone?: boolean;
  /** An invalid value on import keeps the row (value to extra, warning) even in the old policy. */
  readonly soft?: boolean;
  /** Personal data: the register's category. */
  readonly personal?: RegisterCategory;
  /** Kept after erasure on an invoice's legal mentions (CGI art. 242 nonies A). */
  readonly accounts?: true;
  /** Identifies the person: when every identifying column is empty the row is anonymous. */
  readonly identifying?: true;
  /** In the anonymous shell left for statistics: kept as is, or cut to its first three characters. */
  readonly anonymous?: 'keep' | 'cut3';
  /** How dedupe merges it when not chosen: 'keepLosers', the values that lose are kept in extra (merged.<key>), as ways to reach or identify the customer; 'join', every distinct value is kept, joined by a blank line. */
  readonly merge?: 'keepLosers' | 'join';
  /** How dedupe tells which of two spellings of one value says more, to keep it (src/core/dedupe/fuller.ts): as a given name, an address line, or plain text; absent: the newest non-empty value. */
  readonly fuller?: 'given' | 'address' | 'text';
  /** Part of the identity of a row with no key (no e-mail, SIRET or external id): import takes it for a customer already in the file only when all these columns agree. */
  readonly keyless?: true;
  /** An identifier of the person, by the kind the suppression list and the merge aliases hold it as (matched by its normalised companion when it has one: email_norm, phone_e164). */
  readonly heldAs?: 'email' | 'phone' | 'siret';
  /** In the full-text index `carnet search` reads: the migrations build it over these columns in catalogue order (test/unit/fields-fulltext.test.ts), so changing one needs a migration. */
  readonly fullText?: true;
  /** Not in export's default columns. */
  readonly hiddenFromExport?: true;
  /** A contact person on a company's file has it too (the contacts table has its column). */
  readonly contact?: true;
  /** `import --key` can match rows by it; the number orders the choices in --help. */
  readonly importKey?: number;
}

export const CATALOGUE = [
  { key: 'kind', norm: 'kind', prop: 'kind', type: 'text', label: 'person or company', soft: true, accounts: true, anonymous: 'keep',
    flag: { name: 'kind', help: 'person or company (default: company when only a company name is given)' },
    synonyms: ['Type de client', 'Type client', 'Kind', 'Nature', 'Particulier ou professionnel', 'Type de contact', 'Personne physique ou morale'],
    importAs: { vcard: ['KIND'] } },
  { key: 'civility', norm: 'salutation', vcardN: 3, contact: true, prop: 'civility', type: 'text', label: 'M., Mme…', personal: 'Identity', accounts: true,
    flag: { name: 'civility', help: 'M., Mme…' },
    synonyms: ['Civilité', 'Civ', 'Civ.', 'Titre de civilité', 'Title', 'Salutation', 'Name Prefix', 'Prefix', 'Appellation'],
    importAs: { vcard: ['N prefix'], outlook: ['Title'] }, exportAs: { google: 'Name Prefix', outlook: 'Title' } },
  { key: 'first_name', fuller: 'given', keyless: true, fullText: true, vcardN: 1, contact: true, prop: 'firstName', type: 'text', label: 'first name', personal: 'Identity', accounts: true, identifying: true,
    flag: { name: 'first-name', help: 'first name' },
    synonyms: ['Prénom', 'Prenom', 'Prénoms', 'First Name', 'Firstname', 'Given Name', 'given_name', 'Forename', 'Prénom usuel', 'fname', 'first'],
    importAs: { vcard: ['N given'], brevo: ['SURNAME', 'PRENOM', 'FIRSTNAME'] },
    exportAs: { google: 'First Name', outlook: 'First Name', mailchimp: 'First Name', brevo: 'FIRSTNAME' } },
  { key: 'last_name', fuller: 'text', keyless: true, fullText: true, vcardN: 0, contact: true, prop: 'lastName', type: 'text', label: 'last name', personal: 'Identity', accounts: true, identifying: true,
    flag: { name: 'last-name', help: 'last name' },
    synonyms: ['Nom', 'Nom de famille', 'Nom usuel', 'Last Name', 'Lastname', 'Family Name', 'Surname', 'lname', 'last'],
    importAs: { vcard: ['N family'], brevo: ['NAME', 'NOM', 'LASTNAME'] },
    exportAs: { google: 'Last Name', outlook: 'Last Name', mailchimp: 'Last Name', brevo: 'LASTNAME' } },
  { key: 'company_name', fuller: 'text', keyless: true, fullText: true, wide: true, prop: 'companyName', type: 'text', label: 'company name', personal: 'Professional life', accounts: true, identifying: true,
    flag: { name: 'company', help: 'company name (raison sociale)' }, aliases: ['company'],
    synonyms: ['Société', 'Raison sociale', 'Entreprise', 'Nom de l\'entreprise', 'Nom de la société', 'Company', 'Company Name', 'Organisation', 'Organization', 'Organization Name', 'Organisme', 'Établissement', 'Account Name', 'Business Name', 'Enseigne', 'Structure'],
    exportAs: { google: 'Organization Name', outlook: 'Company' },
    importAs: { vcard: ['ORG'] } },
  { key: 'legal_form', norm: 'legalForm', prop: 'legalForm', type: 'text', label: 'SARL, SAS…', personal: 'Professional life', accounts: true,
    flag: { name: 'legal-form', help: 'SARL, SAS, EI…' },
    synonyms: ['Forme juridique', 'Statut juridique', 'Legal form', 'Forme'], vcardX: 'X-CARNET-LEGAL-FORM' },
  { key: 'siret', heldAs: 'siret', merge: 'keepLosers', norm: 'companyId', importKey: 2, prop: 'siret', type: 'text', label: 'SIRET number', personal: 'Professional life', accounts: true, identifying: true,
    flag: { name: 'siret', help: 'SIRET (14 digits) or SIREN (9), spaces allowed' }, aliases: ['siren'],
    synonyms: ['SIRET', 'N° SIRET', 'Numéro SIRET', 'Siret number', 'SIREN', 'N° SIREN', 'Numéro SIREN'], vcardX: 'X-CARNET-SIRET' },
  { key: 'vat_number', norm: 'vatId', prop: 'vatNumber', type: 'text', label: 'VAT number', soft: true, personal: 'Professional life', accounts: true, identifying: true,
    flag: { name: 'vat', help: 'intra-EU VAT number' },
    synonyms: ['N° TVA', 'Numéro TVA', 'Numéro de TVA', 'TVA intracommunautaire', 'N° TVA intracommunautaire', 'TVA intra', 'N° TVA intracom', 'TVA', 'VAT', 'VAT number', 'VAT ID'], vcardX: 'X-CARNET-VAT' },
  { key: 'sector', prop: 'sector', type: 'text', label: 'business sector', personal: 'Professional life', anonymous: 'keep',
    flag: { name: 'sector', help: 'business sector' },
    synonyms: ['Secteur', 'Secteur d\'activité', 'Activité', 'Industry', 'Sector'], vcardX: 'X-CARNET-SECTOR' },
  { key: 'job_title', prop: 'jobTitle', type: 'text', label: 'job title', personal: 'Professional life', vcard: 'TITLE',
    flag: { name: 'job-title', help: 'job title' },
    synonyms: ['Fonction', 'Poste', 'Job Title', 'Titre', 'Role', 'Rôle', 'Position', 'Organization Title'],
    importAs: { vcard: ['TITLE'], outlook: ['Job Title', 'Titre'] }, exportAs: { google: 'Organization Title', outlook: 'Job Title' } },
  { key: 'email', heldAs: 'email', merge: 'keepLosers', channels: ['email'], norm: 'email', wide: true, importKey: 3, contact: true, prop: 'email', type: 'text', label: 'e-mail as typed', personal: 'Contact details', identifying: true,
    flag: { name: 'email', help: 'e-mail address' },
    synonyms: ['E-mail', 'Email', 'Mail', 'Courriel', 'Adresse e-mail', 'Adresse email', 'Adresse mail', 'Adresse électronique', 'Adresse de messagerie', 'E-mail Address', 'Email Address', 'Primary Email', 'E-mail 1', 'Email 1', 'Email Home', 'Email Work', 'Work Email', 'Home Email', 'E-mail 2 Address', 'E-mail 3 Address', 'Email Other', 'Secondary Email', 'E-mail professionnel', 'E-mail personnel'],
    exportAs: { google: 'E-mail 1 - Value', outlook: 'E-mail Address', mailchimp: 'Email Address', brevo: 'EMAIL' },
    importAs: { vcard: ['EMAIL'] } },
  { key: 'email_norm', channels: ['email'], wide: true, contact: true, prop: 'emailNorm', type: 'text', label: 'normalised e-mail', derivedFrom: 'email', hiddenFromExport: true },
  { key: 'phone', heldAs: 'phone', merge: 'keepLosers', channels: ['phone'], norm: 'phone', contact: true, prop: 'phone', type: 'text', label: 'phone as typed', soft: true, phone: true, personal: 'Contact details', identifying: true,
    flag: { name: 'phone', help: 'phone (06 12 34 56 78, +33…)' },
    autoSynonyms: ['Téléphone', 'Tél', 'Tél.', 'Tel', 'Phone', 'Phone Number', 'Numéro de téléphone', 'N° de téléphone', 'Telephone', 'Primary Phone'],
    synonyms: ['Téléphone fixe', 'Tél. fixe', 'Fixe', 'Tél. bureau', 'Téléphone bureau', 'Téléphone professionnel', 'Standard', 'Business Phone', 'Work Phone', 'Office Phone', 'Téléphone domicile', 'Tél. domicile', 'Home Phone', 'Business Phone 2', 'Home Phone 2', 'Other Phone'],
    importAs: { outlook: ['Business Phone', 'Tél. bureau', 'Home Phone', 'Tél. domicile', 'Primary Phone', 'Company Main Phone', 'Other Phone'] } },
  { key: 'phone_e164', keyless: true, channels: ['phone'], contact: true, prop: 'phoneE164', type: 'text', label: 'phone in E.164 (+33…)', derivedFrom: 'phone', phone: true },
  { key: 'mobile', heldAs: 'phone', merge: 'keepLosers', channels: ['sms', 'phone'], norm: 'phone', prop: 'mobile', type: 'text', label: 'mobile as typed', soft: true, phone: true, personal: 'Contact details', identifying: true,
    flag: { name: 'mobile', help: 'mobile phone' },
    synonyms: ['Portable', 'Tél. portable', 'Tel portable', 'Téléphone portable', 'Tél. mobile', 'Téléphone mobile', 'Mobile', 'Mobile Phone', 'Mobile Number', 'Cell', 'Cell Phone', 'Cellphone', 'GSM', 'Home Mobile', 'SMS', 'N° portable'],
    importAs: { vcard: ['TEL (cell)'], outlook: ['Mobile Phone', 'Tél. mobile'], brevo: ['SMS'] } },
  { key: 'mobile_e164', keyless: true, channels: ['sms', 'phone'], prop: 'mobileE164', type: 'text', label: 'mobile in E.164 (+33…)', derivedFrom: 'mobile', phone: true,
    exportAs: { outlook: 'Mobile Phone' } },
  { key: 'address_line1', fuller: 'address', keyless: true, merge: 'keepLosers', channels: ['post'], adr: 2, outlookAddress: 'Street', addressParts: [['street', 'address', 'rue', 'adresse']], wide: true, prop: 'addressLine1', type: 'text', label: 'address, first line', personal: 'Contact details', accounts: true, identifying: true,
    flag: { name: 'address', help: 'street address' }, aliases: ['address'],
    synonyms: ['Adresse', 'Adresse 1', 'Adresse ligne 1', 'Adresse postale', 'Rue', 'Voie', 'Address', 'Address 1', 'Address Line 1', 'Street', 'Street Address', 'address_1'],
    exportAs: { google: 'Address 1 - Street' },
    importAs: { vcard: ['ADR street'] } },
  { key: 'address_line2', fuller: 'address', channels: ['post'], adr: 2, outlookAddress: 'Street 2', addressParts: [['street2', 'address2', 'rue2', 'extendedaddress'], ['street3', 'rue3']], wide: true, prop: 'addressLine2', type: 'text', label: 'address, second line', personal: 'Contact details', accounts: true, identifying: true,
    flag: { name: 'address2', help: 'address, second line' },
    synonyms: ['Adresse 2', 'Adresse ligne 2', 'Complément d\'adresse', 'Complément', 'Address 2', 'Address Line 2', 'address_2', 'Lieu-dit', 'Bâtiment'],
    exportAs: { google: 'Address 1 - Extended Address' },
    importAs: { vcard: ['ADR street 2'] } },
  { key: 'postal_code', keyless: true, norm: 'postalCode', adr: 5, outlookAddress: 'Postal Code', addressParts: [['zip', 'zipcode', 'postalcode', 'codepostal']], prop: 'postalCode', type: 'text', label: 'postal code', soft: true, personal: 'Contact details', accounts: true, anonymous: 'cut3',
    flag: { name: 'postal-code', help: 'postal code' },
    synonyms: ['Code postal', 'CP', 'C.P.', 'Postal Code', 'Postcode', 'Zip', 'Zip Code', 'Zipcode'],
    exportAs: { google: 'Address 1 - Postal Code' },
    importAs: { vcard: ['ADR postal code'] } },
  { key: 'city', fuller: 'text', keyless: true, fullText: true, adr: 3, outlookAddress: 'City', addressParts: [['city', 'ville']], prop: 'city', type: 'text', label: 'city', personal: 'Contact details', accounts: true,
    flag: { name: 'city', help: 'city' },
    synonyms: ['Ville', 'Commune', 'Localité', 'City', 'Town', 'Suburb'],
    exportAs: { google: 'Address 1 - City' },
    importAs: { vcard: ['ADR locality'] } },
  { key: 'country', exportAs: { google: 'Address 1 - Country' }, norm: 'iso3166', adr: 6, outlookAddress: 'Country/Region', addressParts: [['country', 'countryregion', 'pays', 'paysregion']], countryCode: true, prop: 'country', type: 'text', label: 'ISO 3166 alpha-2 country (FR…)', soft: true, personal: 'Contact details', accounts: true, anonymous: 'keep',
    flag: { name: 'country', help: 'country (name or ISO code; default FR)' },
    synonyms: ['Pays', 'Country', 'Country/Region', 'Pays/Région', 'Nationalité du siège'],
    importAs: { vcard: ['ADR country'], mailchimp: ['CC'] } },
  { key: 'birth_date', keyless: true, prop: 'birthDate', type: 'date', label: 'date of birth', soft: true, personal: 'Identity', identifying: true,
    flag: { name: 'birth-date', help: 'birth date (dd/mm/yyyy or yyyy-mm-dd)' },
    synonyms: ['Date de naissance', 'Naissance', 'Né le', 'Née le', 'Né(e) le', 'Anniversaire', 'Birth Date', 'Birthdate', 'Birthday', 'Date of Birth', 'date_of_birth', 'DOB'],
    // Exported as ISO dates: unambiguous for Outlook whatever its locale, and for carnet's day-first reading.
    exportAs: { google: 'Birthday', outlook: 'Birthday' },
    importAs: { vcard: ['BDAY'] } },
  { key: 'website', vcard: 'URL', wide: true, prop: 'website', type: 'text', label: 'web site', personal: 'Contact details', identifying: true,
    flag: { name: 'website', help: 'web site' },
    synonyms: ['Site web', 'Site', 'Site internet', 'Page web', 'Website', 'Web', 'Web Page', 'Web Page 1', 'URL', 'Website Home Page', 'Website Work'],
    exportAs: { google: 'Website 1 - Value', outlook: 'Web Page' },
    importAs: { vcard: ['URL'] } },
  { key: 'owner', prop: 'owner', type: 'text', label: 'sales rep in charge', personal: 'Commercial relationship',
    flag: { name: 'owner', help: 'who looks after this customer' },
    synonyms: ['Commercial', 'Responsable', 'Responsable commercial', 'Chargé d\'affaires', 'Suivi par', 'Owner', 'Contact Owner', 'Account Owner', 'Sales Rep'], vcardX: 'X-CARNET-OWNER' },
  { key: 'region', adr: 4, outlookAddress: 'State', addressParts: [['state', 'region']], prop: 'region', type: 'text', label: 'region', personal: 'Commercial relationship',
    flag: { name: 'region', help: 'sales region' },
    synonyms: ['Région', 'Region', 'State', 'Province', 'Département', 'Departement'],
    importAs: { vcard: ['ADR region'], mailchimp: ['REGION'] }, exportAs: { google: 'Address 1 - Region' } },
  { key: 'status', norm: 'lifecycle', prop: 'status', type: 'text', label: 'lifecycle status (prospect, lead, client…)', personal: 'Commercial relationship', anonymous: 'keep',
    flag: { name: 'status', help: 'prospect, lead, client… (default prospect)' },
    synonyms: ['Statut', 'Status', 'Statut client', 'Étape', 'Stade', 'Lifecycle Stage', 'Lead Status', 'Cycle de vie'], vcardX: 'X-CARNET-STATUS' },
  { key: 'source', prop: 'source', type: 'text', label: 'where the data was collected', personal: 'Commercial relationship',
    flag: { name: 'source', help: 'where the data was collected (RGPD)' },
    synonyms: ['Source', 'Origine', 'Provenance', 'Lead Source', 'Origine du contact'], vcardX: 'X-CARNET-SOURCE' },
  { key: 'external_id', importKey: 1, prop: 'externalId', type: 'text', label: 'id in the source system', personal: 'Commercial relationship', identifying: true,
    flag: { name: 'external-id', help: 'id in another system' },
    synonyms: ['Réf', 'Ref', 'Référence', 'Ref client', 'Référence client', 'Code client', 'N° client', 'Numéro client', 'Num client', 'No client', 'ID client', 'Identifiant', 'Identifiant client', 'Client ID', 'Customer ID', 'Customer number', 'ID', 'External ID', 'Externalid', 'Record ID', 'Contact ID', 'rec_id', 'unique_id', 'uid externe'],
    importAs: { vcard: ['UID'], brevo: ['EXT_ID'] } },
  { key: 'external_source', prop: 'externalSource', type: 'text', label: 'source system' },
  { key: 'notes', fullText: true, merge: 'join', norm: 'multiline', wide: true, contact: true, prop: 'notes', type: 'text', label: 'free notes', personal: 'Free text', identifying: true, vcard: 'NOTE',
    flag: { name: 'notes', help: 'free notes' },
    synonyms: ['Notes', 'Note', 'Commentaire', 'Commentaires', 'Remarque', 'Remarques', 'Observations', 'Comments', 'Comment', 'Memo', 'Mémo'],
    exportAs: { google: 'Notes', outlook: 'Notes' },
    importAs: { vcard: ['NOTE'] } },
] as const satisfies readonly CatalogueEntry[];

export type CatalogueKey = (typeof CATALOGUE)[number]['key'];
export type CatalogueProp = (typeof CATALOGUE)[number]['prop'];

type Entry = (typeof CATALOGUE)[number];
/** Props of the fields a file, a flag or --set gives (not derived by normalisation). */
export type GivenProp = Exclude<Entry, { readonly derivedFrom: string }>['prop'];
/** Keys `import --key` matches rows by (external_id, siret, email). */
export type ImportKey = Extract<Entry, { readonly importKey: number }>['key'];
/** Props of the typed phone numbers (heldAs 'phone'), in catalogue order. */
export type PhoneProp = Extract<Entry, { readonly heldAs: 'phone' }>['prop'];
/** Props of the fields a contact person has. */
export type ContactProp = Extract<Entry, { readonly contact: true }>['prop'];

/** The entries as the general interface (the literal types above only serve the row types). */
export const FIELDS: readonly CatalogueEntry[] = CATALOGUE;

/** Entries that a file, a flag or --set can give (not derived). */
export const GIVEN_ENTRIES: readonly CatalogueEntry[] = FIELDS.filter((e) => e.derivedFrom === undefined);

export const ENTRY_BY_KEY: ReadonlyMap<string, CatalogueEntry> = new Map(FIELDS.map((e) => [e.key, e]));
export const ENTRY_BY_PROP: ReadonlyMap<string, CatalogueEntry> = new Map(FIELDS.map((e) => [e.prop, e]));

/** The keys `import --key` accepts besides auto, in the order --help lists them. */
export const IMPORT_KEYS: readonly ImportKey[] = FIELDS.filter((e) => e.importKey !== undefined)
  .sort((a, b) => (a.importKey ?? 0) - (b.importKey ?? 0))
  .map((e) => e.key as ImportKey);

/** The typed phone numbers' props, landline first (catalogue order): a listing shows the first one filled. */
export const PHONE_PROPS: readonly PhoneProp[] = FIELDS.filter((e) => e.heldAs === 'phone').map((e) => e.prop as PhoneProp);

/** The columns of the full-text index, in its order. */
/** The columns that identify a row with no key (keyless). */
export const KEYLESS_KEYS: readonly CatalogueKey[] = FIELDS.filter((e) => e.keyless === true).map((e) => e.key as CatalogueKey);
/** Fields dedupe merges by the fuller spelling, by property, with how it compares them. */
export const FULLER_BY_PROP: ReadonlyMap<string, NonNullable<CatalogueEntry['fuller']>> = new Map(
  FIELDS.flatMap((e) => (e.fuller === undefined ? [] : [[e.prop, e.fuller] as const])),
);
export const FULL_TEXT_KEYS: readonly string[] = FIELDS.filter((e) => e.fullText === true).map((e) => e.key);

/** Props computed from another field by normalisation (emailNorm…): never set on their own. */
export const DERIVED_PROPS: ReadonlySet<string> = new Set(FIELDS.filter((e) => e.derivedFrom !== undefined).map((e) => e.prop));

/** A field's prop → the prop computed from it (email → emailNorm): they travel together. */
export const COMPANION_OF: ReadonlyMap<string, string> = new Map(
  FIELDS.flatMap((e) => {
    const from = e.derivedFrom === undefined ? undefined : ENTRY_BY_KEY.get(e.derivedFrom);
    return from ? [[from.prop, e.prop] as const] : [];
  }),
);

/** A contact person's fields kept as typed text: those nothing is computed from (not the e-mail, not the phone). */
export const CONTACT_TEXT: readonly CatalogueEntry[] = GIVEN_ENTRIES.filter((e) => e.contact === true && !COMPANION_OF.has(e.prop));

/** The field a given entry is (its prop as a CustomerFieldName: only given entries have one). */
export function fieldOf(e: CatalogueEntry): CustomerFieldName {
  return e.prop as CustomerFieldName;
}

type EntryOfProp<P> = Extract<Entry, { readonly prop: P }>;
/**
 * Each field's key by its prop (`KEY.emailNorm` is 'email_norm', typed as that
 * literal): code names a built-in field through this map, never by writing
 * its key again, so the key is spelled in this file only.
 */
export const KEY = Object.fromEntries(CATALOGUE.map((e) => [e.prop, e.key])) as { readonly [P in CatalogueProp]: EntryOfProp<P>['key'] };
