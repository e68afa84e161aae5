import { expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { departmentOf } from '../../src/core/normalise/postal.js';
import { clockCtx } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';

/**
 * The département of a postal code is declared once per language: the
 * generated column customers.department (migration 0007, read by the filter,
 * categories and stats) and departmentOf() (dedupe's blocking, in memory).
 * This keeps the two the same rule.
 */
const CODES = ['75011', '69003', '01000', '20000', '20167', '20200', '20600', '97400', '97133', '97600', '98000', '06000'];

forEachEngine('the département rule', (engine) => {
  it('gives the same département in SQL and in TypeScript for every kind of French code', () => {
    const { ctx } = clockCtx('2026-01-01T00:00:00.000Z', engine);
    const seen = CODES.map((code, i) => {
      const c = addCustomer(ctx, { lastName: `Client ${i}`, postalCode: code, country: 'FR' }).customer;
      const sql = (ctx.store.db.prepare('SELECT department FROM customers WHERE id = ?').get(c.id) as { department: string | null }).department;
      return { code, ts: departmentOf(c.postalCode), sql };
    });
    for (const s of seen) expect(s.sql, s.code).toBe(s.ts);
    expect(seen.map((s) => s.ts)).toEqual(['75', '69', '01', '2A', '2A', '2B', '2B', '974', '971', '976', '980', '06']);
  });
});
