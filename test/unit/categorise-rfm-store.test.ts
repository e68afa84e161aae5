import { expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { addSale } from '../../src/core/customers/activity.js';
import { categorise, scoreCustomers } from '../../src/core/categorise/index.js';
import { memoryCtx } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';
import { rng } from '../../bench/rng.js';

const NOW = '2026-11-23T10:00:00.000Z';

/**
 * The store segments the buyers itself (quintile bounds it reads at the
 * positions the core asks for, then the core's grid as a lookup): its segments
 * must be exactly those of the pure scoreCustomers over the same values —
 * ties, repeated bounds of a few buyers, and customers who bought nothing included.
 */
forEachEngine('RFM segments computed in the store', (engine) => {
  for (const [seed, people] of [[1, 1], [2, 3], [3, 7], [4, 160]] as const) {
    it(`equal scoreCustomers' for ${people} customers (seed ${seed})`, () => {
      const ctx = memoryCtx(engine, NOW);
      const r = rng(seed);
      const values = { ids: [] as number[], last: [] as number[], orders: [] as number[], revenueCents: [] as number[] };
      for (let i = 0; i < people; i++) {
        const { customer } = addCustomer(ctx, { firstName: `P${i}`, lastName: 'Buyer', email: `p${i}@exemple.fr` });
        // Few distinct amounts and days: many ties. One customer in five bought nothing.
        const sales = i % 5 === 4 ? 0 : 1 + Math.floor(r() * 4);
        let last = '';
        let cents = 0;
        for (let k = 0; k < sales; k++) {
          const issued = `2026-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 3)}`;
          const amount = [100, 250, 1000][Math.floor(r() * 3)] ?? 100;
          addSale(ctx, customer.uid, { kind: 'invoice', number: `F-${i}-${k}`, amount: String(amount), status: 'paid', issued });
          if (issued > last) last = issued;
          cents += amount * 100;
        }
        if (sales > 0) {
          values.ids.push(customer.id);
          values.last.push(Number(last.replaceAll('-', '')));
          values.orders.push(sales);
          values.revenueCents.push(cents);
        }
      }
      const report = categorise(ctx, {});
      expect(report.rfmScored).toBe(values.ids.length);
      const expected = Object.fromEntries(scoreCustomers(values).map((s) => [s.id, `rfm:${s.segment}`]));
      const rows = ctx.store.db
        .prepare(`SELECT cc.customer_id AS id, c.name FROM customer_categories cc JOIN categories c ON c.id = cc.category_id WHERE c.kind = 'rfm' ORDER BY cc.customer_id`)
        .all() as { id: number; name: string }[];
      expect(Object.fromEntries(rows.map((row) => [Number(row.id), row.name]))).toEqual(expected);
      ctx.store.close();
    });
  }
});
