import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/db/store.js';
import { withTrustedReferences } from '../../src/db/trusted-references.js';
import { freshPgUrl, PG_START_MS } from '../helpers/engines.js';

/**
 * The reference checks import and categorise switch off on PostgreSQL for
 * their own writes (src/db/trusted-references.ts) are back on for everything
 * else: after the call, after a failure inside it, and outside it.
 */
describe('withTrustedReferences [postgres]', () => {
  let store: Store;
  const enabled = (): string[] =>
    store.db.prepare(`SELECT DISTINCT t.tgenabled FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE p.proname = 'carnet_ref_check' AND p.pronamespace = CAST(current_schema() AS regnamespace)`).pluck().all() as string[];
  const danglingLink = (): void => {
    store.db.prepare("INSERT INTO customer_categories (customer_id, category_id, assigned_by, assigned_at) VALUES (987654, 1, 'manual', 'x')").run();
  };

  beforeAll(async () => {
    store = Store.open(await freshPgUrl());
    store.db.prepare("INSERT INTO categories (name, kind, created_at) VALUES ('VIP', 'manual', '2026-01-01')").run();
  }, PG_START_MS);
  afterAll(() => store?.close());

  it('switches the checks off inside the call only, and on again before the transaction commits', () => {
    let inside: string[] = [];
    store.tx(() => withTrustedReferences(store.db, ['customer_categories'], () => {
      inside = store.db.prepare(`SELECT DISTINCT t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
        WHERE p.proname = 'carnet_ref_check' AND c.relname = 'customer_categories' AND (t.tgtype & 4) <> 0
          AND c.relnamespace = CAST(current_schema() AS regnamespace)`).pluck().all() as string[];
    }));
    expect(inside).toEqual(['D']);
    expect(enabled()).toEqual(['O']);
    expect(() => store.tx(danglingLink)).toThrow(/foreign key|customer_categories_customer_id_fkey/);
  });

  it('leaves the checks on when the work inside fails (the savepoint rolls the switch back)', () => {
    expect(() =>
      store.tx(() =>
        withTrustedReferences(store.db, ['customer_categories', 'consents'], () => {
          throw new Error('boom');
        }),
      ),
    ).toThrow('boom');
    expect(enabled()).toEqual(['O']);
    expect(() => store.tx(danglingLink)).toThrow(/foreign key|customer_categories_customer_id_fkey/);
  });

  it('does nothing outside a transaction', () => {
    const r = withTrustedReferences(store.db, ['customer_categories'], () => enabled());
    expect(r).toEqual(['O']);
  });
});
