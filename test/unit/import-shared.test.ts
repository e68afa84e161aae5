import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/core/context.js';
import { runImport, type ImportInput } from '../../src/core/import/index.js';
import { CsvReadError } from '../../src/io/csv-in/errors.js';
import type { Store } from '../../src/db/store.js';
import { SHARED } from '../helpers/cli.js';
import { memoryCtx, tempDir } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';
import { importInput } from '../helpers/import-input.js';

/**
 * Every contact export in ../shared/data imports (read from there, never
 * copied: most are GPL/AGPL/MPL). Through the core service, in-process, so
 * that two dozen files cost a second.
 */
const EXPORTS = join(SHARED, 'contact-exports');

forEachEngine('import of shared contact exports', (engine) => {
  let ctx: Ctx & { store: Store };
  let tmp: { dir: string; cleanup: () => void };
  beforeEach(() => {
    ctx = memoryCtx(engine);
    tmp = tempDir('carnet-import-shared-');
  });
  afterEach(() => {
    // A PostgreSQL store goes back to the test pool open (memoryCtx): closing it would cost a new connection.
    if (engine === 'sqlite') ctx.store.close();
    tmp.cleanup();
  });

  function input(file: string, over: Partial<ImportInput> = {}): ImportInput {
    return importInput(file, tmp.dir, over);
  }

  function csvFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? csvFiles(p) : f.endsWith('.csv') ? [p] : [];
    });
  }

  const rows = (sql: string) => ctx.store.db.prepare(sql).all() as Record<string, unknown>[];

  /** N: and EMAIL lines of each card of a .vcf twin. */
  function cards(vcf: string): { last: string; first: string; emails: string[] }[] {
    return vcf.split('BEGIN:VCARD').slice(1).map((card) => {
      const n = /^N:(.*)$/m.exec(card)?.[1]?.split(';') ?? [];
      return { last: n[0] ?? '', first: n[1] ?? '', emails: [...card.matchAll(/^EMAIL[^:]*:(.*)$/gm)].map((m) => (m[1] ?? '').trim()) };
    });
  }

  /** What each file does, beyond "it imports": rows rejected on purpose, and files refused whole. */
  const EXPECTED: Record<string, { rejected?: number; warnings?: number; refused?: RegExp }> = {
    'keila/import_malformed1.csv': { refused: /^import_malformed1.csv, line 4: a quote in the middle of a value/ },
    // contact1@invalid has no top-level domain: the rows are imported with the e-mail kept in extra and a warning (issue 16).
    'thunderbird/export.csv': { rejected: 0, warnings: 2 },
  };

  describe.skipIf(!existsSync(EXPORTS))('every file under contact-exports imports', () => {
    for (const path of existsSync(EXPORTS) ? csvFiles(EXPORTS) : []) {
      const name = path.slice(EXPORTS.length + 1);
      it(name, async () => {
        const want = EXPECTED[name] ?? {};
        if (want.refused) {
          const err = await runImport(ctx, input(path)).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(CsvReadError);
          expect((err as CsvReadError).message).toMatch(want.refused);
          expect(rows('SELECT (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM import_runs) AS r')).toEqual([{ c: 0, r: 0 }]);
          return;
        }
        const r = await runImport(ctx, input(path));
        expect(r.rejected, JSON.stringify(r.rejectSamples)).toBe(want.rejected ?? 0);
        if (want.warnings !== undefined) expect(r.warnings.filter((w) => w.field === 'email')).toHaveLength(want.warnings);
        expect(r.inserted + r.merged_in_file + r.rejected).toBe(r.read);
        expect(r.read).toBeGreaterThan(0);
        // And a second time, nothing changes.
        const again = await runImport(ctx, input(path));
        expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: r.inserted });
      });
    }
  });

  describe.skipIf(!existsSync(EXPORTS))('roundcube exports land like their .vcf twins', () => {
    for (const base of ['gmail', 'outlook', 'tb_plain', 'all', 'email']) {
      it(`${base}.csv`, async () => {
        const dir = join(EXPORTS, 'roundcube-csv2vcard');
        await runImport(ctx, input(join(dir, `${base}.csv`)));
        const got = rows('SELECT first_name, last_name, email, extra FROM customers ORDER BY id');
        const want = cards(readFileSync(join(dir, `${base}.vcf`), 'utf8'));
        expect(got).toHaveLength(want.length);
        want.forEach((card, i) => {
          const c = got[i] as { first_name: string | null; last_name: string | null; email: string; extra: string };
          expect(c.first_name ?? '').toBe(card.first);
          expect(c.last_name ?? '').toBe(card.last);
          // The first address is the customer's e-mail; the others are kept, in extra.
          expect(c.email).toBe(card.emails[0]);
          const extra = Object.values(JSON.parse(c.extra) as Record<string, string>);
          for (const other of card.emails.slice(1)) expect(extra).toContain(other);
        });
      });
    }
  });

  describe.skipIf(!existsSync(EXPORTS))('details of some exports', () => {
    it("keila's Excel file (UTF-8 BOM, ;, CRLF): accents intact", async () => {
      await runImport(ctx, input(join(EXPORTS, 'keila', 'import_excel.csv')));
      expect(rows("SELECT first_name, last_name FROM customers WHERE email_norm IN ('foo-1@example.com', 'foo-2@example.com') ORDER BY email_norm")).toEqual([
        { first_name: 'Joël', last_name: 'Müller-Schultheiß' }, { first_name: 'Eliška', last_name: 'Þorláksson' },
      ]);
    });

    it("keila's malformed2 (a row without e-mail) is a valid customer for carnet, but not with --key email", async () => {
      const path = join(EXPORTS, 'keila', 'import_malformed2.csv');
      const strictKey = await runImport(ctx, input(path, { key: 'email' }));
      expect(strictKey).toMatchObject({ read: 1, inserted: 0, rejected: 1 });
      expect(strictKey.rejectSamples[0]).toMatchObject({ line: 2, field: 'email' });
      expect(await runImport(ctx, input(path))).toMatchObject({ inserted: 1 });
    });

    it("keila's upsert file: the same e-mail twice is one customer, the later row winning", async () => {
      const r = await runImport(ctx, input(join(EXPORTS, 'keila', 'import_rfc_4180_upsert.csv')));
      expect(r).toMatchObject({ read: 5, inserted: 4, merged_in_file: 1 });
      expect(rows("SELECT last_name FROM customers WHERE email_norm = 'joao@example.com'")).toEqual([{ last_name: 'Nilton' }]);
    });

    it('Google labels become categories; Mailchimp opt-in dates become consents; a file without a header is read', async () => {
      await runImport(ctx, input(join(EXPORTS, 'roundcube-csv2vcard', 'gmail.csv')));
      expect(rows('SELECT name FROM categories')).toEqual([{ name: 'Test' }]);
      await runImport(ctx, input(join(EXPORTS, 'mailchimp', 'honey_format_mailchimp_export.csv')));
      expect(rows("SELECT state, recorded_at FROM consents")).toEqual([{ state: 'granted', recorded_at: new Date(2015, 2, 16, 14, 40, 47).toISOString() }]);
      const r = await runImport(ctx, input(join(EXPORTS, 'thunderbird', 'csv_no_header.csv')));
      expect(r).toMatchObject({ read: 2, inserted: 2 });
      expect(rows("SELECT extra FROM customers WHERE email_norm = 'john@doe.invalid'")).toEqual([{ extra: '{"column 1":"John Doe","column 2":"John","column 3":"Doe"}' }]);
    });

    it('FEBRL needs no --map: typos in birth dates are kept in extra, not lost', async () => {
      const path = join(SHARED, 'febrl', 'dataset1.csv');
      const r = await runImport(ctx, input(path));
      expect(r).toMatchObject({ read: 1000, rejected: 0 });
      expect(r.inserted).toBe(1000);
      const [c] = rows("SELECT first_name, last_name, address_line1, postal_code, city, region, birth_date, extra FROM customers WHERE external_id = 'rec-122-org'");
      expect(c).toEqual({ first_name: 'lachlan', last_name: 'berry', address_line1: '69 giblin street', postal_code: '4814', city: 'bittern', region: 'qld', birth_date: '1999-02-19', extra: '{"soc_sec_id":"7364009"}' });
      expect(r.warningCount).toBeGreaterThan(0);
      expect(r.warnings.every((w) => w.message.includes('kept in extra'))).toBe(true);
    });
  });
});
