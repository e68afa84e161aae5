import { expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { addSale, logInteraction } from '../../src/core/customers/activity.js';
import { tagCustomer } from '../../src/core/customers/tags.js';
import { listCustomers } from '../../src/core/customers/list.js';
import { addCategory, categorise } from '../../src/core/categorise/index.js';
import { parseFilter } from '../../src/core/filter/index.js';
import { compileFilter } from '../../src/db/filter-sql.js';
import { optimiseRuleSql } from '../../src/db/repositories/categorise-members.js';
import { memoryCtx } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';

const NOW = '2026-11-23T10:00:00.000Z';

/** Rules over every kind of field and operator: categorise must agree with `list --where` on each. */
const RULES: [string, string][] = [
  ['r-dept', 'department = "69"'],
  ['r-dept-in', 'dept in ("75", "2A", "974")'],
  ['r-city', 'ville = "Saint-Étienne"'],
  ['r-city-not', 'city != "lyon"'],
  ['r-name', 'name ~ "ele"'],
  ['r-starts', 'postal_code starts "69"'],
  ['r-empty', 'email is empty'],
  ['r-not-empty', 'company_name is not empty'],
  ['r-kind', 'kind = company and sector = "btp"'],
  ['r-revenue', 'revenue >= 1000 and revenue < 5000'],
  ['r-orders', 'orders >= 2 or unpaid_cents > 0'],
  ['r-dates', 'last_purchase_at < -1y'],
  ['r-recent', 'last_purchase_at >= 2026-06-01'],
  ['r-contact', 'last_contact_at is empty or last_contact_at < -6m'],
  ['r-created', 'created_at = today'],
  ['r-status', 'status in (client, former_client)'],
  ['r-extra', 'extra.segment = "Or"'],
  ['r-notes', 'notes !~ "é"'],
  ['r-cat', 'category "VIP"'],
  ['r-cat-rule', 'category "r-dept" and not category in ("rfm:champions", "VIP")'],
  ['r-any', 'category is not empty and revenue > 0'],
  ['r-categories', 'categories ~ "vip"'],
];

const PEOPLE = [
  { firstName: 'Hélène', lastName: 'Lefèvre', postalCode: '69003', city: 'Lyon', email: 'helene@exemple.fr', notes: 'très fidèle' },
  { firstName: 'Elena', lastName: 'Ruiz', postalCode: '42000', city: 'Saint-Étienne', email: 'elena@exemple.fr' },
  { companyName: 'Bâti Rhône', kind: 'company', sector: 'BTP', postalCode: '69100', city: 'Villeurbanne', email: 'contact@bati.fr' },
  { firstName: 'Noé', lastName: 'Grand', postalCode: '75011', city: 'Paris', email: 'noe@exemple.fr', notes: 'rappeler' },
  { firstName: 'Zoé', lastName: 'Hoarau', postalCode: '97400', city: 'Saint-Denis', phone: '0262 12 34 56' },
  { firstName: 'Paul', lastName: 'Santoni', postalCode: '20000', city: 'Ajaccio', email: 'paul@exemple.fr' },
  { companyName: 'SELEC SARL', kind: 'company', sector: 'Commerce', postalCode: '13001', city: 'Marseille', email: 'selec@exemple.fr' },
  { firstName: 'Anne', lastName: 'Lyon', city: 'LYON', email: 'anne@exemple.fr' },
];

forEachEngine('categorise agrees with list --where', (engine) => {
  it('gives every rule exactly the customers the customer_facts view gives', () => {
    const ctx = memoryCtx(engine, NOW);
    const ids = PEOPLE.map((p) => addCustomer(ctx, { ...p, extra: p.firstName === 'Elena' ? { segment: 'or' } : undefined }).customer.id);
    const ref = (i: number) => String(ids[i]);
    addSale(ctx, ref(0), { kind: 'invoice', amount: '1500', status: 'paid', issued: '2026-07-01' });
    addSale(ctx, ref(0), { kind: 'invoice', amount: '300', status: 'unpaid', issued: '2026-10-01', due: '2026-10-31' });
    addSale(ctx, ref(1), { kind: 'invoice', amount: '4999.99', status: 'paid', issued: '2024-05-01' });
    addSale(ctx, ref(2), { kind: 'order', amount: '800', status: 'accepted', issued: '2025-01-10' });
    addSale(ctx, ref(2), { kind: 'invoice', amount: '12000', status: 'paid', issued: '2025-02-10' });
    addSale(ctx, ref(3), { kind: 'quote', amount: '900', status: 'accepted', issued: '2026-11-01' });
    addSale(ctx, ref(4), { kind: 'invoice', amount: '1000', status: 'cancelled', issued: '2026-03-01' });
    addSale(ctx, ref(5), { kind: 'credit', amount: '-200', status: 'paid', issued: '2026-04-01' });
    addSale(ctx, ref(5), { kind: 'invoice', amount: '1200', status: 'paid', issued: '2026-03-01' });
    logInteraction(ctx, ref(1), { kind: 'call', direction: 'in', at: '2026-09-01' });
    tagCustomer(ctx, ref(0), ['VIP']);
    tagCustomer(ctx, ref(6), ['VIP']);
    ctx.store.customers.setMarker(ids[7] ?? 0, 'archived_at', NOW, NOW);
    for (const [name, rule] of RULES) addCategory(ctx, { name, rule });

    categorise(ctx);
    const members = (name: string) =>
      (
        ctx.store.db
          .prepare(`SELECT cc.customer_id FROM customer_categories cc JOIN categories c ON c.id = cc.category_id WHERE c.name = ? AND cc.assigned_by = 'rule' ORDER BY 1`)
          .pluck()
          .all(name) as number[]
      ).map(Number);
    for (const [name, rule] of RULES) {
      const listed = [...listCustomers(ctx, { where: rule }).rows].map((r) => r.id as number).sort((a, b) => a - b);
      expect(members(name), `${name}: ${rule}`).toEqual(listed);
    }
    // The test is worth something only if the rules select different, non-trivial sets.
    const sizes = RULES.map(([name]) => members(name).length);
    expect(sizes.filter((n) => n > 0 && n < 7).length).toBeGreaterThan(15);
  });

  it('rewrites the compiled SQL it can speed up, and nothing else', () => {
    const sql = (expr: string) => compileFilter(parseFilter(expr), { now: new Date(NOW), alias: 'f' }).sql;
    const folded = new Set(['city', 'department']);
    expect(optimiseRuleSql(sql('city = "Lyon"'), folded)).toBe('(f.city IS NOT NULL AND f.city = carnet_fold(@p0))');
    expect(optimiseRuleSql(sql('email = "a@b.fr"'), folded)).toContain('carnet_fold(f.email)');
    const cat = optimiseRuleSql(sql('category "VIP"'), folded);
    expect(cat).toContain('f.id IN (SELECT f_cc.customer_id FROM customer_categories f_cc JOIN temp.cat_names f_cat');
    expect(cat).not.toContain('EXISTS');
    expect(optimiseRuleSql(sql('category is not empty'), folded)).toBe(sql('category is not empty'));
  });
});
