import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.js';
import { listMigrations, migrationsDirOf } from '../../src/db/migrate.js';
import { runCarnet } from '../helpers/cli.js';
import { engineSandbox, freshPgUrl, PG_START_MS } from '../helpers/engines.js';
import type { Sandbox } from '../helpers/cli.js';

/** carnet on a PostgreSQL URL, as a team member types it. */
describe('carnet --db postgres://… [postgres]', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await engineSandbox('postgres');
  }, PG_START_MS);
  afterAll(() => box?.cleanup());

  it('creates its schema on first use, adds and lists, and never makes a folder named postgres:', () => {
    const init = box.run(['init']);
    expect(init.code, init.stderr).toBe(0);
    const latest = listMigrations(migrationsDirOf('postgres')).at(-1)?.name ?? 'none';
    expect(init.stderr).toContain('created: postgres://');
    expect(init.stderr).toContain(`(schema ${latest})`);
    expect(box.run(['add', '--first-name', 'Élodie', '--last-name', 'Meyer', '--email', 'elodie.meyer@sfr.fr'], { cwd: box.dir }).code).toBe(0);
    const list = box.json<{ email: string }[]>(['list']);
    expect(list.map((c) => c.email)).toEqual(['elodie.meyer@sfr.fr']);
    expect(existsSync(join(box.dir, 'postgres:'))).toBe(false);
    expect(box.run(['init']).stderr).toMatch(/already there/);
  });

  it('doctor names the role, the privileges carnet needs and what it cannot reach', () => {
    const r = box.json<{ ok: boolean; files: unknown[]; server: { role: string; privileges: { granted: boolean }[]; extensions: string[]; beyondReach: string[] } }>(['doctor']);
    expect(r.ok).toBe(true);
    expect(r.files).toEqual([]);
    expect(r.server.privileges.every((p) => p.granted)).toBe(true);
    expect(r.server.extensions).toEqual([]);
    expect(r.server.beyondReach.join(' ')).toMatch(/WAL archives.*base backups.*replicas.*pg_stat_statements/s);
  });

  it('records who made a change: the OS user and the database role', () => {
    const db = openDatabase(box.db, { migrate: false });
    const actors = db.prepare('SELECT DISTINCT actor FROM audit_log').pluck().all() as string[];
    db.close();
    expect(actors.length).toBeGreaterThan(0);
    for (const a of actors) expect(a).toMatch(/^\S+ \(role [^)]+\)$/);
  });

  it('an unreachable server is exit 5, in words, without the password', () => {
    const r = runCarnet(['list'], { env: { CARNET_DB: 'postgres://alice:s3cret@/crm?host=/nonexistent/dir' } });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/cannot reach the PostgreSQL server/);
    expect(r.stderr).not.toContain('s3cret');
  });

  it('refuses --schema with a file, and a schema of another application with exit 3', async () => {
    expect(runCarnet(['--db', join(box.dir, 'x.db'), '--schema', 'x', 'list']).code).toBe(2);
    const url = await freshPgUrl();
    const mk = runCarnet(['init'], { env: { CARNET_DB: url } });
    expect(mk.code, mk.stderr).toBe(0);
    // the same server, another application's schema: the audit table's schema name under a different schema
    const other = url.replace(/schema=([a-z0-9_]+)/, 'schema=information_schema');
    const r = runCarnet(['list'], { env: { CARNET_DB: other } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/belongs to another application/);
  });
});
