import { describe, expect, it } from 'vitest';
import { Store } from '../../src/db/store.js';
import { ImportRepo, type StagedValue } from '../../src/db/repositories/import.js';
import { STAGE_COLUMNS, STAGE_WIDTH } from '../../src/db/repositories/import-columns.js';

const col = (name: (typeof STAGE_COLUMNS)[number]): number => STAGE_COLUMNS.indexOf(name);

/** A staged row with its four leading columns and the given columns set, every other one NULL. */
function row(seq: number, values: Partial<Record<(typeof STAGE_COLUMNS)[number], string>>): StagedValue[] {
  const r = new Array<StagedValue>(STAGE_WIDTH).fill(null);
  r[0] = seq;
  r[1] = seq + 1;
  r[2] = `k${seq}`;
  r[3] = 0;
  for (const [k, v] of Object.entries(values)) r[col(k as (typeof STAGE_COLUMNS)[number])] = v;
  return r;
}

/**
 * The stage's INSERT names only the columns some row of the batch fills
 * (StageRowWriter): whatever columns each batch uses, the stage must hold
 * exactly the rows given, NULLs where a row gave nothing.
 */
describe('staging rows into SQLite by the columns a batch fills', () => {
  it('stores every row as given across batches that fill different columns, past one statement of rows', () => {
    const store = Store.open(':memory:');
    const stage = new ImportRepo(store.db);
    stage.createStage('customers');
    // 70 rows: two full statements of 32 and 6 single ones; only row 40 fills the company.
    const first = Array.from({ length: 70 }, (_, i) => row(i, i === 40 ? { email: `a${i}@x.fr`, company_name: 'ACME' } : { email: `a${i}@x.fr` }));
    // Another batch with other columns, and one that fills every column.
    const second = [row(100, { city: 'Lyon', postal_code: '69001' }), row(101, { last_name: 'Durand' })];
    const full = row(200, {});
    STAGE_COLUMNS.forEach((c, k) => {
      if (k >= 4) full[k] = `${c}-value`;
    });
    stage.stage(first, [], []);
    stage.stage(second, [], []);
    stage.stage([full], [], []);
    const all = [...first, ...second, full];
    expect(stage.stagedCount()).toBe(all.length);
    expect(stage.rows(all.map((r) => r[0] as number))).toEqual(all);
    store.close();
  });

  it('stores every row as given when the batches keep changing columns, past the column sets it keeps prepared', () => {
    const store = Store.open(':memory:');
    const stage = new ImportRepo(store.db);
    stage.createStage('customers');
    // 30 batches, each filling one field column of its own beside the e-mail: 30 column sets.
    const fields = STAGE_COLUMNS.slice(5, 35);
    const batches = fields.map((c, b) => Array.from({ length: 3 }, (_, i) => row(b * 10 + i, { email: `b${b}@x.fr`, [c]: `${c}-${b}-${i}` })));
    for (const batch of batches) stage.stage(batch, [], []);
    const all = batches.flat();
    expect(stage.rows(all.map((r) => r[0] as number))).toEqual(all);
    store.close();
  });
});
