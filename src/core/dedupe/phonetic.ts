/**
 * A phonetic key for French names: spellings that sound alike get one key
 * (Lefebvre = Lefèvre, Dupont = Dupond, Gauthier = Gautier, Rousseau = Rousso, Philippe = Filipe, Mathieu = Matthieu,
 * Christophe = Kristof, Faure = Fort). Soundex and Metaphone are built for
 * English and miss these; this follows French spelling rules instead:
 * silent final letters, nasal vowels, eau/au/o, ph/f, qu/k, c and g before
 * e/i, ch, gn, double letters. Used for blocking, never shown.
 *
 * Lower-case letters are input not yet read; upper-case letters are sounds
 * already decided, so later rules leave them alone.
 */
import { fold } from '../normalise/text.js';

const RULES: readonly (readonly [RegExp, string])[] = [
  // Silent letters at the end of a word, before the rest sees them.
  [/(?<=[a-z]{2})(?:ts|ds|ps|x|s|z|t|d|p)$/, ''],
  [/([^aeiouy])es$/, '$1'],
  [/(?<=[a-z]{2})e$/, ''],
  [/ent$/, 'AN'],
  // Vowel groups first, they swallow letters the consonant rules would read.
  [/eaux?|aux?|au/g, 'O'],
  [/oeu|eu|oe/g, 'E'],
  [/ou|oo/g, 'U'],
  [/oi|oy/g, 'WA'],
  [/ai|ei|ay|ey/g, 'E'],
  // Nasals: a vowel + n/m not followed by a vowel or another n/m.
  [/(?:an|am|en|em)(?![aeiouyAEIOUnm])/g, 'AN'],
  [/(?:on|om)(?![aeiouyAEIOUnm])/g, 'ON'],
  [/(?:in|im|yn|ym|un|um)(?![aeiouyAEIOUnm])/g, 'IN'],
  // Consonant spellings.
  [/ch(?=[rl])/g, 'K'],
  [/sch|sh|ch/g, 'C'],
  [/ph/g, 'F'],
  [/th/g, 'T'],
  [/gn/g, 'N'],
  [/qu|q|ck|cq|k/g, 'K'],
  [/c(?=[eiyEI])/g, 'S'],
  [/c/g, 'K'],
  [/gu(?=[eiyEI])/g, 'G'],
  [/g(?=[eiyEI])/g, 'J'],
  [/ge(?=[aoAOU])/g, 'J'],
  [/g/g, 'G'],
  [/tion/g, 'SION'],
  [/x/g, 'KS'],
  [/z/g, 'S'],
  [/w/g, 'V'],
  [/bv/g, 'V'],
  [/h/g, ''],
  [/y/g, 'I'],
];

const NON_LETTER = /[^a-z]/g;
const DOUBLES = /(.)\1+/g;

function wordKey(word: string): string {
  let w = word;
  for (const [re, to] of RULES) w = w.replace(re, to);
  return w.toUpperCase().replace(DOUBLES, '$1');
}

const cache = new Map<string, string>();

/**
 * The key of a name; words are keyed one by one and joined without space,
 * so "Le Gall" = "Legall". '' for a name without letters.
 */
export function frenchPhonetic(name: string | null | undefined): string {
  if (!name) return '';
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const words = fold(name).split(/[\s\-']+/).map((w) => w.replace(NON_LETTER, '')).filter((w) => w.length > 0);
  const key = words.map(wordKey).join('').replace(DOUBLES, '$1');
  if (cache.size > 200_000) cache.clear();
  cache.set(name, key);
  return key;
}
