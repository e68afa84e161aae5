import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/core/context.js';
import { runImport, type ImportInput } from '../../src/core/import/index.js';
import { CsvReadError } from '../../src/io/csv-in/errors.js';
import { hashIdentifier, suppressionSalt } from '../../src/core/rgpd/suppression.js';
import type { Store } from '../../src/db/store.js';
import { ROOT } from '../helpers/cli.js';
import { clockCtx, tempDir } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';
import { importInput } from '../helpers/import-input.js';

const CLIENTS = join(ROOT, 'examples', 'clients.csv');
forEachEngine('import of customers', (engine) => {
  let ctx: Ctx & { store: Store };
  let setNow: (iso: string) => void;
  let tmp: { dir: string; cleanup: () => void };

  beforeEach(() => {
    ({ ctx, setNow } = clockCtx('2026-11-23T10:00:00.000Z', engine));
    tmp = tempDir('carnet-import-');
  });
  afterEach(() => {
    // A PostgreSQL store goes back to the test pool open (clockCtx): closing it would cost a new connection.
    if (engine === 'sqlite') ctx.store.close();
    tmp.cleanup();
  });

  function input(file: string, over: Partial<ImportInput> = {}): ImportInput {
    return importInput(file, tmp.dir, over);
  }

  function csv(name: string, text: string, encoding: 'utf8' | 'win1252' = 'utf8'): string {
    const path = join(tmp.dir, name);
    writeFileSync(path, encoding === 'utf8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'win1252'));
    return path;
  }

  const all = <T>(sql: string, ...p: unknown[]) => ctx.store.db.prepare(sql).all(...p) as T[];
  const one = <T>(sql: string, ...p: unknown[]) => ctx.store.db.prepare(sql).get(...p) as T;

  describe('examples/clients.csv (the README tour)', () => {
    it('puts every value in its place', async () => {
      const r = await runImport(ctx, input(CLIENTS));
      expect(r).toMatchObject({ read: 12, inserted: 12, updated: 0, unchanged: 0, rejected: 0, suppressed: 0, merged_in_file: 0, dry_run: false, encoding: 'windows-1252', delimiter: ';' });
      const elodie = one<Record<string, unknown>>("SELECT * FROM customers WHERE external_id = 'C001'");
      expect(elodie).toMatchObject({ civility: 'Mme', first_name: 'Élodie', last_name: 'Meyer', email_norm: 'elodie.meyer@sfr.fr', mobile_e164: '+33612345678', postal_code: '69003', city: 'Lyon', source: 'clients.csv', created_at: '2021-03-12T00:00:00.000Z' });
      expect(JSON.parse(String(elodie.extra))).toEqual({ "Canal d'acquisition": 'Salon' });
      expect(one("SELECT kind, company_name, siret, legal_form FROM customers WHERE external_id = 'C003'")).toEqual({ kind: 'company', company_name: 'Boulangerie Martin SARL', siret: '73282932000074', legal_form: 'SARL' });
      const cats = all<{ ref: string; name: string; by: string }>(`SELECT c.external_id AS ref, cat.name, cc.assigned_by AS by FROM customer_categories cc
      JOIN customers c ON c.id = cc.customer_id JOIN categories cat ON cat.id = cc.category_id ORDER BY ref`);
      expect(cats).toEqual([
        { ref: 'C001', name: 'VIP', by: 'import' }, { ref: 'C003', name: 'Professionnels', by: 'import' }, { ref: 'C006', name: 'Professionnels', by: 'import' },
        { ref: 'C008', name: 'VIP', by: 'import' }, { ref: 'C011', name: 'VIP', by: 'import' },
      ]);
      expect(one("SELECT channel, state, k.source, recorded_at FROM consent_records k JOIN customers c ON c.id = customer_id WHERE c.external_id = 'C001'")).toEqual({ channel: 'email', state: 'granted', source: 'clients.csv', recorded_at: '2026-11-23T10:00:00.000Z' });
      expect(one("SELECT state FROM consents JOIN customers c ON c.id = customer_id WHERE c.external_id = 'C002'")).toEqual({ state: 'refused' });
      expect(one<{ n: number }>("SELECT count(*) AS n FROM customers WHERE last_name = 'Dupont'").n).toBe(2);
      expect(r.newCategories).toEqual(['VIP', 'Professionnels']);
    });

    it('records the run, links each customer to it with its line, audits without personal data', async () => {
      const r = await runImport(ctx, input(CLIENTS));
      const sha = createHash('sha256').update(readFileSync(CLIENTS)).digest('hex');
      expect(r.sha256).toBe(sha);
      const run = one<{ id: number; sha256: string; counts: string; dry_run: number }>('SELECT * FROM import_runs');
      expect(run).toMatchObject({ id: r.run, sha256: sha, dry_run: 0 });
      expect(JSON.parse(run.counts)).toMatchObject({ read: 12, inserted: 12 });
      expect(all("SELECT c.external_id AS ref, l.line, l.action FROM customer_import_runs l JOIN customers c ON c.id = l.customer_id WHERE c.external_id IN ('C001', 'C012') ORDER BY ref")).toEqual([
        { ref: 'C001', line: 2, action: 'inserted' }, { ref: 'C012', line: 13, action: 'inserted' },
      ]);
      const audit = ctx.store.audit.list({ action: 'import.customers' });
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toMatch(/Meyer|elodie|C001/i);
    });

    it('re-importing the same file changes nothing: all unchanged, updated_at untouched, no new consent or link', async () => {
      await runImport(ctx, input(CLIENTS));
      const before = all('SELECT id, uid, updated_at, extra FROM customers ORDER BY id');
      setNow('2026-11-24T03:00:00.000Z');
      const r = await runImport(ctx, input(CLIENTS));
      expect(r).toMatchObject({ read: 12, inserted: 0, updated: 0, unchanged: 12, previousRun: 1 });
      expect(all('SELECT id, uid, updated_at, extra FROM customers ORDER BY id')).toEqual(before);
      expect(one<{ n: number }>('SELECT count(*) AS n FROM consents').n).toBe(7);
      expect(one<{ n: number }>('SELECT count(*) AS n FROM customer_categories').n).toBe(5);
      expect(one<{ n: number }>('SELECT count(*) AS n FROM customer_import_runs').n).toBe(12);
      expect(one<{ n: number }>('SELECT count(*) AS n FROM import_runs').n).toBe(2);
    });
  });

  it('creates one category per name equal but for case, spelled as first written, in file order', async () => {
    ctx.store.db.prepare("INSERT INTO categories (name, kind, created_at) VALUES ('Lyon', 'manual', 'x')").run();
    const file = csv('cats.csv', 'Réf;Nom;Catégories\nA1;Arnaud;salon 2024,lyon\nA2;Bernard;VIP\nA3;Carré;Salon 2024,vip\nA4;Dubois;Client fidèle\n');
    const dry = await runImport(ctx, input(file, { dryRun: true }));
    expect(dry.newCategories).toEqual(['salon 2024', 'VIP', 'Client fidèle']);
    const r = await runImport(ctx, input(file));
    expect(r.newCategories).toEqual(['salon 2024', 'VIP', 'Client fidèle']);
    expect(all<{ name: string }>('SELECT name FROM categories ORDER BY id').map((c) => c.name)).toEqual(['Lyon', 'salon 2024', 'VIP', 'Client fidèle']);
    expect(all<{ ref: string; name: string }>(`SELECT c.external_id AS ref, cat.name FROM customer_categories cc JOIN customers c ON c.id = cc.customer_id
      JOIN categories cat ON cat.id = cc.category_id ORDER BY ref, cat.id`)).toEqual([
      { ref: 'A1', name: 'Lyon' }, { ref: 'A1', name: 'salon 2024' }, { ref: 'A2', name: 'VIP' }, { ref: 'A3', name: 'salon 2024' }, { ref: 'A3', name: 'VIP' }, { ref: 'A4', name: 'Client fidèle' },
    ]);
  });

  describe('upsert', () => {
    const HEAD = 'Réf;Prénom;Nom;E-mail;Ville;Téléphone;Note client\n';

    it('update (default): the non-empty values of the file win, empty cells clear nothing', async () => {
      await runImport(ctx, input(csv('a.csv', `${HEAD}C1;Élodie;Meyer;e@x.fr;Lyon;04 78 00 00 01;fidèle\nC2;Jean;Dupont;j@x.fr;Paris;;\n`)));
      setNow('2026-11-24T00:00:00.000Z');
      const r = await runImport(ctx, input(csv('b.csv', `${HEAD}C1;Élodie;Meyer;;Villeurbanne;;très fidèle\nC2;Jean;Dupont;j@x.fr;Paris;;\n`)));
      expect(r).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
      const c1 = one<Record<string, string>>("SELECT * FROM customers WHERE external_id = 'C1'");
      expect(c1).toMatchObject({ email: 'e@x.fr', city: 'Villeurbanne', phone: '04 78 00 00 01', updated_at: '2026-11-24T00:00:00.000Z' });
      expect(JSON.parse(c1.extra ?? '{}')).toEqual({ 'Note client': 'très fidèle' });
      expect(one("SELECT updated_at FROM customers WHERE external_id = 'C2'")).toEqual({ updated_at: '2026-11-23T10:00:00.000Z' });
      expect(all("SELECT action FROM customer_import_runs WHERE import_run_id = 2")).toEqual([{ action: 'updated' }]);
    });

    it('fill only fills empty fields; skip leaves existing customers alone', async () => {
      await runImport(ctx, input(csv('a.csv', `${HEAD}C1;Élodie;Meyer;e@x.fr;Lyon;;\n`)));
      const fill = await runImport(ctx, input(csv('b.csv', `${HEAD}C1;Élo;Meyer;e@x.fr;Paris;04 78 00 00 01;note\n`), { onConflict: 'fill' }));
      expect(fill).toMatchObject({ updated: 1 });
      expect(one("SELECT first_name, city, phone FROM customers")).toEqual({ first_name: 'Élodie', city: 'Lyon', phone: '04 78 00 00 01' });
      const skip = await runImport(ctx, input(csv('c.csv', `${HEAD}C1;Zoé;Faure;z@x.fr;Nice;;\nC9;Ana;Roux;a@x.fr;Nice;;\n`), { onConflict: 'skip' }));
      expect(skip).toMatchObject({ inserted: 1, updated: 0, unchanged: 1 });
      expect(one("SELECT first_name FROM customers WHERE external_id = 'C1'")).toEqual({ first_name: 'Élodie' });
    });

    it('rows of one file with the same key are merged in file order', async () => {
      const r = await runImport(ctx, input(csv('a.csv', `${HEAD}C1;Élodie;Meyer;e@x.fr;Lyon;;\nC2;Jean;Dupont;;;;\nC1;;Meyer-Martin;;Paris;;\n`)));
      expect(r).toMatchObject({ read: 3, inserted: 2, merged_in_file: 1 });
      expect(one("SELECT first_name, last_name, email, city FROM customers WHERE external_id = 'C1'")).toEqual({ first_name: 'Élodie', last_name: 'Meyer-Martin', email: 'e@x.fr', city: 'Paris' });
    });

    it('finds a customer by e-mail (and gives it the file\'s external id), never one with another external id', async () => {
      await runImport(ctx, input(csv('brevo.csv', 'EMAIL;PRENOM;NOM\ne@x.fr;Élodie;Meyer\nj@x.fr;Jean;Dupont\n')));
      const r = await runImport(ctx, input(csv('crm.csv', `${HEAD}C1;Élodie;Meyer;E@X.fr;Lyon;;\n`)));
      expect(r).toMatchObject({ inserted: 0, updated: 1 });
      expect(one("SELECT external_id, city FROM customers WHERE email_norm = 'e@x.fr'")).toEqual({ external_id: 'C1', city: 'Lyon' });
      const other = await runImport(ctx, input(csv('crm2.csv', `${HEAD}C7;Élodie;Meyer;e@x.fr;Lyon;;\n`)));
      expect(other).toMatchObject({ inserted: 1, updated: 0 });
      expect(one<{ n: number }>("SELECT count(*) AS n FROM customers WHERE email_norm = 'e@x.fr'").n).toBe(2);
    });

    it('--source keeps external ids of different systems apart', async () => {
      await runImport(ctx, input(csv('shop.csv', 'ID;Nom\n1;Meyer\n'), { source: 'shop' }));
      const r = await runImport(ctx, input(csv('crm.csv', 'ID;Nom\n1;Dupont\n'), { source: 'crm' }));
      expect(r.inserted).toBe(1);
      expect(all('SELECT external_source, external_id, last_name, source FROM customers ORDER BY id')).toEqual([
        { external_source: 'shop', external_id: '1', last_name: 'Meyer', source: 'shop' },
        { external_source: 'crm', external_id: '1', last_name: 'Dupont', source: 'crm' },
      ]);
    });

    it('rows without any key are matched only when identical, so a nightly re-import adds no duplicate', async () => {
      const path = csv('k.csv', 'Nom;Prénom;Ville\nMeyer;Élodie;Lyon\nMeyer;Élodie;Lyon\nMartin;Luc;Paris\n');
      expect(await runImport(ctx, input(path))).toMatchObject({ inserted: 2, merged_in_file: 1 });
      expect(await runImport(ctx, input(path))).toMatchObject({ inserted: 0, unchanged: 2, merged_in_file: 1 });
    });
  });

  describe('consents, suppressions', () => {
    it('a file never grants again what the person withdrew or opposed elsewhere; "non" is recorded', async () => {
      const path = csv('a.csv', 'Réf;Nom;E-mail;Newsletter\nC1;Meyer;e@x.fr;oui\nC2;Dupont;j@x.fr;oui\n');
      await runImport(ctx, input(path));
      const [c1, c2] = all<{ id: number }>('SELECT id FROM customers ORDER BY id');
      ctx.store.consents.insert({ customerId: c1!.id, channel: 'email', purpose: 'marketing', state: 'withdrawn', source: 'carnet rgpd optout', proof: null, recordedAt: '2026-11-23T11:00:00.000Z' });
      ctx.store.consents.insert({ customerId: c2!.id, channel: 'email', purpose: 'marketing', state: 'opposed', source: 'letter', proof: null, recordedAt: '2026-11-23T11:00:00.000Z' });
      setNow('2026-11-24T00:00:00.000Z');
      const r = await runImport(ctx, input(path));
      expect(r).toMatchObject({ updated: 0, unchanged: 2, blockedConsents: 2 });
      const refuse = await runImport(ctx, input(csv('b.csv', 'Réf;Nom;E-mail;Newsletter\nC1;Meyer;e@x.fr;non\n')));
      expect(refuse.updated).toBe(1);
      expect(all('SELECT state FROM consents WHERE customer_id = ? ORDER BY id', c1!.id)).toEqual([{ state: 'granted' }, { state: 'withdrawn' }, { state: 'refused' }]);
    });

    it('rows of erased or opposed people are counted as suppressed and not imported', async () => {
      const salt = suppressionSalt(ctx.store);
      ctx.store.suppressions.add(hashIdentifier(salt, 'email', 'gone@x.fr'), 'email', 'erased', '2026-01-01T00:00:00.000Z');
      ctx.store.suppressions.add(hashIdentifier(salt, 'phone', '+33612345678'), 'phone', 'opposed', '2026-01-01T00:00:00.000Z');
      const r = await runImport(ctx, input(csv('a.csv', 'Nom;E-mail;Portable\nGone;GONE@x.fr;\nStays;s@x.fr;\nCalls;;06 12 34 56 78\n')));
      expect(r).toMatchObject({ read: 3, inserted: 1, suppressed: 2, rejected: 0 });
      expect(all('SELECT last_name FROM customers')).toEqual([{ last_name: 'Stays' }]);
    });
  });

  describe('safety', () => {
    it('--dry-run reports exactly what would happen and writes nothing (not even import_runs)', async () => {
      await runImport(ctx, input(csv('a.csv', 'Réf;Nom;Ville\nC1;Meyer;Lyon\n')));
      const path = csv('b.csv', 'Réf;Nom;Prénom;Ville;E-mail\nC1;Meyer;;Paris;\nC2;Dupont;;Lyon;\n;;Jean;;bad@\n');
      const dry = await runImport(ctx, input(path, { dryRun: true, rejects: null }));
      expect(dry).toMatchObject({ dry_run: true, read: 3, inserted: 1, updated: 1, rejected: 1, run: null, rejects: null });
      expect(one<{ n: number }>('SELECT count(*) AS n FROM customers').n).toBe(1);
      expect(one<{ n: number }>('SELECT count(*) AS n FROM import_runs').n).toBe(1);
      expect(one("SELECT city FROM customers")).toEqual({ city: 'Lyon' });
      const real = await runImport(ctx, input(path));
      expect(real).toMatchObject({ inserted: dry.inserted, updated: dry.updated, rejected: dry.rejected });
    });

    it('--strict imports nothing when a row is rejected, and still writes the rejects', async () => {
      const path = csv('a.csv', 'Nom;E-mail\nMeyer;e@x.fr\nDupont;pas-un-mail\n');
      const r = await runImport(ctx, input(path, { strict: true }));
      expect(r).toMatchObject({ aborted: true, inserted: 0, rejected: 1 });
      expect(one<{ n: number }>('SELECT count(*) AS n FROM customers').n).toBe(0);
      expect(one<{ n: number }>('SELECT count(*) AS n FROM import_runs').n).toBe(0);
      expect(existsSync(join(tmp.dir, 'rejects.csv'))).toBe(true);
    });

    it('rejected rows go to a 0600 rejects file with line, field and reason; fixed, it imports as it is', async () => {
      const r = await runImport(ctx, input(csv('a.csv', 'Nom;Prénom;E-mail;SIRET\nMeyer;;e@x.fr;\nDupont;;jp@;\n"Martin; et fils";;m@x.fr;123\n;Jean;;\n', 'win1252')));
      // Invalid values cost no row (issue 16): only the row that identifies nobody is rejected.
      expect(r).toMatchObject({ inserted: 3, rejected: 1, rejects: join(tmp.dir, 'rejects.csv') });
      expect(statSync(r.rejects!).mode & 0o777).toBe(0o600);
      const text = readFileSync(r.rejects!, 'utf8');
      expect(text.startsWith('\ufeffcarnet_line;carnet_field;carnet_reason;Nom;Prénom;E-mail;SIRET\r\n')).toBe(true);
      expect(text).toContain("3;email;imported — email: 'jp@' is not an e-mail address (kept in extra as 'E-mail');Dupont;;jp@;");
      expect(text).toContain('4;siret;imported — siret:');
      expect(text).toContain('"Martin; et fils";;m@x.fr;123');
      expect(text).toContain('5;last_name;nothing in this row identifies anyone');
      expect(one("SELECT extra FROM customers WHERE last_name = 'Dupont'")).toEqual({ extra: '{"E-mail":"jp@"}' });
      // The rejected line, fixed, imports as it is (the imported ones are fixed with carnet edit).
      const fixed = csv('fixed.csv', text.split('\r\n').filter((l) => !l.includes(';imported — ')).join('\r\n').replace(';Jean;;', 'Durand;Jean;;'));
      const again = await runImport(ctx, input(fixed, { rejects: join(tmp.dir, 'r2.csv') }));
      expect(again).toMatchObject({ inserted: 1, rejected: 0 });
      expect(one("SELECT first_name FROM customers WHERE last_name = 'Durand'")).toEqual({ first_name: 'Jean' });
    });

    it('a malformed file is refused with its line and leaves the database untouched', async () => {
      const err = await runImport(ctx, input(csv('bad.csv', 'Email, First name, Last name\nfoo@example.com, Foo, Bar\nfoo3@example.com, "Foo 3", "Bar3"\n'))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CsvReadError);
      expect((err as CsvReadError).exitCode).toBe(3);
      expect((err as CsvReadError).line).toBe(3);
      expect(one<{ n: number }>('SELECT count(*) AS n FROM customers').n).toBe(0);
      expect(one<{ n: number }>('SELECT count(*) AS n FROM import_runs').n).toBe(0);
    });

    it('an empty file is a clear error; a header without rows imports nothing and says so', async () => {
      await expect(runImport(ctx, input(csv('empty.csv', '\n\n')))).rejects.toThrow(/is empty/);
      const r = await runImport(ctx, input(csv('head.csv', 'Nom;E-mail\n')));
      expect(r).toMatchObject({ read: 0, inserted: 0 });
      expect(r.notes.join(' ')).toMatch(/no data rows/);
    });

    it('a file that starts in ASCII and turns out to be Windows-1252 is read again as such', async () => {
      const rows = Array.from({ length: 20000 }, (_v, i) => `Client${i};c${i}@x.fr`).join('\n');
      const r = await runImport(ctx, input(csv('late.csv', `Nom;E-mail\n${rows}\nGarçon;g@x.fr\n`, 'win1252')));
      expect(r).toMatchObject({ inserted: 20001, encoding: 'windows-1252' });
      expect(r.notes.join(' ')).toMatch(/read again as Windows-1252/);
      expect(one("SELECT last_name FROM customers WHERE email_norm = 'g@x.fr'")).toEqual({ last_name: 'Garçon' });
    });

    it('keeps text exactly: leading zeros, +, accents', async () => {
      await runImport(ctx, input(csv('z.csv', 'Nom;Code postal;Ville;Portable;SIRET\nAin;1000;Bourg;+33 6 12 34 56 78;05420120700005\n'), { country: 'FR' }));
      expect(one('SELECT postal_code, mobile_e164, siret FROM customers')).toEqual({ postal_code: '01000', mobile_e164: '+33612345678', siret: '05420120700005' });
    });
  });

  describe('bulk import', () => {
    /** The indexes and triggers: SQLite's bulk path drops and rebuilds them; PostgreSQL's keeps them (no DDL in a shared schema).
     *  Ordered by name and definition: a foreign key's insert and delete triggers share one name on two tables. */
    const schemaShape = () =>
      engine === 'sqlite'
        ? all('SELECT type, name, sql FROM sqlite_master ORDER BY name')
        : all(`SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema()
               UNION ALL SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
               WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal ORDER BY 1, 2`);

    it('rebuilds indexes and the full-text index once, leaving the schema as it was', async () => {
      const schema = schemaShape();
      const saved = process.env.CARNET_IMPORT_BULK_FROM;
      process.env.CARNET_IMPORT_BULK_FROM = '10';
      try {
        const rows = Array.from({ length: 300 }, (_v, i) => `R${i};Élodie${i};Meyer${i};e${i}@x.fr;VIP;oui`).join('\n');
        const r = await runImport(ctx, input(csv('bulk.csv', `Réf;Prénom;Nom;E-mail;Catégories;Newsletter\n${rows}\n`)));
        expect(r.inserted).toBe(300);
      } finally {
        if (saved === undefined) delete process.env.CARNET_IMPORT_BULK_FROM;
        else process.env.CARNET_IMPORT_BULK_FROM = saved;
      }
      expect(schemaShape()).toEqual(schema);
      if (engine === 'sqlite') {
        // SQLite's own checks of the file and of its FTS5 index, which the bulk path rebuilt.
        expect(all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
        expect(() => ctx.store.db.exec("INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')")).not.toThrow();
      }
      expect(ctx.store.customers.search(['elodie42'], 10).map((c) => c.externalId)).toEqual(['R42']);
      expect(all("SELECT count(*) AS n FROM consents")).toEqual([{ n: 300 }]);
      // The triggers are back: a customer added afterwards is found by search too.
      ctx.store.customers.insert({ ...ctx.store.customers.get(1)!, firstName: 'Zéphyrin', externalId: null, emailNorm: null, email: null }, { uid: 'u-1', createdAt: 'x', updatedAt: 'x' });
      expect(ctx.store.customers.search(['zephyrin'], 10)).toHaveLength(1);
    });
  });
});
