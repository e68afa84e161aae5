import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.js';
import { BIN, ROOT, type RunResult, type Sandbox } from '../helpers/cli.js';
import { engineSandbox, freshPgUrl } from '../helpers/engines.js';

const server = process.env.CARNET_TEST_PG_URL;

/** One carnet process, not waited for: several run at once. */
function start(db: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', CARNET_DB: db },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

// PGlite serves one session at a time: several writers at once need a real server.
describe.skipIf(!server)('several carnet processes writing to one PostgreSQL database at once (needs CARNET_TEST_PG_URL: a real server; skipped on PGlite) [postgres]', () => {
  let box: Sandbox;
  const N = 8;
  beforeAll(async () => {
    box = await engineSandbox('postgres');
    expect(box.run(['init']).code).toBe(0);
    expect(box.run(['add', '--first-name', 'Ada', '--last-name', 'Lovelace', '--email', 'ada@example.org']).code).toBe(0);
    for (let i = 1; i <= N; i++) expect(box.run(['category', 'add', `C${i}`]).code).toBe(0);
  });
  afterAll(() => box?.cleanup());

  it('several carnets opening a new schema at once: one creates it, the others wait and use it', async () => {
    const fresh = await freshPgUrl();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => start(fresh, i % 2 ? ['list', '--json'] : ['add', '--first-name', `F${i}`, '--last-name', 'First'])));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const db = openDatabase(fresh, { migrate: false });
    try {
      expect(db.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(3);
    } finally {
      db.close();
    }
  }, 300_000);

  it('loses no update and fails on no lock: two imports, categorise, tags, new customers and edits all land, and readers read meanwhile', async () => {
    const files = [1, 2].map((f) => {
      const path = join(box.dir, `import-${f}.csv`);
      const lines = Array.from({ length: 300 }, (_, i) => `Nom${f}x${i};Prénom${i};f${f}.p${i}@exemple.fr;Lyon`);
      writeFileSync(path, ['nom;prénom;email;ville', ...lines].join('\n'));
      return path;
    });
    const jobs: Promise<RunResult>[] = [start(box.db, ['import', files[0]!, '-q']), start(box.db, ['categorise', '-q']), start(box.db, ['import', files[1]!, '-q'])];
    for (let i = 1; i <= N; i++) {
      jobs.push(start(box.db, ['tag', '1', `C${i}`]));
      jobs.push(start(box.db, ['add', '--first-name', `P${i}`, '--last-name', 'Writer', '--email', `p${i}@example.org`]));
      jobs.push(start(box.db, ['edit', '1', '--set', `city=Ville${i}`]));
      jobs.push(start(box.db, ['list', '--json']));
    }
    const results = await Promise.all(jobs);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const db = openDatabase(box.db, { migrate: false });
    try {
      const cats = db.prepare(`SELECT c.name FROM customer_categories cc JOIN categories c ON c.id = cc.category_id WHERE cc.customer_id = 1 ORDER BY c.name`).pluck().all();
      expect(cats).toEqual(Array.from({ length: N }, (_, i) => `C${i + 1}`).sort());
      expect(db.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(N + 1 + 600);
      expect(db.prepare('SELECT count(*) FROM import_runs').pluck().get()).toBe(2);
      expect(db.prepare('SELECT city FROM customers WHERE id = 1').pluck().get()).toMatch(/^Ville\d$/);
      // each change is in the audit log, with who made it
      expect(db.prepare(`SELECT count(*) FROM audit_log WHERE actor LIKE '% (role %)'`).pluck().get()).toBeGreaterThanOrEqual(3 * N);
    } finally {
      db.close();
    }
  }, 300_000);
});
