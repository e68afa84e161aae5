import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCarnet } from '../helpers/cli.js';
import { tempDir } from '../helpers/ctx.js';

/**
 * carnet writes only to databases it created: a zero-byte file, an empty
 * SQLite file or another program's database is refused (exit 3) by every
 * command, untouched to the byte; `carnet init` adopts the empty ones.
 */
const t = tempDir('carnet-foreign-');
afterAll(() => t.cleanup());

const COMMANDS = [['list'], ['add', '--last-name', 'X'], ['stats'], ['doctor'], ['search', 'x'], ['export'], ['categorise'], ['rgpd', 'purge', '--yes']];

function refusedByAll(db: string, message: RegExp): void {
  const bytes = readFileSync(db);
  for (const args of COMMANDS) {
    const r = runCarnet(args, { env: { CARNET_DB: db } });
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(3);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/bug in carnet|already exists/);
    expect(readFileSync(db).equals(bytes), args.join(' ')).toBe(true);
  }
  expect(readdirSync(t.dir).filter((f) => f.endsWith('-wal') || f.endsWith('-shm') || f.endsWith('.tmp'))).toEqual([]);
}

describe('files carnet does not own', () => {
  it('a zero-byte file is refused by every command; `carnet init` adopts it (0600)', () => {
    const db = join(t.dir, 'zero.db');
    writeFileSync(db, '', { mode: 0o644 });
    refusedByAll(db, /zero\.db is an empty file \(0 bytes\), not a carnet database.* run `carnet init --db /);
    const init = runCarnet(['init'], { env: { CARNET_DB: db } });
    expect(init.code).toBe(0);
    expect(init.stderr).toMatch(/^created: .*zero\.db/m);
    expect(statSync(db).mode & 0o777).toBe(0o600);
    expect(runCarnet(['list'], { env: { CARNET_DB: db } }).code).toBe(0);
  }, 120_000);

  it('an empty SQLite database (no tables) likewise', () => {
    const db = join(t.dir, 'empty.db');
    new Database(db).exec('VACUUM').close();
    refusedByAll(db, /empty\.db is an empty SQLite database \(no tables\)/);
    expect(runCarnet(['init'], { env: { CARNET_DB: db } }).code).toBe(0);
    expect(runCarnet(['add', '--last-name', 'Ok'], { env: { CARNET_DB: db } }).code).toBe(0);
  }, 120_000);

  it('another program\'s database, even with a `customers` table, is refused by every command, init included', () => {
    for (const [name, sql] of [
      ['shop.db', 'CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, \'Mine\')'],
      ['rails.db', 'CREATE TABLE schema_migrations (version TEXT PRIMARY KEY); INSERT INTO schema_migrations VALUES (\'20240101\')'],
      ['notes.db', 'CREATE TABLE notes (body TEXT)'],
    ] as const) {
      const db = join(t.dir, name);
      new Database(db).exec(sql).close();
      refusedByAll(db, /is a database of another program \(tables: .*\), not a carnet database: nothing was written to it/);
      const init = runCarnet(['init'], { env: { CARNET_DB: db } });
      expect(init.code).toBe(3);
      const check = new Database(db, { readonly: true });
      expect(check.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'audit_log'`).pluck().get()).toBe(0);
      check.close();
    }
  }, 180_000);

  it('random bytes: exit 3, not "a bug"', () => {
    const db = join(t.dir, 'random.db');
    writeFileSync(db, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 251)));
    const r = runCarnet(['list'], { env: { CARNET_DB: db } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/not a carnet database/);
  });
});

describe("carnet's own files", () => {
  it('-wal and -shm are 0600 even when the database was made 0644; doctor says how to fix the database', () => {
    const db = join(t.dir, 'loose.db');
    expect(runCarnet(['add', '--last-name', 'Avant'], { env: { CARNET_DB: db } }).code).toBe(0);
    chmodSync(db, 0o644);
    expect(existsSync(`${db}-wal`)).toBe(false);
    // SQLite would give the journal files the database's mode (and chmod an empty one to it): carnet makes them first.
    const r = runCarnet(['doctor'], { env: { CARNET_DB: db } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/loose\.db-wal mode 600\n/);
    expect(r.stdout).toMatch(/loose\.db-shm mode 600\n/);
    expect(r.stdout).toMatch(/loose\.db is mode 644: other users can read personal data \(chmod 600 .*loose\.db\)/);
  });

  it('a new database is never seen half-made: created whole under a temporary name, 0600', () => {
    const db = join(t.dir, 'sub', 'fresh.db');
    expect(runCarnet(['list'], { env: { CARNET_DB: db } }).code).toBe(0);
    expect(statSync(db).mode & 0o777).toBe(0o600);
    expect(statSync(join(t.dir, 'sub')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(t.dir, 'sub'))).toEqual(['fresh.db']);
  });
});
