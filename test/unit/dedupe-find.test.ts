import { expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { findDuplicates, DEFAULT_THRESHOLD } from '../../src/core/dedupe/find.js';
import { markDistinct } from '../../src/core/dedupe/decisions.js';
import type { CustomerInput } from '../../src/core/model.js';
import { memoryCtx } from '../helpers/ctx.js';
import { forEachEngine, type TestEngine } from '../helpers/engines.js';

/** The made-up file of examples/clients.csv, plus the mess dedupe must see through, plus look-alikes it must not merge. */
const PEOPLE: CustomerInput[] = [
  { firstName: 'Jean-Pierre', lastName: 'Dupont', email: 'jp.dupont@gmail.com', phone: '06.45.22.11.09', addressLine1: '3 avenue Jean Jaurès', postalCode: '75011', city: 'Paris' },
  { firstName: 'J.-P.', lastName: 'Dupont', email: 'jean-pierre.dupont@outlook.fr', phone: '+33 6 45 22 11 09', addressLine1: '3 av. Jean-Jaurès', postalCode: '75011', city: 'Paris' },
  { firstName: 'Élodie', lastName: 'Meyer', email: 'elodie.meyer@sfr.fr', phone: '06 12 34 56 78', addressLine1: '12 rue des Lilas', postalCode: '69003', city: 'Lyon' },
  { firstName: 'Elodie', lastName: 'MEYER', email: 'e.lodie.meyer+shop@sfr.fr', city: 'LYON' },
  { companyName: 'Boulangerie Martin SARL', siret: '732 829 320 00074', email: 'contact@boulangerie-martin.fr', postalCode: '69002', city: 'Lyon' },
  { companyName: 'SARL Boulangerie Martin', siret: '732829320', phone: '04 78 00 12 34', postalCode: '69002', city: 'Lyon' },
  { firstName: 'Hélène', lastName: 'Lefèvre', email: 'helene.lefevre@orange.fr', phone: '+33 6 71 23 45 67', postalCode: '13001', city: 'Marseille' },
  { firstName: 'Lefevre', lastName: 'Helene', phone: '06 71 23 45 67', city: 'Marseille' },
  // A relative at the same address with the same landline: another person.
  { firstName: 'Paul', lastName: 'Dupont', phone: '01 45 22 11 09', addressLine1: '3 avenue Jean Jaurès', postalCode: '75011', city: 'Paris' },
  { firstName: 'Claire', lastName: 'Dupont', phone: '01 45 22 11 09', addressLine1: '3 avenue Jean Jaurès', postalCode: '75011', city: 'Paris' },
  // Namesakes in another town.
  { firstName: 'Marie', lastName: 'Martin', email: 'marie.martin@free.fr', postalCode: '33000', city: 'Bordeaux' },
  { firstName: 'Marie', lastName: 'Martin', email: 'mmartin@laposte.net', postalCode: '59000', city: 'Lille', birthDate: '02/03/1961' },
  { firstName: 'Zoé', lastName: 'Faure', email: 'zoe.faure@free.fr', city: 'Toulouse' },
  { firstName: 'Loïc', lastName: 'Le Gall', email: 'loic.legall@wanadoo.fr', phone: '02 98 44 55 66', postalCode: '29200', city: 'Brest' },
];

function seeded(engine: TestEngine) {
  const ctx = memoryCtx(engine);
  const ids = PEOPLE.map((p) => addCustomer(ctx, p).customer.id);
  return { ctx, ids };
}

const idSets = (clusters: { members: { id: number }[] }[]) => clusters.map((c) => c.members.map((m) => m.id).sort((a, b) => a - b));

forEachEngine('findDuplicates', (engine) => {
  it('finds the same customer written differently, and only them', () => {
    const { ctx, ids } = seeded(engine);
    const res = findDuplicates(ctx);
    expect(res.threshold).toBe(DEFAULT_THRESHOLD);
    expect(res.considered).toBe(PEOPLE.length);
    expect(idSets(res.clusters).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))).toEqual([
      [ids[0], ids[1]],
      [ids[2], ids[3]],
      [ids[4], ids[5]],
      [ids[6], ids[7]],
    ]);
    for (const c of res.clusters) {
      expect(c.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
      expect(c.score).toBeLessThanOrEqual(1);
      for (const m of c.members) expect(m.uid).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(res.clusters.flatMap((c) => c.members.map((m) => m.display_name))).toContain('Boulangerie Martin SARL');
  });

  it('explains each pair field by field, and discounts what a household shares', () => {
    const { ctx, ids } = seeded(engine);
    const res = findDuplicates(ctx, { explain: true, threshold: 0.01 });
    const jp = res.clusters.find((c) => c.members.some((m) => m.id === ids[0]));
    const pair = jp?.pairs?.find((p) => p.a === ids[0] && p.b === ids[1]);
    expect(pair).toBeDefined();
    const field = (name: string) => pair?.fields.find((f) => f.field === name);
    expect(field('first_name')?.level).toBe('initials or part');
    expect(field('phone')?.level).toBe('same');
    expect(field('phone')?.weight).toBeGreaterThan(0);
    expect(field('email')?.weight).toBeLessThan(0);
    expect(field('address')?.level).toBe('same');
    // Swapped first and last names are recognised.
    const swapped = res.clusters.flatMap((c) => c.pairs ?? []).find((p) => p.a === ids[6] && p.b === ids[7]);
    expect(swapped?.fields.find((f) => f.field === 'last_name')?.level).toContain('swapped');
    // Paul and Claire Dupont share an address and a phone: not counted, they are not proposed together.
    const household = idSets(res.clusters).find((s) => s.includes(ids[8] ?? 0) && s.includes(ids[9] ?? 0));
    expect(household).toBeUndefined();
  });

  it('never proposes again a pair marked not the same', () => {
    const { ctx, ids } = seeded(engine);
    markDistinct(ctx, [ids[0] ?? 0, ids[1] ?? 0]);
    const res = findDuplicates(ctx);
    expect(idSets(res.clusters).some((s) => s.includes(ids[0] ?? 0) && s.includes(ids[1] ?? 0))).toBe(false);
    expect(res.clusters).toHaveLength(3);
    expect(ctx.store.db.prepare('SELECT count(*) AS n FROM dedupe_decisions').get()).toEqual({ n: 1 });
  });

  it('leaves restricted records out and counts them', () => {
    const { ctx, ids } = seeded(engine);
    ctx.store.customers.setMarker(ids[2] ?? 0, 'restricted_at', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
    const res = findDuplicates(ctx);
    expect(res.restricted).toBe(1);
    expect(res.considered).toBe(PEOPLE.length - 1);
    expect(res.clusters.flatMap((c) => c.members.map((m) => m.id))).not.toContain(ids[2]);
  });

  it('refuses a threshold outside (0, 1)', () => {
    const { ctx } = seeded(engine);
    expect(() => findDuplicates(ctx, { threshold: 1.5 })).toThrow(/between 0 and 1/);
  });

  it('gives the same clusters run after run', () => {
    const { ctx } = seeded(engine);
    expect(JSON.stringify(findDuplicates(ctx).clusters)).toBe(JSON.stringify(findDuplicates(ctx).clusters));
  });
});
