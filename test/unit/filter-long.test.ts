import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/open.js';
import { FilterSyntaxError, parseFilter } from '../../src/core/filter/index.js';
import { MAX_CONDITIONS } from '../../src/core/filter/parser.js';
import { balanced, compileFilter } from '../../src/db/filter-sql.js';

/** Long filters (the probe's 996 `and`s crashed SQLite's parser) and dates at the edge of the calendar. */
const NOW = new Date('2026-11-23T10:00:00.000Z');
let db: Db;

beforeAll(() => {
  db = openDatabase(':memory:');
  const insert = db.prepare(
    `INSERT INTO customers (id, uid, kind, last_name, city, birth_date, created_at, updated_at)
     VALUES (?, ?, 'person', ?, ?, ?, ?, ?)`,
  );
  insert.run(1, 'u1', 'Dupont', 'Lyon', '9999-12-31', '2024-01-31T09:00:00.000Z', '2024-01-31T09:00:00.000Z');
  insert.run(2, 'u2', 'Martin', 'Paris', '0001-01-01', '9999-12-31T23:59:59.999Z', '2024-01-31T09:00:00.000Z');
});
afterAll(() => db.close());

function ids(expr: string): number[] {
  const c = compileFilter(parseFilter(expr), { now: NOW });
  return (db.prepare(`SELECT f.id FROM customer_facts f WHERE ${c.sql} ORDER BY f.id`).all(c.params) as { id: number }[]).map((r) => r.id);
}

const chain = (clause: string, op: string, n: number): string => Array.from({ length: n }, () => clause).join(` ${op} `);

describe('long filters', () => {
  it('996 and 4,999 `and`s of one condition select what one does (SQLite refused the chain at depth 1000)', () => {
    expect(ids(chain('city = "Lyon"', 'and', 996))).toEqual([1]);
    expect(ids(chain('city = "Lyon"', 'and', 4_999))).toEqual([1]);
  });

  it('long `or` chains over dates and multi-column fields too, mixed with `and`', () => {
    const many = Array.from({ length: 2_000 }, (_, i) => `name = "nobody${i}"`).join(' or ');
    expect(ids(`${many} or name = martin`)).toEqual([2]);
    expect(ids(`(${chain('created_at < 2025-01-01', 'or', 1_500)}) and ${chain('city is not empty', 'and', 1_000)}`)).toEqual([1]);
  });

  it('an `in` list with thousands of values works', () => {
    const values = Array.from({ length: 4_000 }, (_, i) => `v${i}`).join(', ');
    expect(ids(`city in (${values}, paris)`)).toEqual([2]);
  });

  it('beyond MAX_CONDITIONS: a usage error (exit 2) pointing at the first condition too many', () => {
    const text = chain('city = Lyon', 'and', MAX_CONDITIONS + 1);
    let caught: unknown;
    try {
      parseFilter(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(FilterSyntaxError);
    const e = caught as FilterSyntaxError;
    expect(e.exitCode).toBe(2);
    expect(e.reason).toMatch(/more than 5,000 conditions/);
    expect(e.column).toBe(MAX_CONDITIONS * 'city = Lyon and '.length + 1);
  });

  it('any long mix of and/or/not/parentheses over every kind of leaf compiles to SQL SQLite runs', () => {
    const leaf = fc.constantFrom(
      'city = "Lyon"', 'name ~ dup', 'created_at > 2024-01-01', 'birth_date = 9999-12-31', 'revenue >= 10',
      'category "VIP"', 'email is empty', 'status in (client, lead)', 'extra."Date RDV" starts 2024', 'last_contact_at < -3y',
    );
    const term = fc.tuple(fc.constantFrom('', 'not '), leaf).map(([n, l]) => `${n}${l}`);
    const chain = fc.array(fc.tuple(fc.constantFrom(' and ', ' or ', ' et ', ' ou '), term), { minLength: 990, maxLength: 1_300 });
    fc.assert(
      fc.property(term, chain, fc.nat(40), (first, rest, groups) => {
        let text = first;
        rest.forEach(([op, t], i) => (text += i % Math.max(1, groups) === 0 && i + 1 < rest.length ? `${op}(${t}${rest[i + 1]?.[0]}${t})` : `${op}${t}`));
        expect(() => ids(text)).not.toThrow();
      }),
      { numRuns: 12 },
    );
  });

  it('balanced() keeps SQLite expression trees shallow: groups of 16, nested', () => {
    const parts = Array.from({ length: 300 }, (_, i) => `x${i}`);
    const sql = balanced(parts, 'AND');
    let depth = 0;
    let max = 0;
    for (const ch of sql) {
      if (ch === '(') max = Math.max(max, ++depth);
      if (ch === ')') depth--;
    }
    expect(max).toBe(3); // 300 → 19 groups → 2 groups → 1
    expect(sql.split(' AND ')).toHaveLength(300);
    expect(balanced(['a'], 'OR')).toBe('a');
  });
});

describe('dates at the edge of the calendar', () => {
  it('`> 9999-12-31` is empty (the day after was "10000-01-01", which sorts before every date)', () => {
    expect(ids('created_at > 9999-12-31')).toEqual([]);
    expect(ids('birth_date > 9999-12-31')).toEqual([]);
    expect(ids('created_at <= 9999-12-31')).toEqual([1, 2]);
    expect(ids('created_at = 9999-12-31')).toEqual([2]);
    expect(ids('birth_date = 9999-12-31')).toEqual([1]);
    expect(ids('created_at >= 9999-12-31')).toEqual([2]);
  });

  it('`< 0001-01-01` is empty and `>= 0001-01-01` is everything dated', () => {
    expect(ids('birth_date < 0001-01-01')).toEqual([]);
    expect(ids('birth_date >= 0001-01-01')).toEqual([1, 2]);
    expect(ids('birth_date = 0001-01-01')).toEqual([2]);
  });
});
