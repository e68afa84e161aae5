import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/db/store.js';
import { ImportRepo } from '../../src/db/repositories/import.js';
import { ImportApplyRepo } from '../../src/db/repositories/import-apply.js';
import { SEQ_PER_CHUNK } from '../../src/db/repositories/import-columns.js';
import { freshPgUrl, PG_START_MS } from '../helpers/engines.js';

/**
 * A staged row's seq is its chunk's index × 2^21 plus its place: a 150 MB file cut into 64 KB
 * chunks reaches 2,300 × 2^21 ≈ 4.8e9, past a 32-bit integer. Every whole-number column of the
 * import's temp tables on PostgreSQL must be bigint (a million-row import once failed with
 * "integer out of range" when import_ids and import_plan were created as int4).
 */
describe('the import temp tables on PostgreSQL [postgres]', () => {
  let store: Store;
  beforeAll(async () => {
    store = Store.open(await freshPgUrl());
  }, PG_START_MS);
  afterAll(() => store?.close());

  it('hold a seq past 2^31 in every table an import fills', () => {
    const stage = new ImportRepo(store.db);
    const apply = new ImportApplyRepo(store.db);
    store.tx(() => {
      stage.createStage('customers');
      apply.classify('update');
      apply.assignIds();
      const int4 = store.db
        .prepare(`SELECT c.relname || '.' || a.attname AS col FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
          WHERE c.relnamespace = pg_my_temp_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
            AND c.relname LIKE 'import%' AND a.atttypid = 'integer'::regtype AND a.attname NOT IN ('apply', 'inserted')`)
        .pluck()
        .all();
      expect(int4).toEqual([]);
      const big = 2300 * SEQ_PER_CHUNK;
      expect(big).toBeGreaterThan(2 ** 31);
      store.db.prepare('INSERT INTO pg_temp.import_ids (seq, id, inserted, line) VALUES (?, ?, 1, 2)').run(big, big + 1);
      store.db.prepare("INSERT INTO pg_temp.import_plan (seq, target, action) VALUES (?, 1, 'update')").run(big);
      expect(store.db.prepare('SELECT seq FROM pg_temp.import_ids').pluck().get()).toBe(big);
    });
  });
});
