import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type * as Catalogue from '../../src/core/fields/catalogue.js';
import { clockCtx, tempDir } from '../helpers/ctx.js';
import { forEachEngine, type TestEngine } from '../helpers/engines.js';
import { importInput } from '../helpers/import-input.js';

/**
 * "A new built-in field is one catalogue entry plus one migration": the
 * catalogue is given one more entry (as an edit of catalogue.ts would), the
 * database one more column (as its migration would), and nothing else — the
 * field is then imported (by a synonym), filtered, exported and in the register.
 */
const LOYALTY = vi.hoisted(() => ({
  key: 'loyalty_card', prop: 'loyaltyCard', type: 'text', label: 'loyalty card number', personal: 'Commercial relationship',
  flag: { name: 'loyalty-card', help: 'loyalty card number' }, synonyms: ['Carte de fidélité', 'Loyalty card'],
}) as const);

vi.mock('../../src/core/fields/catalogue.js', async (importOriginal) => {
  const real = await importOriginal<typeof Catalogue>();
  const CATALOGUE = [...real.CATALOGUE, LOYALTY];
  const FIELDS = CATALOGUE as readonly Catalogue.CatalogueEntry[];
  return {
    ...real,
    CATALOGUE,
    FIELDS,
    GIVEN_ENTRIES: FIELDS.filter((e) => e.derivedFrom === undefined),
    ENTRY_BY_KEY: new Map(FIELDS.map((e) => [e.key, e])),
    ENTRY_BY_PROP: new Map(FIELDS.map((e) => [e.prop, e])),
  };
});

/**
 * The field's migration. PostgreSQL expands customer_facts' `c.*` when the
 * view is made, so there the migration also makes the view again (as
 * migrations/postgres/0007 does), from the latest migration that defines it.
 */
function migration(engine: TestEngine): string {
  if (engine === 'sqlite') return 'ALTER TABLE customers ADD COLUMN loyalty_card TEXT';
  const dir = join(import.meta.dirname, '..', '..', 'migrations', 'postgres');
  const view = readdirSync(dir)
    .sort()
    .map((f) => /CREATE VIEW customer_facts AS[\s\S]*?;\s*$/m.exec(readFileSync(join(dir, f), 'utf8'))?.[0])
    .filter((v) => v !== undefined)
    .at(-1);
  if (view === undefined) throw new Error('no PostgreSQL migration defines customer_facts');
  return `ALTER TABLE customers ADD COLUMN loyalty_card text COLLATE "C"; DROP VIEW customer_facts; ${view}`;
}

// A folder per test: each engine's run imports its own file.
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => void (tmp = tempDir('carnet-catalogue-')));
afterEach(() => tmp.cleanup());

forEachEngine('a field added to the catalogue', (engine) => {
  it('appears in import, filter, export and the register without other edits', async () => {
    const { ctx } = clockCtx('2026-11-23T10:00:00.000Z', engine);
    try {
      ctx.store.db.exec(migration(engine));
      const { runImport } = await import('../../src/core/import/index.js');
      const { listCustomers } = await import('../../src/core/customers/list.js');
      const { exportText, lines } = await import('./export-fixtures.js');
      const { buildRegister } = await import('../../src/core/rgpd/register.js');
      const { FILTER_FIELDS } = await import('../../src/core/filter/index.js');

      const file = join(tmp.dir, 'in.csv');
      writeFileSync(file, 'Nom;E-mail;Carte de fidélité\nMeyer;meyer@example.fr; FID-42 \nDupont;dupont@example.fr;\n');
      const r = await runImport(ctx, importInput(file, tmp.dir));
      expect(r).toMatchObject({ inserted: 2, rejected: 0 });
      expect(r.columns.find((c) => c.column === 'Carte de fidélité')).toMatchObject({ use: 'loyalty_card', how: 'synonym' });

      expect(FILTER_FIELDS.find((f) => f.name === 'loyalty_card')).toMatchObject({ type: 'text', description: 'loyalty card number' });
      const found = listCustomers(ctx, { where: 'loyalty_card = "fid-42"' });
      expect([...found.rows].map((c) => c.last_name)).toEqual(['Meyer']);

      const all = await exportText(ctx, { format: 'csv' });
      expect(lines(all.text)[0]).toContain(',notes,loyalty_card,extra,');
      const some = await exportText(ctx, { format: 'csv', columns: ['last_name', 'loyalty_card'] });
      expect(lines(some.text)).toEqual(['last_name,loyalty_card', 'Meyer,FID-42', 'Dupont,']);

      const register = buildRegister(ctx);
      expect(register.data_categories.find((c) => c.category === 'Commercial relationship')?.fields).toContainEqual({ field: 'loyalty_card', rows: 1 });
    } finally {
      ctx.store.close();
    }
  });
});
