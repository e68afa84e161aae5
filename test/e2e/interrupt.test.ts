import { spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBulkDb } from '../helpers/bulk-db.js';
import { BIN, ROOT, sandbox, type Sandbox } from '../helpers/cli.js';

/**
 * Issue 18: a long operation interrupted with Ctrl-C (a real SIGINT to the
 * running binary) leaves the file exactly as before, with integrity ok.
 */
const NOW = '2026-11-23T10:00:00.000Z';

interface Interrupted {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  sent: boolean;
}

/** Runs carnet and sends SIGINT once `ready()` says the work is under way (polled every 10 ms). */
function interruptWhen(args: string[], env: Record<string, string>, ready: () => boolean): Promise<Interrupted> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', CI: 'true', ...env } });
    let stderr = '';
    let sent = false;
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.stdout.resume();
    const timer = setInterval(() => {
      if (!sent && p.exitCode === null && ready()) {
        sent = p.kill('SIGINT');
        clearInterval(timer);
      }
    }, 10);
    p.on('close', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, stderr, sent });
    });
  });
}

/** Everything a command could change, as one comparable value. */
function fingerprint(db: string): Record<string, unknown> {
  const d = new Database(db, { readonly: true });
  try {
    const one = (sql: string) => d.prepare(sql).get();
    return {
      customers: one("SELECT count(*) AS n, total(id) AS ids, sum(length(coalesce(email, ''))) AS e FROM customers"),
      statuses: one(`SELECT group_concat(status, ',') AS s FROM (SELECT status FROM customers ORDER BY id)`),
      sales: one('SELECT count(*) AS n FROM sales'),
      categories: one('SELECT count(*) AS n FROM customer_categories'),
      merges: one('SELECT count(*) AS n FROM merges'),
      suppressions: one('SELECT count(*) AS n FROM suppressions'),
      audit: one('SELECT count(*) AS n FROM audit_log'),
      triggers: one(`SELECT group_concat(name) AS t FROM (SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name)`),
    };
  } finally {
    d.close();
  }
}

const walBytes = (db: string) => (existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0);

describe('Ctrl-C in the middle of a long operation', () => {
  let s: Sandbox;
  beforeAll(() => {
    s = sandbox('carnet-interrupt-');
    buildBulkDb(s.db, 30_000, NOW);
  }, 120_000);
  afterAll(() => s.cleanup());

  const doctorOk = () => {
    const r = s.run(['doctor', '--json']);
    return (JSON.parse(r.stdout) as { integrity: string[] }).integrity;
  };

  it('purge: exit 130, nothing erased, integrity ok', async () => {
    const before = fingerprint(s.db);
    const base = walBytes(s.db);
    const r = await interruptWhen(['rgpd', 'purge', '--yes'], { CARNET_DB: s.db, CARNET_NOW: NOW }, () => walBytes(s.db) > base + 256 * 1024);
    expect(r.sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('cancelled: nothing was changed');
    expect(fingerprint(s.db)).toEqual(before);
    expect(doctorOk()).toEqual(['ok']);
  }, 120_000);

  it('categorise (one synchronous transaction): the process ends at once, nothing changed, integrity ok', async () => {
    const before = fingerprint(s.db);
    const base = walBytes(s.db);
    const r = await interruptWhen(['categorise'], { CARNET_DB: s.db, CARNET_NOW: NOW }, () => walBytes(s.db) > base + 256 * 1024);
    expect(r.sent).toBe(true);
    // ended by the signal itself (the shell reports 130), or at the exit 130 of the listener
    expect(r.signal === 'SIGINT' || r.code === 130).toBe(true);
    expect(fingerprint(s.db)).toEqual(before);
    expect(doctorOk()).toEqual(['ok']);
  }, 120_000);

  it('dedupe --auto: Ctrl-C during the search is heard before the first merge: exit 130, nothing merged', async () => {
    const before = fingerprint(s.db);
    const started = Date.now();
    const r = await interruptWhen(['dedupe', '--auto'], { CARNET_DB: s.db, CARNET_NOW: NOW }, () => Date.now() - started > 1500);
    expect(r.sent).toBe(true);
    expect(r.code).toBe(130);
    expect(fingerprint(s.db)).toEqual(before);
    expect(doctorOk()).toEqual(['ok']);
  }, 120_000);

  it('import: exit 130 while the file is being read, nothing imported', async () => {
    const csv = join(s.dir, 'gros.csv');
    const lines = ['Nom;Prénom;E-mail;Ville'];
    for (let i = 0; i < 300_000; i++) lines.push(`Nouveau${i};Jean;jean.nouveau${i}@exemple.fr;Lyon`);
    writeFileSync(csv, lines.join('\n') + '\n');
    const before = fingerprint(s.db);
    const started = Date.now();
    const r = await interruptWhen(['import', csv], { CARNET_DB: s.db, CARNET_NOW: NOW }, () => Date.now() - started > 700);
    expect(r.sent).toBe(true);
    expect(r.signal === 'SIGINT' || r.code === 130).toBe(true);
    expect(fingerprint(s.db)).toEqual(before);
    expect(doctorOk()).toEqual(['ok']);
  }, 120_000);
});
