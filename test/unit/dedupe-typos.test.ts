import { expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { findDuplicates } from '../../src/core/dedupe/find.js';
import { editsWithin } from '../../src/core/dedupe/similarity.js';
import { F_ADDRESS } from '../../src/core/dedupe/compare.js';
import type { MatchRow } from '../../src/core/dedupe/table.js';
import type { CustomerInput } from '../../src/core/model.js';
import { memoryCtx } from '../helpers/ctx.js';
import { pairLevel } from '../helpers/dedupe-pair.js';
import { forEachEngine, type TestEngine } from '../helpers/engines.js';

const at = (p: Partial<CustomerInput>, street: string, postalCode: string, city: string): CustomerInput => ({ ...p, addressLine1: street, postalCode, city });

/** A background of unrelated people, so that the file's model has something to learn from. */
function background(n: number): CustomerInput[] {
  const firsts = ['Paul', 'Claire', 'Hugo', 'Emma', 'Nina', 'Marc', 'Julie', 'Simon', 'Alice', 'Victor', 'Lucie', 'Lucile', 'Louis', 'Louise'];
  const lasts = ['Bernard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Michel', 'Garcia', 'David', 'Roux', 'Fournier'];
  return Array.from({ length: n }, (_, k) => at({ firstName: firsts[k % firsts.length], lastName: `${lasts[k % lasts.length]}${k % 7 === 0 ? '' : String.fromCharCode(97 + (k % 26))}`, birthDate: `${1 + (k % 28)}/${1 + (k % 12)}/19${50 + (k % 40)}` }, `${1 + k} rue ${lasts[(k * 7) % lasts.length]}`, `${69001 + (k % 9)}`, 'Lyon'));
}

function clustersOf(engine: TestEngine, people: CustomerInput[]): number[][] {
  const ctx = memoryCtx(engine);
  const ids = people.map((p) => addCustomer(ctx, p).customer.id);
  const index = new Map(ids.map((id, k) => [id, k]));
  return findDuplicates(ctx).clusters.map((c) => c.members.map((m) => index.get(m.id) ?? -1).sort((a, b) => a - b));
}

forEachEngine('first names mistyped, and relatives who are not', (engine) => {
  it('counts transpositions and substitutions as edits', () => {
    expect(editsWithin('ksaey', 'casey', 2)).toBe(true);
    expect(editsWithin('ksaey', 'casey', 1)).toBe(false);
    expect(editsWithin('marie', 'adrien', 2)).toBe(false);
    expect(editsWithin('abc', 'abc', 0)).toBe(true);
  });

  it('merges a mistyped first name with the person it belongs to', () => {
    const base = background(40);
    const casey = { lastName: 'Meyler', birthDate: '12/04/1961' };
    const people = [
      ...base,
      at({ ...casey, firstName: 'Casey' }, '12 rue Grylls', '69004', 'Lyon'),
      at({ ...casey, firstName: 'Casey', birthDate: undefined }, '12 rue Grylls', '69004', 'Lyon'),
      at({ ...casey, firstName: 'Ksaey' }, '12 rue Grylls', '69004', 'Lyon'),
    ];
    const n = base.length;
    expect(clustersOf(engine, people)).toContainEqual([n, n + 1, n + 2]);
  });

  it('never merges twins or relatives whose first names are other names of the file (Léa / Léo, Louis / Louise, Lucie / Lucile)', () => {
    const base = background(40);
    const home = (firstName: string) => at({ firstName, lastName: 'Martin', birthDate: '03/05/2001' }, '8 rue des Écoles', '69005', 'Lyon');
    const people = [...base, home('Léa'), home('Léo'), home('Louis'), home('Louise'), home('Lucie'), home('Lucile'), home('Hugo'), home('Emma')];
    const n = base.length;
    expect(clustersOf(engine, people).filter((c) => c.some((k) => k >= n))).toEqual([]);
  });

  it('keeps twins apart in a file too small to know its names, when one name is the other with another ending', () => {
    const home = (firstName: string) => at({ firstName, lastName: 'Martin', birthDate: '03/05/2001' }, '8 rue des Écoles', '69005', 'Lyon');
    expect(clustersOf(engine, [home('Léa'), home('Léo'), home('Louis'), home('Louise'), home('Denis'), home('Denise'), home('Jean'), home('Jeanne')])).toEqual([]);
  });

  it('reads a lone name in the first-name column as the surname it is', () => {
    const base = background(40);
    const people = [
      ...base,
      at({ firstName: 'Amber', lastName: 'Grubb', birthDate: '27/01/1985' }, '7 rue Eady', '69006', 'Lyon'),
      at({ firstName: 'Grubb' }, '7 rue Eady', '69006', 'Lyon'),
    ];
    const n = base.length;
    expect(clustersOf(engine, people)).toContainEqual([n, n + 1]);
  });
});

forEachEngine('street numbers', (engine) => {
  const row = (id: number, street: string): MatchRow => [id, 'Jean', 'Martin', null, null, null, null, null, street, null, '69005', 'Lyon', 'FR', null, null, null, null];
  const levelOf = (a: string, b: string): string => pairLevel(row(1, a), row(2, b), F_ADDRESS);

  it('reads a street number one typo apart as a similar address, and two numbers farther apart as two addresses', () => {
    expect(levelOf('46 rue Macpherson', '64 rue Macpherson')).toBe('similar');
    expect(levelOf('3 rue Macpherson', '43 rue Macpherson')).toBe('similar');
    expect(levelOf('12 rue Macpherson', '48 rue Macpherson')).toBe('different');
    expect(levelOf('46 rue Macpherson', '64 rue Gambetta')).toBe('different');
    expect(levelOf('46 rue Macpherson', '46 rue Macpherson')).toBe('same');
  });
});
