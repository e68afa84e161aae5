import { copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { MIGRATIONS_DIR, listMigrations } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open.js';
import { tempDir } from '../helpers/ctx.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const migrations = join(t.dir, 'migrations');
  mkdirSync(migrations);
  copyFileSync(join(MIGRATIONS_DIR, '0001_init.sql'), join(migrations, '0001_init.sql'));
  return { dir: t.dir, migrations, db: join(t.dir, 'carnet.db') };
}

const NOW = '2026-01-01T00:00:00.000Z';

describe('migration runner', () => {
  it('creates a fresh database at the latest level, mode 0600, in WAL mode', () => {
    const { db: path, migrations } = setup();
    const db = openDatabase(path, { migrationsDir: migrations });
    expect(db.prepare('SELECT name FROM schema_migrations').all()).toEqual([{ name: '0001_init' }]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    db.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('upgrades a database made by the first migration, keeping its data, after taking a backup', () => {
    const { dir, db: path, migrations } = setup();
    const db1 = openDatabase(path, { migrationsDir: migrations });
    db1
      .prepare(`INSERT INTO customers (uid, kind, last_name, email, email_norm, created_at, updated_at) VALUES ('u1', 'person', 'Meyer', 'E@x.fr', 'e@x.fr', ?, ?)`)
      .run(NOW, NOW);
    db1.close();

    writeFileSync(
      join(migrations, '0002_loyalty.sql'),
      `ALTER TABLE customers ADD COLUMN loyalty_points INTEGER NOT NULL DEFAULT 0;
       CREATE TABLE loyalty_events (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id));`,
    );
    const db2 = openDatabase(path, { migrationsDir: migrations });
    expect(db2.prepare('SELECT name FROM schema_migrations ORDER BY name').all()).toEqual([{ name: '0001_init' }, { name: '0002_loyalty' }]);
    expect(db2.prepare('SELECT last_name, email_norm, loyalty_points FROM customers').get()).toEqual({ last_name: 'Meyer', email_norm: 'e@x.fr', loyalty_points: 0 });
    // the FTS triggers still work on the upgraded table
    expect(db2.prepare(`SELECT rowid FROM customers_fts WHERE customers_fts MATCH 'meyer'`).all()).toHaveLength(1);
    db2.close();

    const backups = readdirSync(dir).filter((f) => f.includes('before-upgrade'));
    expect(backups).toHaveLength(1);
    expect(statSync(join(dir, backups[0]!)).mode & 0o777).toBe(0o600);
  });

  it('refuses a database written by a newer program with exit code 5', () => {
    const { db: path, migrations } = setup();
    const db = openDatabase(path, { migrationsDir: migrations });
    db.prepare(`INSERT INTO schema_migrations (name, applied_at) VALUES ('0099_future', ?)`).run(NOW);
    db.close();
    let caught: unknown;
    try {
      openDatabase(path, { migrationsDir: migrations });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).exitCode).toBe(5);
    expect((caught as AppError).message).toMatch(/newer carnet/);
  });

  it('applies nothing twice and a failing migration leaves the previous level whole', () => {
    const { db: path, migrations } = setup();
    openDatabase(path, { migrationsDir: migrations }).close();
    writeFileSync(join(migrations, '0002_broken.sql'), `CREATE TABLE half_done (id INTEGER); THIS IS NOT SQL;`);
    expect(() => openDatabase(path, { migrationsDir: migrations })).toThrow();
    const db = openDatabase(path, { migrate: false });
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'`).get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 1 });
    db.close();
  });

  it('ships migrations named NNNN_name.sql in order', () => {
    const names = listMigrations().map((m) => m.name);
    expect(names[0]).toBe('0001_init');
    expect([...names].sort()).toEqual(names);
  });
});
