import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { runCarnet, sandbox, type Sandbox } from './cli.js';
import './pg-global.js';

/**
 * The engines the repository and end-to-end suites run on. SQLite always;
 * PostgreSQL through PGlite (real PostgreSQL in WebAssembly, one server per
 * vitest worker on a Unix socket, started on first use) or, when
 * CARNET_TEST_PG_URL is set, the server it names (CI: Debian's postgresql).
 * A test file opts in with forEachEngine() and is listed in PG_READY.
 */
export type TestEngine = 'sqlite' | 'postgres';
export const ENGINES: readonly TestEngine[] = ['sqlite', 'postgres'];

/** Which files run on both engines: one list, beside the vitest config's (e2e-engines.ts imports nothing of vitest's). */
export { PG_READY } from './e2e-engines.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** Starting PGlite (a WebAssembly PostgreSQL) takes seconds, many on a loaded machine. */
export const PG_START_MS = 180_000;

/**
 * This vitest worker, for what must never be shared between two live workers
 * (its PGlite server, the test pool's schemas): its process id, since
 * VITEST_POOL_ID gave both workers of a full run the same number.
 */
export const WORKER = String(process.pid);

let started: Promise<string> | null = null;
/** The server's URL once started: what the synchronous helpers (memoryCtx) need. */
let startedUrl: string | null = null;
let seq = 0;

function alive(pidFile: string): boolean {
  return existsSync(pidFile) && pidAlive(Number(readFileSync(pidFile, 'utf8')));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every worker process gets a PGlite server of its own, which stops when the
 * worker is gone. PGlite is one PostgreSQL session shared by every connection
 * (search_path, SET, temp tables), so two workers must never share a server:
 * slots keyed on VITEST_POOL_ID were shared by both workers of a full run, and
 * slots handed over through owner files could still be taken by two workers
 * at once; a folder named by the worker's pid cannot.
 * Returns its socket directory, started if it is not running.
 */
async function pgliteSocketDir(): Promise<string> {
  const dir = join(inject('pgliteDir'), `worker-${WORKER}`);
  const pidFile = join(dir, 'pid');
  if (alive(pidFile)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const child = spawn(process.execPath, [join(ROOT, 'test', 'helpers', 'pglite-server.mjs'), dir, WORKER], {
    cwd: ROOT,
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  const deadline = Date.now() + PG_START_MS;
  while (!existsSync(pidFile)) {
    if (child.exitCode !== null) throw new Error(`the PGlite test server stopped (exit ${child.exitCode})`);
    if (Date.now() > deadline) throw new Error('the PGlite test server did not start in time');
    await new Promise((r) => setTimeout(r, 100));
  }
  return dir;
}

/** The server's URL without a schema: CARNET_TEST_PG_URL, or this worker's PGlite. */
export function pgServerUrl(): Promise<string> {
  const env = process.env.CARNET_TEST_PG_URL;
  if (env) return Promise.resolve(env);
  started ??= pgliteSocketDir().then((dir) => (startedUrl = `postgres://postgres@/postgres?host=${encodeURIComponent(dir)}&sslmode=disable`));
  return started;
}

/** pgServerUrl() for synchronous code: the PGlite server must be started already (forEachEngine's beforeAll does it). */
export function pgServerUrlSync(): string {
  const url = process.env.CARNET_TEST_PG_URL || startedUrl;
  if (!url) throw new Error('the PostgreSQL test server is not started yet: run the test inside forEachEngine(), whose beforeAll starts it');
  return url;
}

/** A URL naming schema on the test server. */
export function schemaUrl(base: string, schema: string): string {
  return `${base}${base.includes('?') ? '&' : '?'}schema=${schema}`;
}

/** A new, never used schema on the test server: each test gets an empty carnet database of its own. */
export async function freshPgUrl(): Promise<string> {
  await pgServerUrl();
  return freshPgUrlSync();
}

/** freshPgUrl() for synchronous code (the server started, as in pgServerUrlSync). */
export function freshPgUrlSync(): string {
  return schemaUrl(pgServerUrlSync(), `t${process.pid}_${Date.now().toString(36)}_${++seq}`);
}

/** Work to do when the current file's suite ends (closing the stores memoryCtx opened outside a test). */
const atEnd: (() => void)[] = [];
export function whenSuiteEnds(fn: () => void): void {
  atEnd.push(fn);
}

/** Where a test's database lives: a file in dir for SQLite, a fresh schema for PostgreSQL. */
export async function dbFor(engine: TestEngine, dir: string): Promise<string> {
  return engine === 'sqlite' ? join(dir, 'carnet.db') : freshPgUrl();
}

/**
 * describe() once per engine, the engine's name in the title. On PostgreSQL
 * the test server is started first, so that memoryCtx() can be synchronous,
 * and the stores opened outside a test are closed at the end.
 */
export function forEachEngine(title: string, body: (engine: TestEngine) => void): void {
  for (const engine of ENGINES) {
    describe(`${title} [${engine}]`, () => {
      if (engine === 'postgres') {
        beforeAll(async () => void (await pgServerUrl()), PG_START_MS);
        afterAll(() => {
          for (const fn of atEnd.splice(0)) fn();
        });
      }
      body(engine);
    });
  }
}

/**
 * sandbox() on an engine: the same temp folder (rejects, exports, files to
 * import) and CARNET_DB set to a file in it, or to a fresh PostgreSQL schema
 * (XDG_DATA_HOME in the folder too, where carnet keeps a server's rejects).
 */
export async function engineSandbox(engine: TestEngine, prefix = 'carnet-e2e-'): Promise<Sandbox> {
  const box = sandbox(prefix);
  if (engine === 'sqlite') return box;
  const db = await freshPgUrl();
  const env = (extra?: Record<string, string>) => ({ CARNET_DB: db, XDG_DATA_HOME: join(box.dir, 'data'), ...extra });
  const run: Sandbox['run'] = (args, opts = {}) => runCarnet(args, { ...opts, env: env(opts.env) });
  return {
    ...box,
    db,
    home: join(box.dir, 'data', 'carnet'),
    env: env(),
    run,
    json: (args, opts) => {
      const r = run([...args, '--json'], opts);
      if (r.code !== 0) throw new Error(`carnet ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout);
    },
  };
}
