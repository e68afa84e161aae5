import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import type { Db } from '../../src/db/open.js';
import { DIALECTS } from '../../src/db/dialect.js';
import { parseFilter, FilterSyntaxError, knownFieldNames } from '../../src/core/filter/index.js';
import { compileFilter, type CompiledFilter } from '../../src/db/filter-sql.js';
import { freshStore } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';

const NOW = new Date('2026-11-23T10:00:00.000Z');


interface Seed {
  id: number;
  first?: string;
  last?: string;
  company?: string;
  kind?: string;
  city?: string | null;
  postal?: string;
  email?: string | null;
  status?: string;
  notes?: string;
  created: string;
  lastContact?: string | null;
  archived?: string;
  birth?: string;
  extra?: Record<string, string>;
}

const SEEDS: Seed[] = [
  {
    id: 1, first: 'Jean', last: 'Dupont', city: 'Lyon', postal: '69001', email: 'jean@x.fr', status: 'client',
    created: '2024-01-31T09:00:00.000Z', lastContact: '2020-05-01T10:00:00.000Z', extra: { code: 'A12', 'Date RDV': '2024-03-01' },
  },
  { id: 2, first: 'Éloïse', last: 'Dupond', city: 'Saint-Étienne', postal: '42000', email: null, status: 'prospect', created: '2024-01-30' },
  {
    id: 3, kind: 'company', company: 'ACME', city: 'lyon', postal: '20100', email: '', status: 'lead',
    notes: '50% off_promo', created: '2024-02-01T08:00:00.000Z', lastContact: '2026-10-01T12:00:00.000Z',
  },
  {
    id: 4, first: 'Marie', last: "O'Brien", city: null, postal: '97400', email: 'marie@y.fr', status: 'client',
    notes: '500 units, offXpromo', created: '2023-12-31T23:59:59.999Z',
  },
  {
    id: 5, first: 'Paul', last: 'Martin', city: 'Paris', postal: '75001', email: 'paul@z.fr', status: 'inactive',
    created: '2025-01-01T00:00:00.000Z', lastContact: '2024-06-01T00:00:00.000Z', archived: '2025-01-01T00:00:00.000Z', birth: '1980-02-29',
  },
];

forEachEngine('compileFilter', (engine) => {
  const dialect = DIALECTS[engine];
  let store: ReturnType<typeof freshStore>;
  let db: Db;

  beforeAll(() => {
    store = freshStore(engine);
    db = store.db;
    const insert = db.prepare(
      `INSERT INTO customers (id, uid, kind, first_name, last_name, company_name, city, postal_code, email, status, notes,
         extra, birth_date, created_at, updated_at, last_contact_at, archived_at)
       VALUES (@id, @uid, @kind, @first, @last, @company, @city, @postal, @email, @status, @notes,
         @extra, @birth, @created, @created, @lastContact, @archived)`,
    );
    for (const s of SEEDS) {
      insert.run({
        id: s.id, uid: `u${s.id}`, kind: s.kind ?? 'person', first: s.first ?? null, last: s.last ?? null, company: s.company ?? null,
        city: s.city ?? null, postal: s.postal ?? null, email: s.email ?? null, status: s.status ?? 'prospect', notes: s.notes ?? null,
        extra: JSON.stringify(s.extra ?? {}), birth: s.birth ?? null, created: s.created, lastContact: s.lastContact ?? null,
        archived: s.archived ?? null,
      });
    }
    const sale = db.prepare(
      `INSERT INTO sales (customer_id, kind, issued_on, amount_cents, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, '2026-01-01', '2026-01-01')`,
    );
    sale.run(1, 'invoice', '2025-06-15', 150_000, 'paid');
    sale.run(1, 'invoice', '2026-03-10', 20_000, 'unpaid');
    sale.run(4, 'order', '2026-11-20', 5_000, 'accepted');
    const category = db.prepare(`INSERT INTO categories (id, name, created_at) VALUES (?, ?, '2026-01-01')`);
    category.run(1, 'VIP');
    category.run(2, 'Gold');
    category.run(3, 'Fidèle');
    const tag = db.prepare(`INSERT INTO customer_categories (customer_id, category_id, assigned_at) VALUES (?, ?, '2026-01-01')`);
    for (const [c, cat] of [[1, 1], [4, 1], [4, 2], [2, 3]] as const) tag.run(c, cat);
  });

  // A PostgreSQL store goes back to the pool when the suite ends.
  afterAll(() => void (engine === 'sqlite' && store.close()));

  function run(compiled: CompiledFilter, alias = 'f'): number[] {
    const rows = db
      .prepare(`SELECT ${alias}.id AS id FROM customer_facts ${alias} WHERE ${compiled.sql} ORDER BY ${alias}.id`)
      .all(compiled.params) as { id: number }[];
    return rows.map((r) => r.id);
  }

  function ids(expr: string, now = NOW): number[] {
    return run(compileFilter(parseFilter(expr), { now, dialect }));
  }

  /** The schema's definitions: what a value smuggled into the SQL text could change. */
  function schema(): string {
    const sql =
      engine === 'sqlite'
        ? 'SELECT group_concat(sql, char(10)) FROM sqlite_schema'
        : `SELECT string_agg(c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod), ',' ORDER BY c.relname, a.attnum)
             FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE c.relnamespace = current_schema()::regnamespace AND a.attnum > 0 AND NOT a.attisdropped`;
    return db.prepare(sql).pluck().get() as string;
  }

  describe('compileFilter against customer_facts', () => {
    const cases: [string, number[]][] = [
      ['city = lyon', [1, 3]],
      ['city = "saint-etienne"', [2]],
      ['city != Lyon', [2, 4, 5]],
      ['not city = Lyon', [2, 4, 5]],
      ['city ~ "ÉTI"', [2]],
      ['city !~ ly', [2, 4, 5]],
      ['last_name ~ dupon', [1, 2]],
      ['name ~ acme', [3]],
      ['name = "eloise"', [2]],
      ['name in (martin, acme)', [3, 5]],
      ['name is empty', []],
      ['email is empty', [2, 3]],
      ['email is not empty', [1, 4, 5]],
      ['status in (client, LEAD)', [1, 3, 4]],
      ['status not in (client)', [2, 3, 5]],
      ['kind = company', [3]],
      ['revenue >= 1500', [1]],
      ['revenue = 1700', [1]],
      ['revenue = 0', [2, 3, 4, 5]],
      ['orders >= 1', [1, 4]],
      ['orders = 2', [1]],
      ['unpaid_cents > 0', [1]],
      // bigint columns on PostgreSQL: a fractional value must not be typed from the column
      ['unpaid_cents in (2.5, 20000)', [1]],
      ['orders < 1.5', [2, 3, 4, 5]],
      ['id in (1, 3)', [1, 3]],
      ['id > 3', [4, 5]],
      ['last_purchase_at > -30d', [4]],
      ['last_purchase_at >= 2026-03-10', [1, 4]],
      ['last_purchase_at = 2026-03-10', [1]],
      ['last_contact_at < -3y', [1]],
      ['last_contact_at > -6m', [3]],
      ['last_contact_at is empty', [2, 4]],
      ['not last_contact_at < -3y', [2, 3, 4, 5]],
      ['created_at = 2024-01-31', [1]],
      ['created_at < 2024-01-31', [2, 4]],
      ['created_at <= 2024-01-31', [1, 2, 4]],
      ['created_at > 2024-01-31', [3, 5]],
      ['created_at >= 2024-01-31T10:00', [3, 5]],
      ['created_at < 2024-01-31T10:00', [1, 2, 4]],
      ['created_at in (2024-01-30, 2024-02-01)', [2, 3]],
      ['created_at < now', [1, 2, 3, 4, 5]],
      ['created_at >= today', []],
      ['created_at starts 2024-01', [1, 2]],
      ['birth_date = 29/02/1980', [5]],
      ['department = 2a', [3]],
      ['department = 974', [4]],
      ['dept in (69, 42)', [1, 2]],
      ['postal_code starts 69', [1]],
      ['cp starts with 9', [4]],
      ['notes ~ "50%"', [3]],
      ['notes ~ "off_promo"', [3]],
      ['notes ~ "\\\\"', []],
      ['category VIP', [1, 4]],
      ['category "vip"', [1, 4]],
      ['category fidele', [2]],
      ['not category VIP', [2, 3, 5]],
      ['category in (gold, FIDÈLE)', [2, 4]],
      ['category is empty', [3, 5]],
      ['category is not empty', [1, 2, 4]],
      ['categories ~ gold', [4]],
      ['extra.code = a12', [1]],
      ['extra."Date RDV" = "2024-03-01"', [1]],
      ['extra.code is empty', [2, 3, 4, 5]],
      ['extra.code != a12', [2, 3, 4, 5]],
      ['archived_at is not empty', [5]],
      ['city = lyon and status = client or category Gold', [1, 4]],
      ['city = lyon and (status = client or category Gold)', [1]],
      ['city = "Lyon" and revenue >= 1000 and not category "VIP"', []],
      ['not (city = lyon or city = paris)', [2, 4]],
    ];

    it.each(cases)('%s', (expr, expected) => {
      expect(ids(expr)).toEqual(expected);
    });

    it('uses the caller alias and parameter prefix', () => {
      const compiled = compileFilter(parseFilter('city = lyon and category VIP'), { now: NOW, alias: 'x', paramPrefix: 'w', dialect });
      expect(compiled.sql).not.toMatch(/\bf\./);
      expect(Object.keys(compiled.params)).toEqual(['w0', 'w1']);
      expect(run(compiled, 'x')).toEqual([1]);
    });

    it('resolves relative dates against the clock, clamping month ends', () => {
      const compiled = compileFilter(parseFilter('last_contact_at < -1m'), { dialect, now: new Date('2024-03-31T23:00:00Z') });
      expect(Object.values(compiled.params)).toEqual(['2024-02-29']);
      const year = compileFilter(parseFilter('last_contact_at < -1y'), { dialect, now: new Date('2024-02-29T00:00:00Z') });
      expect(Object.values(year.params)).toEqual(['2023-02-28']);
      const weeks = compileFilter(parseFilter('last_contact_at <= -2w'), { dialect, now: new Date('2024-01-03T12:00:00Z') });
      expect(Object.values(weeks.params)).toEqual(['2023-12-21']);
    });

    it('emits a parenthesised expression with values only as parameters', () => {
      const compiled = compileFilter(parseFilter('city = "Lyon" or notes ~ "50%"'), { now: NOW, dialect });
      expect(compiled.sql.startsWith('(') && compiled.sql.endsWith(')')).toBe(true);
      expect(compiled.sql).not.toContain('Lyon');
      expect(compiled.sql).not.toContain('50');
      expect(compiled.params).toEqual({ p0: 'Lyon', p1: '50%' });
    });
  });

  describe('compileFilter: properties', () => {
    /** Quotes arbitrary text as a double-quoted filter string. */
    const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    const templates = [
      (v: string) => `city = ${v}`,
      (v: string) => `name ~ ${v}`,
      (v: string) => `status in (${v}, other)`,
      (v: string) => `extra.code starts ${v}`,
      (v: string) => `category ${v}`,
      (v: string) => `not (notes !~ ${v}) or city != ${v}`,
      (v: string) => `extra.${v} is empty`,
    ];
    const hostile = fc.constantFrom("'; DROP TABLE customers; --", '" OR 1=1 --', '\0', '%', '_', '\\', "'", '"', 'f.id', ')', '@p0');
    const anyText = fc.oneof(hostile, fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }));

    it('puts values only in parameters: the SQL text depends on the shape alone', () => {
      fc.assert(
        fc.property(anyText, fc.integer({ min: 0, max: templates.length - 1 }), (value, t) => {
          const template = templates[t];
          if (template === undefined) return;
          const marked = `§${value}§`;
          let ast;
          try {
            ast = parseFilter(template(quote(marked)));
          } catch (e) {
            // Only the extra-key template may refuse a value (keys cannot hold '"').
            expect(e).toBeInstanceOf(FilterSyntaxError);
            expect(marked.includes('"') && t === templates.length - 1).toBe(true);
            return;
          }
          const compiled = compileFilter(ast, { now: NOW, dialect });
          const plain = compileFilter(parseFilter(template(quote('x'))), { now: NOW, dialect });
          expect(compiled.sql).toBe(plain.sql);
          expect(compiled.sql).not.toContain('§');
          const bound = Object.values(compiled.params).map(String);
          expect(bound.some((p) => p.includes(marked))).toBe(true);
        }),
        { numRuns: 1500 },
      );
    });

    it('round-trips arbitrary strings as parameters without touching the schema', () => {
      const before = schema();
      const jsonK = engine === 'sqlite' ? `json_object('k', @v)` : `json_build_object('k', @v::text)::text`;
      const text = fc.oneof(
        hostile,
        fc.array(fc.oneof(hostile, fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength: 6 }).map((a) => a.join('')),
      );
      // PostgreSQL's text cannot hold NUL: such a value is never stored there (normalisation removes it from every field).
      const stored = engine === 'sqlite' ? text : text.filter((v) => !v.includes('\0'));
      fc.assert(
        fc.property(stored, (value) => {
          db.exec('BEGIN');
          try {
            db.prepare(
              `INSERT INTO customers (id, uid, city, notes, extra, created_at, updated_at) VALUES (99, 'u99', @v, @v, ${jsonK}, 'x', 'x')`,
            ).run({ v: value });
            db.prepare(`INSERT INTO categories (id, name, created_at) VALUES (99, @v, 'x')`).run({ v: value });
            db.prepare(`INSERT INTO customer_categories (customer_id, category_id, assigned_at) VALUES (99, 99, 'x')`).run();
            const v = quote(value);
            for (const expr of [`city = ${v}`, `notes ~ ${v}`, `name ~ ${v} or city starts ${v}`, `extra.k = ${v}`, `category ${v}`]) {
              expect(ids(expr)).toContain(99);
            }
            expect(ids(`city != ${v}`)).not.toContain(99);
            expect(schema()).toBe(before);
          } finally {
            db.exec('ROLLBACK');
          }
        }),
        { numRuns: 400 },
      );
      expect(ids('id > 0')).toEqual([1, 2, 3, 4, 5]);
    });

    it('compiles every filter that parses to SQL that the engine accepts', () => {
      const fieldName = fc.constantFrom(...knownFieldNames(), 'extra.k', 'extra."a b"');
      const value = fc.constantFrom('Lyon', '"a b"', "''", '1000', '-3', '2.5', '2024-01-31', '2024-01-31T10:00', '-3y', '+2w', 'today', 'now', '69');
      const tail = fc.oneof(
        fc.tuple(fc.constantFrom('=', '!=', '<', '<=', '>', '>=', '~', '!~', 'starts', 'not contains'), value).map(([o, v]) => `${o} ${v}`),
        fc.array(value, { minLength: 1, maxLength: 3 }).map((vs) => `in (${vs.join(', ')})`),
        fc.constantFrom('is empty', 'is not empty'),
      );
      const leaf = fc.oneof(
        fc.tuple(fieldName, tail).map(([f, t]) => `${f} ${t}`),
        value.map((v) => `category ${v}`),
      );
      const { expr } = fc.letrec<{ expr: string }>((tie) => ({
        expr: fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          leaf,
          tie('expr').map((e) => `not ${e}`),
          tie('expr').map((e) => `(${e})`),
          fc.tuple(tie('expr'), fc.constantFrom('and', 'or', 'ET', 'ou'), tie('expr')).map(([a, o, b]) => `${a} ${o} ${b}`),
        ),
      }));
      let parsed = 0;
      fc.assert(
        fc.property(expr, (text) => {
          let ast;
          try {
            ast = parseFilter(text);
          } catch (e) {
            expect(e).toBeInstanceOf(FilterSyntaxError);
            return;
          }
          parsed++;
          const compiled = compileFilter(ast, { now: NOW, dialect });
          expect(() => run(compiled)).not.toThrow();
        }),
        { numRuns: 1500 },
      );
      expect(parsed).toBeGreaterThan(300);
    });
  });
});
