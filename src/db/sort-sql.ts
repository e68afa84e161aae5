import type { Dialect } from './dialect.js';
import { customFieldSql } from './repositories/custom-fields.js';

/**
 * One term of a `--sort` over customer_facts (aliased f), checked by the
 * caller (buildCustomerQuery): a column of the view, or a field of the
 * user's own — `own` says how its JSON value compares (numbers and yes/no as
 * numbers, the rest as text: dates are YYYY-MM-DD).
 */
export interface SortKey {
  name: string;
  desc: boolean;
  own?: 'text' | 'number';
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * ORDER BY terms for `list --sort` and `export --sort`. Empty values come
 * last in either direction, as spreadsheets sort them, and on both engines:
 * SQLite puts NULLs first when ascending and PostgreSQL last, so each term
 * says NULLS LAST (SQLite ≥ 3.30 reads it).
 */
export function sortTerms(sort: readonly SortKey[] | undefined, d: Dialect): string[] {
  return (sort ?? []).map((s) => {
    if (!IDENT.test(s.name)) throw new Error(`sort: not a column name: ${JSON.stringify(s.name)}`);
    // Text of one's own fields compares byte-wise, as the built-in columns do (COLLATE "C" on
    // PostgreSQL, whatever the database's locale).
    const own = s.own === undefined ? null : customFieldSql('f', s.name, d, s.own);
    const expr = own === null ? `f.${s.name}` : s.own === 'text' ? d.binary(own) : own;
    return `${expr} ${s.desc ? 'DESC' : 'ASC'} NULLS LAST`;
  });
}
