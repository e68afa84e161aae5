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
  /** A file path, or a postgres:// URL on the `postgres` project. */
  db: string;
  /** Where carnet keeps its own files for this database (the rejects folder). */
  home: string;
  /** The variables that point carnet at this sandbox's database: for a test that spawns carnet itself. */
  env: Record<string, string>;
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

/**
 * The engine every sandbox() of this run is on: SQLite, or PostgreSQL in the
 * `postgres` vitest project (vitest.config.ts sets CARNET_TEST_E2E_ENGINE),
 * where each sandbox's database is a fresh schema on this worker's PGlite or
 * on the server CARNET_TEST_PG_URL names (test/helpers/e2e-pg-setup.ts).
 */
export const E2E_ENGINE: 'sqlite' | 'postgres' = process.env.CARNET_TEST_E2E_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
export const ON_PG = E2E_ENGINE === 'postgres';
/** PGlite serves one session at a time: what needs several connections at once needs the real server. */
export const ON_PGLITE = ON_PG && !process.env.CARNET_TEST_PG_URL;

let schemas = 0;

/** The sandbox's database, and carnet's own folder for it (rejects): beside the file, or $XDG_DATA_HOME/carnet for a server. */
function sandboxDb(dir: string): { db: string; home: string; env: Record<string, string> } {
  if (!ON_PG) return { db: join(dir, 'carnet.db'), home: dir, env: {} };
  const server = process.env.CARNET_TEST_E2E_PG_SERVER;
  if (!server) throw new Error('the postgres project runs test/helpers/e2e-pg-setup.ts first: no PostgreSQL server was given');
  const db = `${server}${server.includes('?') ? '&' : '?'}schema=e${process.pid}_${Date.now().toString(36)}_${++schemas}`;
  return { db, home: join(dir, 'data', 'carnet'), env: { XDG_DATA_HOME: join(dir, 'data') } };
}

export function sandbox(prefix = 'carnet-e2e-'): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const { db, home, env } = sandboxDb(dir);
  const dbEnv = { CARNET_DB: db, ...env };
  const run: Sandbox['run'] = (args, opts = {}) => runCarnet(args, { ...opts, env: { ...dbEnv, ...opts.env } });
  return {
    dir,
    db,
    home,
    env: dbEnv,
    run,
    json: (args, opts) => {
      const r = run([...args, '--json'], opts);
      if (r.code !== 0) throw new Error(`carnet ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
