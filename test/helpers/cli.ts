import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BIN = join(ROOT, 'bin', 'carnet.js');
export const SHARED = resolve(ROOT, '..', 'shared', 'data');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  dir: string;
  db: string;
  run: (args: string[], opts?: { input?: string | Buffer; env?: Record<string, string>; cwd?: string }) => RunResult;
  json: <T = unknown>(args: string[], opts?: { input?: string | Buffer; env?: Record<string, string> }) => T;
  cleanup: () => void;
}

/** Runs the real binary, as cron or a person would, with its own database in a temp folder. */
export function runCarnet(args: string[], opts: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {}): RunResult {
  const spawnOpts: SpawnSyncOptions = {
    cwd: opts.cwd ?? ROOT,
    input: opts.input ?? '',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', CI: 'true', ...opts.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  };
  const r = spawnSync(process.execPath, [BIN, ...args], spawnOpts);
  return { code: r.status ?? (r.signal ? 128 : 1), stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

let schemas = 0;

/**
 * CARNET_TEST_PG_ALL=1 with CARNET_TEST_PG_URL: every sandbox's database is a
 * fresh schema on that server instead of a file, to see which e2e files pass
 * on PostgreSQL already (a diagnostic run: files that look at the database
 * file itself fail by design).
 */
function sandboxDb(dir: string): { db: string; env: Record<string, string> } {
  const server = process.env.CARNET_TEST_PG_URL;
  if (process.env.CARNET_TEST_PG_ALL !== '1' || !server) return { db: join(dir, 'carnet.db'), env: {} };
  const db = `${server}${server.includes('?') ? '&' : '?'}schema=e${process.pid}_${Date.now().toString(36)}_${++schemas}`;
  return { db, env: { XDG_DATA_HOME: join(dir, 'data') } };
}

export function sandbox(prefix = 'carnet-e2e-'): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const { db, env } = sandboxDb(dir);
  const run: Sandbox['run'] = (args, opts = {}) => runCarnet(args, { ...opts, env: { CARNET_DB: db, ...env, ...opts.env } });
  return {
    dir,
    db,
    run,
    json: (args, opts) => {
      const r = run([...args, '--json'], opts);
      if (r.code !== 0) throw new Error(`carnet ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
