import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DIALECTS } from '../../src/db/dialect.js';
import { listMigrations, migrationsDirOf } from '../../src/db/migrate.js';
import { openDatabase, type Db } from '../../src/db/open.js';
import { tempDir } from '../helpers/ctx.js';
import { forEachEngine, freshPgUrlSync, type TestEngine } from '../helpers/engines.js';

const t = tempDir();
afterAll(() => t.cleanup());
const NOW = '2026-01-01T00:00:00.000Z';

function seed(db: Db): void {
  db.prepare(`INSERT INTO customers (id, uid, kind, first_name, last_name, email, email_norm, city, extra, created_at, updated_at)
              VALUES (1, 'u-1', 'person', 'Élodie', 'Meyer', 'E@x.fr', 'e@x.fr', 'Lyon', '{"Taille":"M"}', @t, @t)`).run({ t: NOW });
  db.prepare(`INSERT INTO sales (customer_id, kind, number, issued_on, amount_cents, status, created_at, updated_at)
              VALUES (1, 'invoice', 'F-1', '2025-01-01', 12050, 'paid', @t, @t)`).run({ t: NOW });
  db.prepare(`INSERT INTO consents (customer_id, channel, state, source, recorded_at) VALUES (1, 'email', 'granted', 'form', @t)`).run({ t: NOW });
  db.prepare(`INSERT INTO categories (id, name, created_at) VALUES (1, 'VIP', @t)`).run({ t: NOW });
  db.prepare(`INSERT INTO customer_categories (customer_id, category_id, assigned_by, assigned_at) VALUES (1, 1, 'manual', @t)`).run({ t: NOW });
  db.prepare(`INSERT INTO audit_log (at, action, subject) VALUES (@t, 'customer.add', 'u-1')`).run({ t: NOW });
}

/**
 * The customers a full-text search finds. SQLite's FTS5 table has kept its shape since level 1;
 * PostgreSQL's index expression lost the email at 0005: a database below it is searched its level's way.
 */
function ftsIds(db: Db, engine: TestEngine): number[] {
  const d = DIALECTS[engine];
  const match = d.ftsQuery(['elodie']);
  if (engine === 'sqlite') return db.prepare(`SELECT rowid FROM customers_fts WHERE customers_fts MATCH @match`).pluck().all({ match }) as number[];
  const old = db.prepare(`SELECT 1 FROM pg_proc WHERE proname = 'carnet_fts_doc' AND pronamespace = current_schema()::regnamespace AND pronargs = 6`).get();
  if (old === undefined) return (db.prepare(d.ftsSearchSql('')).all({ match, limit: 10 }) as { id: number }[]).map((r) => r.id);
  return db
    .prepare(`SELECT id FROM customers c WHERE carnet_fts_doc(c.first_name, c.last_name, c.company_name, c.email, c.city, c.notes) @@ CAST(@match AS tsquery)`)
    .pluck()
    .all({ match }) as number[];
}

function snapshot(db: Db, engine: TestEngine) {
  return {
    customer: db.prepare('SELECT uid, first_name, last_name, email_norm, city, extra FROM customers').all(),
    sales: db.prepare('SELECT customer_id, kind, number, amount_cents, status FROM sales').all(),
    consents: db.prepare('SELECT customer_id, channel, state, source FROM consents').all(),
    categories: db.prepare('SELECT customer_id, category_id, assigned_by FROM customer_categories').all(),
    audit: db.prepare('SELECT action, subject FROM audit_log').all(),
    fts: ftsIds(db, engine),
  };
}

forEachEngine('upgrade from every earlier schema level', (engine) => {
  const source = migrationsDirOf(engine);
  const all = listMigrations(source);
  // Level k = a database made by a program that knew the first k migrations.
  for (let k = 1; k < Math.max(all.length, 2); k++) {
    it(`level ${k} (${all[k - 1]?.name ?? 'n/a'}) upgrades to ${all[all.length - 1]?.name} with its data intact`, () => {
      if (all.length < 2) {
        // Only one level shipped yet: the runner's upgrade path is covered by migrate.test.ts.
        expect(all.map((m) => m.name)).toEqual(['0001_init']);
        return;
      }
      const dir = join(t.dir, `${engine}-level-${k}`);
      const migrations = join(dir, 'migrations');
      mkdirSync(migrations, { recursive: true });
      const files = readdirSync(source).filter((f) => f.endsWith('.sql')).sort();
      for (const f of files.slice(0, k)) copyFileSync(join(source, f), join(migrations, f));
      const path = engine === 'sqlite' ? join(dir, 'carnet.db') : freshPgUrlSync();
      const old = openDatabase(path, { migrationsDir: migrations });
      seed(old);
      const before = snapshot(old, engine);
      expect(before.fts).toEqual([1]);
      old.close();
      const upgraded = openDatabase(path);
      expect((upgraded.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(all.length);
      expect(snapshot(upgraded, engine)).toEqual(before);
      // SQLite's file: its integrity check, and the copy taken before upgrading (a server is backed up by its own tools).
      if (engine === 'sqlite') expect(upgraded.pragma('integrity_check', { simple: true })).toBe('ok');
      upgraded.close();
      if (engine === 'sqlite') expect(readdirSync(dir).some((f) => f.includes('before-upgrade'))).toBe(true);
    });
  }
});
