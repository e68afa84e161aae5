import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCarnet, type RunResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/ctx.js';

/**
 * A read-only mount, a database folder or file we may not write: the
 * machine's state, said as such (exit 6, what to do, nothing changed), never
 * "a bug in carnet". Root is needed to mount a read-only tmpfs and to run
 * carnet as another user (root itself ignores file modes); otherwise the
 * tests say why and skip.
 */
const root = process.getuid?.() === 0;
const t = tempDir('carnet-ro-');
chmodSync(t.dir, 0o755);
const mnt = join(t.dir, 'ro');
mkdirSync(mnt);
const mounted = root && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]).status === 0;
if (!root) console.warn('read-only tests skipped: they need root (to mount a tmpfs read-only and to run carnet as nobody)');
afterAll(() => {
  if (mounted) spawnSync('umount', [mnt]);
  t.cleanup();
});

const NOBODY = 65534;

/** carnet as the user nobody, for whom file modes count. */
function asNobody(args: string[], db: string): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: '/tmp', LANG: 'C.UTF-8', CI: 'true', CARNET_DB: db },
    encoding: 'utf8',
    uid: NOBODY,
    gid: NOBODY,
    timeout: 60_000,
  });
  return { code: r.status ?? 1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

function machineState(r: RunResult, what: RegExp): void {
  expect(r.code, r.stderr).toBe(6);
  expect(r.stderr).toMatch(what);
  expect(r.stderr).toMatch(/nothing was changed/);
  expect(r.stderr).not.toMatch(/bug in carnet|^\s+at /m);
}

describe.skipIf(!mounted)('a read-only mount (EROFS)', () => {
  it('init, list and add say the disk is mounted read-only (exit 6); the file is as it was', () => {
    const db = join(mnt, 'carnet.db');
    expect(runCarnet(['add', '--last-name', 'Avant'], { env: { CARNET_DB: db } }).code).toBe(0);
    const before = statSync(db).mtimeMs;
    expect(spawnSync('mount', ['-o', 'remount,ro', mnt]).status).toBe(0);
    try {
      machineState(runCarnet(['init'], { env: { CARNET_DB: join(mnt, 'new', 'carnet.db') } }), /the disk holding .*ro.* is mounted read-only/);
      machineState(runCarnet(['list'], { env: { CARNET_DB: db } }), /mounted read-only/);
      machineState(runCarnet(['add', '--last-name', 'Après'], { env: { CARNET_DB: db } }), /mounted read-only/);
      machineState(runCarnet(['export', '--out', join(mnt, 'out.csv')], { env: { CARNET_DB: join(t.dir, 'other.db') } }), /mounted read-only/);
      expect(statSync(db).mtimeMs).toBe(before);
    } finally {
      spawnSync('mount', ['-o', 'remount,rw', mnt]);
    }
    const list = runCarnet(['list', '--json'], { env: { CARNET_DB: db } });
    expect((JSON.parse(list.stdout) as { last_name: string }[]).map((c) => c.last_name)).toEqual(['Avant']);
  });
});

describe.skipIf(!root)('a folder or a database we may not write', () => {
  it('a database folder that is not writable: list says so and what to do (it was "attempt to write a readonly database", exit 1)', () => {
    const dir = join(t.dir, 'locked');
    mkdirSync(dir, { mode: 0o755 });
    const db = join(dir, 'carnet.db');
    expect(runCarnet(['add', '--last-name', 'Avant'], { env: { CARNET_DB: db } }).code).toBe(0);
    chmodSync(db, 0o666); // the file itself is writable for everyone: only the folder is not
    const r = asNobody(['list'], db);
    machineState(r, /the folder .*locked is not writable for you/);
    expect(r.stderr).toMatch(/chmod u\+w/);
    expect(readdirSync(dir).sort()).toEqual(['carnet.db']);
  });

  it('a database file that is read-only: add says so (exit 6) and adds nothing; list still works', () => {
    const dir = join(t.dir, 'mine');
    mkdirSync(dir, { mode: 0o755 });
    const db = join(dir, 'carnet.db');
    expect(runCarnet(['add', '--last-name', 'Avant'], { env: { CARNET_DB: db } }).code).toBe(0);
    chmodSync(db, 0o644);
    chownSync(dir, NOBODY, NOBODY); // nobody owns the folder, root the file
    const add = asNobody(['add', '--last-name', 'Après'], db);
    machineState(add, /carnet\.db is read-only for you \(mode 644\)/);
    const list = runCarnet(['list', '--json'], { env: { CARNET_DB: db } });
    expect((JSON.parse(list.stdout) as { last_name: string }[]).map((c) => c.last_name)).toEqual(['Avant']);
  });
});
