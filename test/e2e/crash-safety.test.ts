import { copyFileSync, existsSync } from 'node:fs';
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
const NOW = '2026-11-23T10:00:00.000Z';
const env = (db: string) => ({ CARNET_DB: db, CARNET_NOW: NOW });
const t = tempDir('carnet-crash-');
let base = '';
afterAll(() => t.cleanup());
beforeAll(() => {
  base = join(t.dir, 'base.db');
  buildBulkDb(base, 20_000, NOW);
});

function copyOf(name: string): string {
  const p = join(t.dir, `${name}.db`);
  copyFileSync(base, p);
  return p;
}

/** Runs the operation whole once to learn its end state and duration, then kills copies of the start state. */
async function crashScenario(name: string, args: string[], countOnly: string[] = []) {
  const before = tableDigest(base, countOnly);
  const whole = copyOf(`${name}-whole`);
  const t0 = Date.now();
  const done = runCarnet(args, { env: env(whole) });
  const duration = Date.now() - t0;
  expect(done.code, done.stderr).toBe(0);
  const after = tableDigest(whole, countOnly);
  expect(after, 'the operation changes something').not.toEqual(before);
  const r = rng(name.length * 7919);
  let killedMidway = 0;
  for (let k = 0; k < KILLS; k++) {
    const db = copyOf(`${name}-kill-${k}`);
    const delay = Math.floor(duration * (0.2 + 0.75 * r()));
    const run = await runAndKill(args, env(db), delay);
    if (run.killed) killedMidway++;
    expect(existsSync(db)).toBe(true);
    expect(integrity(db)).toBe('ok');
    const state = tableDigest(db, countOnly);
    expect([before, after], `after a kill at ${delay} ms the state is the start or the end`).toContainEqual(state);
    const again = runCarnet(args, { env: env(db) });
    expect(again.code, again.stderr).toBe(0);
    expect(tableDigest(db, countOnly)).toEqual(after);
  }
  expect(killedMidway, 'at least one kill landed while the work was running').toBeGreaterThan(0);
}

describe('crash safety: SIGKILL at random moments', () => {
  it('categorise: all of its category and status changes or none', async () => {
    await crashScenario('categorise', ['categorise']);
  });

  it('rgpd purge: all of the retention run or none', async () => {
    // The suppression salt is random per file, so hashes are compared by count.
    await crashScenario('purge', ['rgpd', 'purge', '--yes'], ['settings', 'suppressions']);
  });
});
