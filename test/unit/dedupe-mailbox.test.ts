import { expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { F_EMAIL } from '../../src/core/dedupe/compare.js';
import { findDuplicates } from '../../src/core/dedupe/find.js';
import type { MatchRow } from '../../src/core/dedupe/table.js';
import type { CustomerInput } from '../../src/core/model.js';
import { memoryCtx } from '../helpers/ctx.js';
import { pairLevel } from '../helpers/dedupe-pair.js';
import { forEachEngine } from '../helpers/engines.js';

/** The e-mail level of two records, as dedupe compares them. */
function emailLevel(a: string, b: string): string {
  const row = (id: number, email: string): MatchRow => [id, 'Jean', 'Martin', null, null, email, null, null, null, null, '59000', 'Lille', 'FR', null, null, null, null];
  return pairLevel(row(1, a), row(2, b), F_EMAIL);
}

it('reads mailbox names that differ by their number only as two mailboxes, one with and one without a number as one name', () => {
  // Namesakes' mailboxes are the name plus the number a provider made them add.
  expect(emailLevel('jean.martin.17@orange.fr', 'jean.martin.42@orange.fr')).toBe('different');
  expect(emailLevel('jeanmartin1975@free.fr', 'jeanmartin1957@gmail.com')).toBe('different');
  // One person: the plain name was taken at the new provider, or a typo.
  expect(emailLevel('jean.martin@orange.fr', 'jean.martin42@free.fr')).toBe('same mailbox name');
  expect(emailLevel('jean.martin42@orange.fr', 'jean.martin42@free.fr')).toBe('same mailbox name');
  expect(emailLevel('jeandupont@orange.fr', 'jeandupnt@free.fr')).toBe('same mailbox name');
  expect(emailLevel('jean.martin@orange.fr', 'jean.martin@orange.fr')).toBe('same');
});

forEachEngine('mailbox names that carry a number', (engine) => {
  const TOWNS = [['59000', 'Lille'], ['33000', 'Bordeaux'], ['44000', 'Nantes'], ['67000', 'Strasbourg'], ['13001', 'Marseille'], ['31000', 'Toulouse']] as const;
  const FIRSTS = ['Paul', 'Claire', 'Hugo', 'Emma', 'Nina', 'Marc', 'Julie', 'Simon', 'Alice', 'Victor'];
  const LASTS = ['Bernard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Laurent', 'Michel', 'Garcia', 'David', 'Roux'];

  it('still finds one person whose new mailbox is the old name with a number or a typo, among namesakes with numbered mailboxes', () => {
    const ctx = memoryCtx(engine);
    const add = (p: CustomerInput): number => addCustomer(ctx, p).customer.id;
    for (let k = 0; k < 60; k++) {
      const [postalCode, city] = TOWNS[k % TOWNS.length] ?? TOWNS[0];
      const firstName = FIRSTS[k % FIRSTS.length] ?? '';
      const lastName = LASTS[(k * 3) % LASTS.length] ?? '';
      add({ firstName, lastName, email: `${firstName}.${lastName}.${k}@exemple.fr`.toLowerCase(), postalCode, city });
    }
    const claire = (email: string): number => add({ firstName: 'Claire', lastName: 'Fontaine', email, postalCode: '59000', city: 'Lille' });
    const ids = [claire('claire.fontaine@orange.fr'), claire('claire.fontaine75@free.fr'), claire('claire.fontiane@gmail.com')];
    const clusters = findDuplicates(ctx).clusters.map((c) => c.members.map((m) => m.id).sort((a, b) => a - b));
    expect(clusters).toContainEqual(ids);
  });
});
