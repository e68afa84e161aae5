import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgError } from '../../src/db/pg/errors.js';
import { Store, TX_ATTEMPTS } from '../../src/db/store.js';
import { freshPgUrl, PG_START_MS } from '../helpers/engines.js';

/** Store.tx on PostgreSQL: writers' transactions, retried when the server says another session was in the way. */
describe('Store.tx on PostgreSQL', () => {
  let store: Store;
  beforeAll(async () => {
    store = Store.open(await freshPgUrl());
  }, PG_START_MS);
  afterAll(() => store?.close());

  const settings = () => store.db.prepare(`SELECT count(*) FROM settings WHERE key LIKE 'test.%'`).pluck().get();

  it('runs fn again after a serialization failure or a deadlock, and commits once', () => {
    let calls = 0;
    const result = store.tx(() => {
      calls++;
      store.db.prepare(`INSERT INTO settings (key, value) VALUES (?, 'x')`).run(`test.${calls}`);
      if (calls < 3) throw new PgError({ message: calls === 1 ? 'could not serialize access' : 'deadlock detected', code: calls === 1 ? '40001' : '40P01' });
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
    // the two failed attempts were rolled back: only the third one's row is there
    expect(settings()).toBe(1);
    expect(store.db.inTransaction).toBe(false);
  });

  it(`gives up after ${TX_ATTEMPTS} attempts with exit 5 and a clear message, having changed nothing`, () => {
    let calls = 0;
    const attempt = () =>
      store.tx(() => {
        calls++;
        store.db.prepare(`INSERT INTO settings (key, value) VALUES (?, 'y')`).run(`test.busy${calls}`);
        throw new PgError({ message: 'could not obtain lock', code: '55P03' });
      });
    expect(attempt).toThrow(expect.objectContaining({ exitCode: 5, message: expect.stringMatching(/5 attempts/) }));
    expect(calls).toBe(TX_ATTEMPTS);
    expect(settings()).toBe(1);
  });

  it('does not retry other errors, and a nested tx is a savepoint', () => {
    let calls = 0;
    expect(() =>
      store.tx(() => {
        calls++;
        throw new Error('a bug');
      }),
    ).toThrow('a bug');
    expect(calls).toBe(1);
    store.tx(() => {
      store.db.prepare(`INSERT INTO settings (key, value) VALUES ('test.outer', 'o')`).run();
      expect(() =>
        store.tx(() => {
          store.db.prepare(`INSERT INTO settings (key, value) VALUES ('test.inner', 'i')`).run();
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    expect(store.db.prepare(`SELECT key FROM settings WHERE key IN ('test.outer', 'test.inner')`).pluck().all()).toEqual(['test.outer']);
  });

  it('names the database role beside the OS user for the audit log', () => {
    expect(store.actorOf('alice')).toMatch(/^alice \(role [^)]+\)$/);
  });
});
