import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/core/context.js';
import { addCustomer } from '../../src/core/customers/add.js';
import { searchCustomers } from '../../src/core/customers/list.js';
import { runImport } from '../../src/core/import/index.js';
import { buildAccessReport } from '../../src/core/rgpd/access.js';
import { MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open.js';
import { emailSearchSql, type EmailSearch } from '../../src/db/repositories/customers.js';
import type { Store } from '../../src/db/store.js';
import { clockCtx, tempDir } from '../helpers/ctx.js';
import { forEachEngine, type TestEngine } from '../helpers/engines.js';
import { importInput } from '../helpers/import-input.js';

// Migration 0005: e-mail addresses out of the full-text index (found through email_norm and
// its index instead), and one consent proof per import run referenced by its consent rows.

let ctx: Ctx & { store: Store };
let tmp: { dir: string; cleanup: () => void };

/** A fresh database of the engine and a temp folder for each test of the block that calls it. */
function eachTestOn(engine: TestEngine): void {
  beforeEach(() => {
    ({ ctx } = clockCtx('2026-11-23T10:00:00.000Z', engine));
    tmp = tempDir('carnet-lean-');
  });
  afterEach(() => {
    // A PostgreSQL store goes back to the test pool open (clockCtx): closing it would cost a new connection.
    if (engine === 'sqlite') ctx.store.close();
    tmp.cleanup();
  });
}

/** Imports rows through the bulk path (indexes and the full-text index rebuilt once). */
async function bulkImport(name: string, text: string) {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  const saved = process.env.CARNET_IMPORT_BULK_FROM;
  process.env.CARNET_IMPORT_BULK_FROM = '2';
  try {
    return await runImport(ctx, importInput(path, tmp.dir));
  } finally {
    if (saved === undefined) delete process.env.CARNET_IMPORT_BULK_FROM;
    else process.env.CARNET_IMPORT_BULK_FROM = saved;
  }
}

const names = (found: { lastName: string | null }[]) => found.map((c) => c.lastName);
const ftsHits = (word: string) => (ctx.store.db.prepare('SELECT count(*) AS n FROM customers_fts WHERE customers_fts MATCH ?').get(word) as { n: number }).n;

forEachEngine('search by e-mail without e-mail in the full-text index', (engine) => {
  eachTestOn(engine);
  const FILE = [
    'Prénom;Nom;E-mail;Ville',
    'Jean;Dupont;Jean.Dupont@Orange.fr;Lyon',
    'Anne;Petit;anne.petit@orange.fr;Nantes',
    'Paul;Martin;paul.martin@sfr.fr;Orange',
    'Lucie;Bernard;jean.dupont@sfr.fr;Brest',
  ].join('\n');

  it('finds a customer by a whole address, by its local part and by its domain', async () => {
    const r = await bulkImport('people.csv', FILE + '\n');
    expect(r.inserted).toBe(4);
    addCustomer(ctx, { firstName: 'Zoé', lastName: 'Faure', email: 'zoe@orange.fr' }); // through the triggers
    // the whole address, typed in any case: one probe of the e-mail index
    expect(names(searchCustomers(ctx, 'JEAN.DUPONT@orange.FR'))).toEqual(['Dupont']);
    // the local part: both addresses that have it, whatever their domain
    expect(names(searchCustomers(ctx, 'jean.dupont'))).toEqual(['Dupont', 'Bernard']);
    expect(names(searchCustomers(ctx, 'jean.dupont@'))).toEqual(['Dupont', 'Bernard']);
    // the domain: every address there, and nobody who merely lives in Orange
    expect(names(searchCustomers(ctx, '@orange.fr'))).toEqual(['Dupont', 'Petit', 'Faure']);
    expect(names(searchCustomers(ctx, '@sfr.fr'))).toEqual(['Martin', 'Bernard']);
    expect(searchCustomers(ctx, '@free.fr')).toEqual([]);
    // the full-text index no longer holds addresses: 'orange' is the city only
    expect(names(searchCustomers(ctx, 'orange'))).toEqual(['Martin']);
    // names still by full text
    expect(names(searchCustomers(ctx, 'dupont'))).toEqual(['Dupont']);
    if (engine === 'sqlite') {
      // SQLite's FTS5 table itself, which the bulk path fed in one statement (PostgreSQL has no such table).
      expect(ftsHits('orange')).toBe(1);
      expect(() => ctx.store.db.exec("INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')")).not.toThrow();
    }
  });

  // SQLite's query plans (EXPLAIN QUERY PLAN); PostgreSQL's planner picks by table statistics, a scan on a table this small.
  it.skipIf(engine !== 'sqlite')('looks addresses up through the e-mail index, never by a scan of the customers table', () => {
    const plan = (c: EmailSearch) => {
      const { sql, params } = emailSearchSql(c, false);
      return (ctx.store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ ...params, limit: 10 }) as { detail: string }[]).map((r) => r.detail);
    };
    const viaIndex = (details: string[]) => {
      expect(details.some((d) => /^(SEARCH|SCAN) customers USING COVERING INDEX customers_email_norm/.test(d))).toBe(true);
      expect(details.filter((d) => /^SCAN c(ustomers)?\b/.test(d) && !d.includes('INDEX'))).toEqual([]);
    };
    viaIndex(plan({ address: 'x@y.fr' }));
    expect(plan({ address: 'x@y.fr' }).join()).toMatch(/\(email_norm=\?\)/);
    viaIndex(plan({ local: 'x' }));
    expect(plan({ local: 'x' }).join()).toMatch(/\(email_norm>\? AND email_norm<\?\)/);
    viaIndex(plan({ domain: 'y.fr' }));
  });
});

forEachEngine('one consent proof per import run', (engine) => {
  eachTestOn(engine);
  it('stores the proof once and still shows it per person (access) with the line of the file', async () => {
    const rows = Array.from({ length: 5 }, (_v, i) => `R${i};Nom${i};n${i}@x.fr;oui`).join('\n');
    const r = await bulkImport('newsletter.csv', `Réf;Nom;E-mail;Newsletter\n${rows}\n`);
    expect(r.inserted).toBe(5);
    const db = ctx.store.db;
    expect(db.prepare('SELECT import_run_id, source, proof FROM consent_proofs').all()).toEqual([{ import_run_id: r.run, source: 'newsletter.csv', proof: 'import of newsletter.csv' }]);
    expect(db.prepare('SELECT count(*) AS n FROM consents WHERE source IS NULL AND proof IS NULL AND proof_id IS NOT NULL').get()).toEqual({ n: 5 });
    const id = (db.prepare("SELECT id FROM customers WHERE external_id = 'R3'").get() as { id: number }).id;
    const uid = (db.prepare('SELECT uid FROM customers WHERE id = ?').get(id) as { uid: string }).uid;
    const report = buildAccessReport(ctx, uid);
    expect(report.consents).toEqual([
      { id: expect.any(Number), customer_id: id, channel: 'email', purpose: 'marketing', state: 'granted', source: 'newsletter.csv', proof: 'import of newsletter.csv line 5', recorded_at: '2026-11-23T10:00:00.000Z' },
    ]);
    expect(ctx.store.consents.forCustomer(id)).toMatchObject([{ source: 'newsletter.csv', proof: 'import of newsletter.csv line 5', state: 'granted' }]);
    // A consent recorded by hand keeps its own source and proof beside the imported one.
    ctx.store.consents.insert({ customerId: id, channel: 'sms', purpose: 'marketing', state: 'refused', source: 'phone call', proof: 'ticket 12', recordedAt: '2026-11-24T00:00:00.000Z' });
    expect(ctx.store.consents.forCustomer(id).map((c) => [c.channel, c.source, c.proof])).toEqual([
      ['email', 'newsletter.csv', 'import of newsletter.csv line 5'],
      ['sms', 'phone call', 'ticket 12'],
    ]);
  });

  it('records no proof when the file grants nothing', async () => {
    await bulkImport('plain.csv', 'Nom;E-mail\nA;a@x.fr\nB;b@x.fr\n');
    expect(ctx.store.db.prepare('SELECT count(*) AS n FROM consent_proofs').get()).toEqual({ n: 0 });
  });
});

// SQLite only: a SQLite file built with the SQLite migrations before 0005 (upgrade-levels.test.ts upgrades PostgreSQL schemas).
describe('upgrade to level 0005 from the level before it', () => {
  eachTestOn('sqlite');
  it('keeps every consent with its source and proof, and moves addresses from full text to the e-mail index', () => {
    const dir = join(tmp.dir, 'before-0005');
    const migrations = join(dir, 'migrations');
    mkdirSync(migrations, { recursive: true });
    for (const f of readdirSync(MIGRATIONS_DIR).filter((n) => n.endsWith('.sql') && n < '0005')) copyFileSync(join(MIGRATIONS_DIR, f), join(migrations, f));
    const path = join(dir, 'carnet.db');
    const old = openDatabase(path, { migrationsDir: migrations });
    const t = '2026-01-01T00:00:00.000Z';
    old.prepare(`INSERT INTO customers (id, uid, first_name, last_name, email, email_norm, city, created_at, updated_at)
                 VALUES (1, 'u-1', 'Élodie', 'Meyer', 'E.Meyer@Orange.fr', 'e.meyer@orange.fr', 'Lyon', @t, @t)`).run({ t });
    old.prepare(`INSERT INTO consents (customer_id, channel, state, source, proof, recorded_at) VALUES (1, 'email', 'granted', 'clients.csv', 'import of clients.csv line 2', @t)`).run({ t });
    expect(old.prepare(`SELECT count(*) AS n FROM customers_fts WHERE customers_fts MATCH 'orange'`).get()).toEqual({ n: 1 });
    old.close();

    const db = openDatabase(path);
    try {
      expect(db.prepare('SELECT source, proof FROM consent_records').all()).toEqual([{ source: 'clients.csv', proof: 'import of clients.csv line 2' }]);
      expect(db.prepare(`SELECT count(*) AS n FROM customers_fts WHERE customers_fts MATCH 'orange'`).get()).toEqual({ n: 0 });
      expect(db.prepare(`SELECT count(*) AS n FROM customers_fts WHERE customers_fts MATCH 'elodie'`).get()).toEqual({ n: 1 });
      db.exec("INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')");
      const { sql, params } = emailSearchSql({ domain: 'orange.fr' }, false);
      expect(db.prepare(sql).all({ ...params, limit: 5 }).map((r) => (r as { uid: string }).uid)).toEqual(['u-1']);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
