import { ValidationError } from '../errors.js';
import { cleanText, lookupKey, SmallCache } from './text.js';
import { KEY } from '../fields/catalogue.js';

/**
 * [alpha-2, alpha-3, names…]: French and English names plus the spellings
 * found in real files (native names, old names, abbreviations). Matching is
 * on lookupKey (case, accents and punctuation ignored), so one spelling per
 * word order is enough. Other ISO countries are named by Intl.DisplayNames.
 */
const COUNTRIES: readonly (readonly string[])[] = [
  ['FR', 'FRA', 'France', 'République française', 'France métropolitaine', 'Metropolitan France'],
  ['BE', 'BEL', 'Belgique', 'Belgium', 'België', 'Belgien'],
  ['CH', 'CHE', 'Suisse', 'Switzerland', 'Schweiz', 'Svizzera', 'Confédération suisse'],
  ['LU', 'LUX', 'Luxembourg', 'Luxemburg', 'Grand-Duché de Luxembourg'],
  ['MC', 'MCO', 'Monaco', 'Principauté de Monaco'],
  ['DE', 'DEU', 'Allemagne', 'Germany', 'Deutschland', 'RFA'],
  ['ES', 'ESP', 'Espagne', 'Spain', 'España', 'Espana'],
  ['IT', 'ITA', 'Italie', 'Italy', 'Italia'],
  ['PT', 'PRT', 'Portugal'],
  ['NL', 'NLD', 'Pays-Bas', 'Netherlands', 'The Netherlands', 'Nederland', 'Hollande', 'Holland'],
  ['GB', 'GBR', 'Royaume-Uni', 'United Kingdom', 'UK', 'U.K.', 'Grande-Bretagne', 'Great Britain', 'Angleterre', 'England', 'Écosse', 'Scotland', 'Pays de Galles', 'Wales'],
  ['IE', 'IRL', 'Irlande', 'Ireland', 'Eire'],
  ['AT', 'AUT', 'Autriche', 'Austria', 'Österreich'],
  ['DK', 'DNK', 'Danemark', 'Denmark'],
  ['SE', 'SWE', 'Suède', 'Sweden', 'Sverige'],
  ['NO', 'NOR', 'Norvège', 'Norway', 'Norge'],
  ['FI', 'FIN', 'Finlande', 'Finland', 'Suomi'],
  ['IS', 'ISL', 'Islande', 'Iceland'],
  ['PL', 'POL', 'Pologne', 'Poland', 'Polska'],
  ['CZ', 'CZE', 'Tchéquie', 'République tchèque', 'Czechia', 'Czech Republic'],
  ['SK', 'SVK', 'Slovaquie', 'Slovakia'],
  ['HU', 'HUN', 'Hongrie', 'Hungary'],
  ['RO', 'ROU', 'Roumanie', 'Romania'],
  ['BG', 'BGR', 'Bulgarie', 'Bulgaria'],
  ['GR', 'GRC', 'Grèce', 'Greece', 'EL'],
  ['HR', 'HRV', 'Croatie', 'Croatia'],
  ['SI', 'SVN', 'Slovénie', 'Slovenia'],
  ['EE', 'EST', 'Estonie', 'Estonia'],
  ['LV', 'LVA', 'Lettonie', 'Latvia'],
  ['LT', 'LTU', 'Lituanie', 'Lithuania'],
  ['CY', 'CYP', 'Chypre', 'Cyprus'],
  ['MT', 'MLT', 'Malte', 'Malta'],
  ['AD', 'AND', 'Andorre', 'Andorra'],
  ['LI', 'LIE', 'Liechtenstein'],
  ['SM', 'SMR', 'Saint-Marin', 'San Marino'],
  ['VA', 'VAT', 'Vatican', 'Saint-Siège', 'Holy See', 'Vatican City'],
  ['UA', 'UKR', 'Ukraine'],
  ['RU', 'RUS', 'Russie', 'Russia', 'Fédération de Russie', 'Russian Federation'],
  ['TR', 'TUR', 'Turquie', 'Turkey', 'Türkiye', 'Turkiye'],
  ['US', 'USA', 'États-Unis', 'Etats-Unis d’Amérique', 'United States', 'United States of America', 'U.S.A.', 'U.S.', 'America'],
  ['CA', 'CAN', 'Canada'],
  ['MX', 'MEX', 'Mexique', 'Mexico', 'México'],
  ['BR', 'BRA', 'Brésil', 'Brazil', 'Brasil'],
  ['AR', 'ARG', 'Argentine', 'Argentina'],
  ['CL', 'CHL', 'Chili', 'Chile'],
  ['MA', 'MAR', 'Maroc', 'Morocco'],
  ['DZ', 'DZA', 'Algérie', 'Algeria'],
  ['TN', 'TUN', 'Tunisie', 'Tunisia'],
  ['SN', 'SEN', 'Sénégal', 'Senegal'],
  ['CI', 'CIV', 'Côte d’Ivoire', "Cote d'Ivoire", 'Ivory Coast'],
  ['ML', 'MLI', 'Mali'],
  ['BF', 'BFA', 'Burkina Faso', 'Burkina'],
  ['NE', 'NER', 'Niger'],
  ['GN', 'GIN', 'Guinée', 'Guinea'],
  ['CM', 'CMR', 'Cameroun', 'Cameroon'],
  ['GA', 'GAB', 'Gabon'],
  ['CG', 'COG', 'Congo', 'République du Congo', 'Congo-Brazzaville'],
  ['CD', 'COD', 'RDC', 'République démocratique du Congo', 'Democratic Republic of the Congo', 'Congo-Kinshasa'],
  ['BJ', 'BEN', 'Bénin', 'Benin'],
  ['TG', 'TGO', 'Togo'],
  ['MG', 'MDG', 'Madagascar'],
  ['MU', 'MUS', 'Maurice', 'Île Maurice', 'Mauritius'],
  ['EG', 'EGY', 'Égypte', 'Egypt'],
  ['LB', 'LBN', 'Liban', 'Lebanon'],
  ['IL', 'ISR', 'Israël', 'Israel'],
  ['CN', 'CHN', 'Chine', 'China'],
  ['JP', 'JPN', 'Japon', 'Japan'],
  ['IN', 'IND', 'Inde', 'India'],
  ['AU', 'AUS', 'Australie', 'Australia'],
  ['NZ', 'NZL', 'Nouvelle-Zélande', 'New Zealand'],
  ['HT', 'HTI', 'Haïti', 'Haiti'],
  ['VN', 'VNM', 'Viêt Nam', 'Vietnam'],
  // Overseas France has its own ISO codes; French files usually write the territory's name.
  ['GP', 'GLP', 'Guadeloupe'],
  ['MQ', 'MTQ', 'Martinique'],
  ['GF', 'GUF', 'Guyane', 'Guyane française', 'French Guiana'],
  ['RE', 'REU', 'La Réunion', 'Réunion', 'Reunion'],
  ['YT', 'MYT', 'Mayotte'],
  ['PM', 'SPM', 'Saint-Pierre-et-Miquelon'],
  ['NC', 'NCL', 'Nouvelle-Calédonie', 'New Caledonia'],
  ['PF', 'PYF', 'Polynésie française', 'French Polynesia'],
];

/** Codes Intl.DisplayNames names that are not countries (regions, unions, test codes) or are withdrawn. */
const NOT_COUNTRIES = new Set(['AC', 'CP', 'CQ', 'DG', 'EA', 'EU', 'EZ', 'IC', 'QO', 'TA', 'UN', 'XA', 'XB', 'ZZ', 'UK', 'ZR', 'AN', 'BU', 'CS', 'DD', 'FX', 'NT', 'SU', 'TP', 'YD', 'YU', 'QU']);

let index: Map<string, string> | undefined;

/** Built on first use, not at import: most commands never look a country up. */
function buildIndex(): Map<string, string> {
  const map = new Map<string, string>();
  const add = (name: string, code: string): void => {
    const key = lookupKey(name);
    if (key !== '' && !map.has(key)) map.set(key, code);
  };
  for (const [code, alpha3, ...names] of COUNTRIES) {
    if (code === undefined || alpha3 === undefined) continue;
    add(code, code);
    add(alpha3, code);
    for (const n of names) add(n, code);
  }
  // Every other ISO 3166 country, by its French and English names (full ICU ships with Node).
  try {
    const fr = new Intl.DisplayNames(['fr'], { type: 'region', fallback: 'none' });
    const en = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        if (NOT_COUNTRIES.has(code)) continue;
        const frName = fr.of(code);
        if (frName === undefined) continue;
        add(code, code);
        add(frName, code);
        const enName = en.of(code);
        if (enName !== undefined) add(enName, code);
      }
    }
  } catch {
    // A Node built without ICU region names: the table above still works.
  }
  return map;
}

let frNames: Intl.DisplayNames | undefined;

/** A code's French name (FR → France, BE → Belgique) for address books; anything else, or a Node without ICU names, comes back as it is. */
export function frenchCountryName(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    frNames ??= new Intl.DisplayNames(['fr'], { type: 'region' });
    return frNames.of(code) ?? code;
  } catch {
    return code;
  }
}

const cache = new SmallCache<string>(1_000);

/**
 * ISO 3166 alpha-2 code from a code (alpha-2, alpha-3) or a French or
 * English name, ignoring case, accents and punctuation. null/empty → null;
 * unknown → ValidationError('country').
 */
export function normaliseCountry(raw: string | null | undefined, field: string = KEY.country): string | null {
  if (raw === null || raw === undefined) return null;
  const hit = cache.get(raw);
  if (hit !== undefined) return hit;
  const s = cleanText(raw);
  if (s === null) return null;
  index ??= buildIndex();
  const code = index.get(lookupKey(s));
  if (code === undefined) {
    throw new ValidationError(field, `'${s}' is not a country I know`, 'use an ISO code such as FR, BE, CH, or the name in French or English');
  }
  return cache.set(raw, code);
}
