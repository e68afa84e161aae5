import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FULL_TEXT_KEYS } from '../../src/core/fields/catalogue.js';

/**
 * The catalogue's fullText fields are what dialect.ts hands carnet_fts_doc on
 * PostgreSQL: the expression must be the GIN index's own, or the planner does
 * not use the index. The migrations spell the columns; this keeps the two in step.
 */
const MIGRATIONS = join(import.meta.dirname, '../../migrations');

describe('the full-text fields are the full-text index columns', () => {
  it('PostgreSQL: the GIN index is on carnet_fts_doc over them, in catalogue order', () => {
    const sql = readFileSync(join(MIGRATIONS, 'postgres', '0005_lean_import.sql'), 'utf8');
    expect(sql).toContain(`gin (carnet_fts_doc(${FULL_TEXT_KEYS.join(', ')}))`);
  });

  it('SQLite: the fts5 table has them as its columns, in catalogue order', () => {
    const sql = readFileSync(join(MIGRATIONS, '0005_lean_import.sql'), 'utf8');
    expect(sql).toContain(`USING fts5 (\n  ${FULL_TEXT_KEYS.join(', ')},`);
  });
});
