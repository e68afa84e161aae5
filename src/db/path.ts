import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { isPgUrl } from './pg/connect.js';

/** A postgres:// URL rather than a file. */
export const isDatabaseUrl = isPgUrl;

/** --db PATH|URL > $CARNET_DB > $XDG_DATA_HOME/carnet/carnet.db > ~/.local/share/carnet/carnet.db */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, schema?: string): string {
  const given = flag || env.CARNET_DB;
  // A postgres:// URL is a server's database, never a file name (nor a folder 'postgres:').
  if (given && isPgUrl(given)) return schema === undefined ? given : withSchema(given, schema);
  if (schema !== undefined) throw new UsageError('--schema is for a PostgreSQL database', 'give --db postgres://… (or $CARNET_DB), or leave --schema out');
  if (given) return resolve(given);
  const dataHome = env.XDG_DATA_HOME && env.XDG_DATA_HOME.length > 0 ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(dataHome, 'carnet', 'carnet.db');
}

/** The URL with ?schema=NAME (replacing one it had): the schema travels with the URL, to worker threads too. */
function withSchema(url: string, schema: string): string {
  const q = url.indexOf('?');
  const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  params.set('schema', schema);
  return `${q < 0 ? url : url.slice(0, q)}?${params.toString()}`;
}

/** A `carnet copy` target: a URL as given, a file path made absolute. */
export function resolveTarget(target: string): string {
  return isPgUrl(target) ? target : resolve(target);
}
