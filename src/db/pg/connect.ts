import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parse } from 'pg-connection-string';
import { UsageError } from '../../core/errors.js';
import type { WorkerInit } from './protocol.js';

/** `postgres://…` or `postgresql://…`: a URL is never a file name. */
export function isPgUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//i.test(s);
}

export const DEFAULT_SCHEMA = 'carnet';
const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PgTarget {
  config: WorkerInit['config'];
  schema: string;
  /** The URL without its password: what messages, doctor and the audit log may show. */
  display: string;
}

/** Where libpq looks for a server's socket when no host is given (Debian's first). */
const SOCKET_DIRS = ['/var/run/postgresql', '/tmp'];

/**
 * The connection a URL names, filled in from PG* variables the way libpq
 * does (URL first, then PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE,
 * PGSSLMODE…). No password anywhere: node-postgres reads ~/.pgpass (or
 * $PGPASSFILE) at connection time.
 */
export function pgTarget(url: string, opts: { schema?: string; env?: NodeJS.ProcessEnv } = {}): PgTarget {
  const env = opts.env ?? process.env;
  // Not WHATWG's URL: it refuses libpq's `postgres://user:pw@/db?host=/socket/dir` (credentials, no host).
  const q = url.indexOf('?');
  const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const schema = opts.schema ?? params.get('schema') ?? DEFAULT_SCHEMA;
  if (!SCHEMA.test(schema)) {
    throw new UsageError(`the schema name '${schema}' is not one carnet uses`, 'use lower-case letters, digits and _ (for example --schema carnet)');
  }
  // Parameters carnet reads itself, so that pg-connection-string neither warns nor guesses.
  const sslmode = params.get('sslmode') ?? env.PGSSLMODE ?? 'prefer';
  const files = { ca: params.get('sslrootcert') ?? env.PGSSLROOTCERT, cert: params.get('sslcert') ?? env.PGSSLCERT, key: params.get('sslkey') ?? env.PGSSLKEY };
  for (const k of ['schema', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'sslcrl', 'uselibpqcompat']) params.delete(k);
  const rest = params.toString();
  const parsed = parse((q < 0 ? url : url.slice(0, q)) + (rest ? `?${rest}` : ''));
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
  const port = Number(str(parsed.port) ?? env.PGPORT ?? 5432);
  const user = str(parsed.user) ?? str(env.PGUSER) ?? userInfo().username;
  const config: WorkerInit['config'] = {
    host: str(parsed.host) ?? str(env.PGHOST) ?? defaultHost(port),
    port,
    user,
    database: str(parsed.database) ?? str(env.PGDATABASE) ?? user,
    application_name: str(parsed.application_name) ?? str(env.PGAPPNAME) ?? 'carnet',
    connectionTimeoutMillis: Number(str(params.get('connect_timeout') ?? undefined) ?? env.PGCONNECT_TIMEOUT ?? 10) * 1000,
  };
  const password = str(parsed.password) ?? str(env.PGPASSWORD);
  if (password !== undefined) config.password = password;
  if (str(parsed.options) !== undefined) config.options = parsed.options!;
  const ssl = sslOf(sslmode, files, config.host!);
  if (ssl !== false) config.ssl = ssl;
  return { config, schema, display: redact(url) };
}

function defaultHost(port: number): string {
  return SOCKET_DIRS.find((d) => existsSync(`${d}/.s.PGSQL.${port}`)) ?? 'localhost';
}

/** libpq's sslmode: disable/allow/prefer use no TLS (node-postgres cannot fall back), require encrypts, verify-* also checks the server. */
function sslOf(mode: string, files: { ca?: string; cert?: string; key?: string }, host: string): WorkerInit['config']['ssl'] | false {
  if (host.startsWith('/')) return false;
  switch (mode) {
    case 'disable':
    case 'allow':
    case 'prefer':
      return false;
    case 'require':
    case 'verify-ca':
    case 'verify-full': {
      const ssl: NonNullable<WorkerInit['config']['ssl']> & object = { rejectUnauthorized: mode !== 'require' };
      if (files.ca) ssl.ca = readFileSync(files.ca, 'utf8');
      if (files.cert) ssl.cert = readFileSync(files.cert, 'utf8');
      if (files.key) ssl.key = readFileSync(files.key, 'utf8');
      return ssl;
    }
    default:
      throw new UsageError(`sslmode=${mode} is not a PostgreSQL sslmode`, 'use disable, prefer, require, verify-ca or verify-full');
  }
}

/** The one place credentials are taken out of what carnet shows: a URL's password and any password= parameter. */
export function redact(text: string): string {
  return text
    .replace(/(postgres(?:ql)?:\/\/[^:@/?#\s]*):[^@/?#\s]*@/gi, '$1:***@')
    .replace(/([?&]password=)[^&#\s]*/gi, '$1***');
}
