import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Ctx } from '../core/context.js';
import { UsageError } from '../core/errors.js';
import { watchInterrupts } from './interrupt.js';

export interface GlobalOpts {
  db?: string;
  schema?: string;
  json?: boolean;
  quiet?: boolean;
  yes?: boolean;
  color?: boolean;
  debug?: boolean;
}

export function globalsOf(cmd: Command): GlobalOpts {
  return cmd.optsWithGlobals<GlobalOpts>();
}

/** Tests and cron dry-runs can pin the clock with CARNET_NOW (ISO-8601). */
export function clock(env: NodeJS.ProcessEnv = process.env): () => Date {
  const fixed = env.CARNET_NOW;
  if (fixed) {
    const t = Date.parse(fixed);
    if (Number.isNaN(t)) throw new UsageError(`CARNET_NOW='${fixed}' is not a date`, 'use ISO-8601, e.g. 2026-01-31T12:00:00Z');
    return () => new Date(t);
  }
  return () => new Date();
}

/** How long to wait for another writer (a nightly import) before exit 5: CARNET_BUSY_TIMEOUT ms, default 10 s. */
function busyTimeout(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.CARNET_BUSY_TIMEOUT;
  if (v === undefined || v === '') return 10_000;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`CARNET_BUSY_TIMEOUT='${v}' is not a number of milliseconds`);
  return n;
}

function actor(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

export interface OpenedCtx extends Ctx {
  created: boolean;
}

/**
 * Opens the database (migrating it), runs fn, closes it. The store module is
 * imported here, lazily, so `carnet --help` never loads better-sqlite3.
 */
export async function withCtx<T>(g: GlobalOpts, fn: (ctx: OpenedCtx) => T | Promise<T>, opts: { adopt?: boolean } = {}): Promise<T> {
  const [{ Store }, { resolveDbPath, isDatabaseUrl }, { asAppError }] = await Promise.all([import('../db/store.js'), import('../db/path.js'), import('../db/open.js')]);
  const path = resolveDbPath(g.db, process.env, g.schema);
  // A server's database: `created` is told by onAdopt when carnet made its schema.
  let created = !isDatabaseUrl(path) && !existsSync(path);
  const now = clock();
  const store = Store.open(path, { now, busyTimeoutMs: busyTimeout(), adopt: opts.adopt, onAdopt: () => void (created = true) });
  watchInterrupts(store);
  try {
    return await fn({ store, now, actor: store.actorOf(actor()), created });
  } catch (err) {
    // A full disk or a read-only file met half-way through a command: the machine's state, in words.
    throw asAppError(err, path);
  } finally {
    store.close();
  }
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseIntOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number, not '${value}'`);
    return n;
  };
}
