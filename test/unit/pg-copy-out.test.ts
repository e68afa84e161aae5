import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.js';
import type { Db } from '../../src/db/port.js';
import { copyColumns, parseCopyPage } from '../../src/db/pg/copy-out-text.js';
import { freshPgUrl, PG_START_MS } from '../helpers/engines.js';

describe("COPY's text format read back", () => {
  it('gives NULL, escapes, numbers, booleans and any alphabet as node-postgres would', () => {
    const page = Buffer.from('1\t\\N\ta\\tb\\\\c\\nd\tt\t1.5\n2\tZoé 🎉\t\\\\N\tf\t-3\n', 'utf8');
    const cols = copyColumns([20, 25, 25, 16, 1700]);
    expect(cols).toEqual(['number', 'text', 'text', 'bool', 'number']);
    expect(parseCopyPage(page, cols ?? [])).toEqual([
      [1, null, 'a\tb\\c\nd', 1, 1.5],
      [2, 'Zoé 🎉', '\\N', 0, -3],
    ]);
  });

  it('leaves a result with a type it does not read (bytea, arrays) to the cursor', () => {
    expect(copyColumns([20, 17])).toBeNull();
    expect(copyColumns([1007])).toBeNull();
  });
});

/** Raw rows of a statement without parameters come through COPY TO (db.ts), the others through a cursor: the same rows either way. */
describe('raw rows through COPY on a real server', () => {
  let db: Db;
  const migrations = mkdtempSync(join(tmpdir(), 'carnet-pgcopy-'));

  beforeAll(async () => {
    writeFileSync(join(migrations, '0001_init.sql'), `CREATE TABLE t (id bigint PRIMARY KEY, name text, ok boolean, born date, extra jsonb, photo bytea);
      INSERT INTO t SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'n° ' || g || E'\\t\\\\' || repeat('é', g % 50) END, g % 2 = 0,
        DATE '2000-01-01' + g, jsonb_build_object('k', g), NULL FROM generate_series(1, 60000) AS g;`);
    db = openDatabase(await freshPgUrl(), { migrationsDir: migrations });
  }, PG_START_MS);

  afterAll(() => db?.close());

  const SELECT = 'SELECT id, name, ok, born, extra FROM t ORDER BY id';

  it('reads every row, over several pages, as the cursor reads them', () => {
    const copied = [...db.prepare(SELECT).raw().iterate()] as unknown[][];
    const cursor = [...db.prepare(`${SELECT.replace('FROM t', 'FROM t WHERE id > ?')}`).raw().iterate(0)] as unknown[][];
    expect(copied.length).toBe(60000);
    expect(copied).toEqual(cursor);
    expect(copied[6]).toEqual([7, null, 0, '2000-01-08', '{"k": 7}']);
    expect(copied[0]?.[1]).toBe('n° 1\t\\é');
  });

  it('stopped early, leaves the connection ready for the next statement, in a transaction or not', () => {
    for (const row of db.prepare(SELECT).raw().iterate()) {
      expect((row as unknown[])[0]).toBe(1);
      break;
    }
    expect(db.inTransaction).toBe(false);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(60000);
    db.transaction(() => {
      let n = 0;
      for (const _ of db.prepare(SELECT).raw().iterate()) if (++n === 30000) break;
      expect(db.prepare('SELECT max(id) FROM t').pluck().get()).toBe(60000);
    }).immediate();
  });

  it('a statement run while the rows are read (the caller writes as it reads) neither waits forever nor loses a row', () => {
    db.exec('CREATE TABLE IF NOT EXISTS seen (id bigint)');
    let n = 0;
    db.transaction(() => {
      for (const row of db.prepare(SELECT).raw().iterate()) {
        if (++n % 20000 === 0) db.prepare('INSERT INTO seen VALUES (?)').run((row as unknown[])[0]);
      }
    }).immediate();
    expect(n).toBe(60000);
    expect(db.prepare('SELECT id FROM seen ORDER BY id').pluck().all()).toEqual([20000, 40000, 60000]);
  });

  it('a bytea column goes through the cursor and still arrives as a Buffer', () => {
    db.prepare('UPDATE t SET photo = ? WHERE id = 1').run(Buffer.from([9, 8]));
    const rows = [...db.prepare('SELECT id, photo FROM t WHERE id <= 2 ORDER BY id').raw().iterate()] as unknown[][];
    expect(Buffer.isBuffer(rows[0]?.[1]) && [...(rows[0]?.[1] as Buffer)]).toEqual([9, 8]);
    expect(rows[1]?.[1]).toBeNull();
  });

  it("reports a failing query's error and goes on", () => {
    expect(() => [...db.prepare('SELECT 1 / (id - 30000) FROM t ORDER BY id').raw().iterate()]).toThrow(expect.objectContaining({ code: '22012' }));
    expect(db.inTransaction).toBe(false);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(60000);
  });
});
