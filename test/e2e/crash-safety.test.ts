import { appendFileSync, copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCarnet } from '../helpers/cli.js';
import { buildBulkDb, integrity, rng, tableDigest } from '../helpers/bulk-db.js';
import { tempDir } from '../helpers/ctx.js';
import { runAndKill } from '../helpers/kill.js';

/**
 * Power cuts in the middle of the work (SIGKILL at random moments): the file
 * must stay sound, the operation wholly there or wholly absent, and running it
 * again must finish the job. The long version (20 kills each) is `npm run bench -- soak`.
 */
const KILLS = Number(process.env.CARNET_CRASH_KILLS ?? 3);
const SIZE = Number(process.env.CARNET_CRASH_SIZE ?? 6000);
const NOW = '2026-11-23T10:00:00.000Z';
const env = (db: string) => ({ CARNET_DB: db, CARNET_NOW: NOW });
const t = tempDir('carnet-crash-');
let base = '';
afterAll(() => t.cleanup());
beforeAll(() => {
  base = join(t.dir, 'base.db');
  buildBulkDb(base, SIZE, NOW);
});

function copyOf(name: string): string {
  const p = join(t.dir, `${name}.db`);
  copyFileSync(base, p);
  return p;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The long version (bench/soak.js) collects what happened here. */
function report(row: Record<string, unknown>): void {
  if (process.env.CARNET_SOAK_REPORT) appendFileSync(process.env.CARNET_SOAK_REPORT, JSON.stringify(row) + '\n');
}

/** Runs the operation whole once to learn its end state and duration, then kills copies of the start state. */
async function crashScenario(name: string, args: string[], countOnly: string[] = [], okCodes = [0]) {
  const before = tableDigest(base, countOnly);
  const whole = copyOf(`${name}-whole`);
  const t0 = Date.now();
  const done = runCarnet(args, { env: env(whole) });
  const duration = Date.now() - t0;
  expect(okCodes, done.stderr).toContain(done.code);
  const after = tableDigest(whole, countOnly);
  expect(after, 'the operation changes something').not.toEqual(before);
  const r = rng(name.length * 7919);
  let killedMidway = 0;
  let wholeOrNothing = 0;
  let finished = 0;
  let factor = 0.7;
  // A kill that comes after the work ended proves nothing: try again, sooner, up to 3 times as many runs.
  for (let k = 0; k < KILLS * 3 && killedMidway < KILLS; k++) {
    const db = copyOf(`${name}-kill-${k}`);
    const delay = Math.floor(duration * (0.1 + (factor - 0.1) * r()));
    const run = await runAndKill(args, env(db), delay);
    expect(existsSync(db)).toBe(true);
    expect(integrity(db)).toBe('ok');
    const state = tableDigest(db, countOnly);
    expect([before, after], `after a kill at ${delay} ms the state is the start or the end`).toContainEqual(state);
    wholeOrNothing++;
    if (!run.killed) {
      factor = Math.max(0.15, factor / 2);
      continue;
    }
    killedMidway++;
    if (same(state, before)) {
      // Interrupted before its commit: running it again finishes the job.
      const again = runCarnet(args, { env: env(db) });
      expect(okCodes, again.stderr).toContain(again.code);
      expect(tableDigest(db, countOnly)).toEqual(after);
      finished++;
    } else {
      factor = Math.max(0.15, factor / 2); // killed after the commit: the job was done
    }
  }
  report({ operation: name, 'kills survived': killedMidway, 'integrity ok': wholeOrNothing, 'whole or nothing': wholeOrNothing, 'interrupted, finished on re-run': finished, 'rows lost': 0 });
  expect(killedMidway, 'at least one kill landed while the work was running').toBeGreaterThan(0);
}

/** A customers file of n rows, with a few rows the import rejects. */
function customersCsv(path: string, n: number): void {
  const lines = ['Réf;Prénom;Nom;E-mail;Téléphone;Code postal;Ville;Newsletter'];
  for (let i = 1; i <= n; i++) {
    const email = i % 997 === 0 ? 'pas-un-email' : `client${i}@example.fr`;
    lines.push(`R${i};Zoé;Martin${i};${email};06 ${String(10000000 + i).replace(/(\d\d)(?=\d)/g, '$1 ')};69003;Lyon;${i % 3 === 0 ? 'oui' : 'non'}`);
  }
  writeFileSync(path, lines.join('\r\n') + '\r\n');
}

describe('crash safety: SIGKILL at random moments', () => {
  it('import: a killed import leaves all of the file or none of it', async () => {
    const csv = join(t.dir, 'clients.csv');
    customersCsv(csv, SIZE * 4);
    // New customers get random uids and the rejects file a fresh name: compare counts.
    const all = ['audit_log', 'categories', 'consents', 'contacts', 'customer_categories', 'customer_import_runs', 'customers', 'import_runs', 'interactions', 'merges', 'sales', 'settings', 'suppressions'];
    await crashScenario('import', ['import', csv, '--rejects', join(t.dir, 'rejects.csv')], all, [0, 3]);
  });

  it('dedupe --auto: every merge of the run or none', async () => {
    await crashScenario('dedupe', ['dedupe', '--auto']);
  });

  it('categorise: all of its category and status changes or none', async () => {
    await crashScenario('categorise', ['categorise']);
  });

  it('rgpd purge: all of the retention run or none', async () => {
    // The suppression salt is random per file, so hashes are compared by count.
    await crashScenario('purge', ['rgpd', 'purge', '--yes'], ['settings', 'suppressions']);
  });
});
