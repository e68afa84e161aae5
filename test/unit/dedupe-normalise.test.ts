import { describe, expect, it } from 'vitest';
import { addressKey, cityKey, companyKey, emailKey, emailLocal, familyNameKey, givenNameKey, phoneNumber, sirenNumber, birthNumber } from '../../src/core/dedupe/normalise.js';
import { frenchPhonetic } from '../../src/core/dedupe/phonetic.js';
import { jaroWinkler, tokenSimilarity, withinOneEdit } from '../../src/core/dedupe/similarity.js';

describe('matching normalisation', () => {
  it('splits given names on hyphens and recognises initials', () => {
    expect(givenNameKey('Jean-Pierre')).toBe('jean pierre');
    expect(givenNameKey('J.-P.')).toBe('j p');
    expect(givenNameKey('JP')).toBe('j p');
    expect(givenNameKey('J. P.')).toBe('j p');
    expect(givenNameKey('Hélène')).toBe('helene');
    expect(givenNameKey('Mme Hélène')).toBe('helene');
    expect(givenNameKey('')).toBe('');
  });

  it('folds family names and drops civilities', () => {
    expect(familyNameKey('LE GALL')).toBe('le gall');
    expect(familyNameKey("M. D'Argent")).toBe('d argent');
    expect(familyNameKey('Lefèvre')).toBe('lefevre');
  });

  it('removes French legal forms wherever they are', () => {
    expect(companyKey('SARL Boulangerie Martin')).toBe('boulangerie martin');
    expect(companyKey('Boulangerie Martin S.A.R.L.')).toBe('boulangerie martin');
    expect(companyKey('Boulangerie Martin (SAS)')).toBe('boulangerie martin');
    expect(companyKey('Sté Atelier Côté Jardin SASU')).toBe('atelier cote jardin');
    expect(companyKey('EURL Dupont & Fils')).toBe('dupont fils');
  });

  it('expands street types and glues bis/ter to the number', () => {
    expect(addressKey('3 av. Jean-Jaurès')).toBe(addressKey('3 avenue Jean Jaurès'));
    expect(addressKey('12 bd de la Libération')).toBe('12 boulevard liberation');
    expect(addressKey('5 r. des Lilas')).toBe('5 rue lilas');
    expect(addressKey('15 B rue Nationale')).toBe('15bis rue nationale');
    expect(addressKey('8 pl. St-Michel', 'Bât. A')).toBe('8 place saint michel batiment');
  });

  it('brings towns to one spelling', () => {
    expect(cityKey('St-Étienne')).toBe('saint etienne');
    expect(cityKey('SAINT ETIENNE')).toBe('saint etienne');
    expect(cityKey('Paris 11e')).toBe('paris');
    expect(cityKey('LYON CEDEX 03')).toBe('lyon');
  });

  it('folds gmail dots and +tags, keeps other dots', () => {
    expect(emailKey('jean.pierre+promo@gmail.com')).toBe('jeanpierre@gmail.com');
    expect(emailKey('j.p.dupont@googlemail.com')).toBe('jpdupont@gmail.com');
    expect(emailKey('jean.dupont+news@orange.fr')).toBe('jean.dupont@orange.fr');
    expect(emailLocal('jean.dupont@orange.fr')).toBe('jeandupont');
    expect(emailLocal('contact@boulangerie.fr')).toBe('');
  });

  it('turns phones, SIRET and dates into numbers', () => {
    expect(phoneNumber('+33612345678')).toBe(33612345678);
    expect(Number.isNaN(phoneNumber(null))).toBe(true);
    expect(sirenNumber('73282932000074')).toBe(732829320);
    expect(sirenNumber('732829320')).toBe(732829320);
    expect(birthNumber('1980-05-12')).toBe(19800512);
  });
});

describe('French phonetic key', () => {
  it.each([
    ['Lefebvre', 'Lefèvre'],
    ['Dupont', 'Dupond'],
    ['Gauthier', 'Gautier'],
    ['Philippe', 'Filipe'],
    ['Rousseau', 'Rousso'],
    ['Mathieu', 'Matthieu'],
    ['Christophe', 'Kristof'],
    ['Le Gall', 'Legall'],
    ['Faure', 'Fort'],
    ['Thierry', 'Tierry'],
  ])('%s sounds like %s', (a, b) => {
    expect(frenchPhonetic(a)).toBe(frenchPhonetic(b));
    expect(frenchPhonetic(a)).not.toBe('');
  });

  it.each([
    ['Martin', 'Bernard'],
    ['Moreau', 'Morel'],
    ['Petit', 'Richard'],
  ])('%s does not sound like %s', (a, b) => {
    expect(frenchPhonetic(a)).not.toBe(frenchPhonetic(b));
  });
});

describe('similarities', () => {
  it('computes Jaro–Winkler as published', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('', 'abc')).toBe(0);
  });

  it('tells one typo from two', () => {
    expect(withinOneEdit('7535316', '7535816')).toBe(true);
    expect(withinOneEdit('19800512', '19805012')).toBe(true);
    expect(withinOneEdit('abcd', 'abd')).toBe(true);
    expect(withinOneEdit('abcd', 'acbe')).toBe(false);
  });

  it('compares word sets whatever the order', () => {
    expect(tokenSimilarity('boulangerie martin', 'martin boulangerie')).toBe(1);
    expect(tokenSimilarity('12 rue lilas', '14 rue lilas')).toBeLessThan(0.8);
  });
});
