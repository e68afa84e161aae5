import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parse } from 'pg-connection-string';
import { UsageError } from '../../core/errors.js';
import { pgpassPassword, serviceParams } from './libpq-files.js';
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
  /** Where it connects, without any password: what messages, doctor and the audit log may show. */
  display: string;
}

/** Where libpq looks for a server's socket when no host is given (Debian's first). */
const SOCKET_DIRS = ['/var/run/postgresql', '/tmp'];

/**
 * The connection a URL names, completed the way libpq does: the URL's own
 * values first, then the service's (?service= or $PGSERVICE, from
 * pg_service.conf), then PG* variables (PGHOST, PGPORT, PGUSER, PGPASSWORD,
 * PGDATABASE, PGSSLMODE…), then the defaults (a local socket, the OS user);
 * the password, when none is given, from ~/.pgpass.
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
  const serviceName = params.get('service') ?? env.PGSERVICE;
  const service = serviceName ? serviceParams(serviceName, env) : {};
  // Parameters carnet reads itself, so that pg-connection-string neither warns nor guesses.
  const own = ['schema', 'service', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'sslcrl', 'uselibpqcompat', 'connect_timeout'];
  const mine = Object.fromEntries(own.map((k) => [k, params.get(k) ?? undefined]));
  for (const k of own) params.delete(k);
  const rest = params.toString();
  const parsed = parse((q < 0 ? url : url.slice(0, q)) + (rest ? `?${rest}` : ''));
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
  /** URL > service > environment. */
  const pick = (fromUrl: unknown, key: string, envVar: string): string | undefined => str(fromUrl) ?? str(service[key]) ?? str(env[envVar]);
  const port = Number(pick(parsed.port, 'port', 'PGPORT') ?? 5432);
  const user = pick(parsed.user, 'user', 'PGUSER') ?? userInfo().username;
  const host = pick(parsed.host, 'host', 'PGHOST') ?? defaultHost(port);
  const database = pick(parsed.database, 'dbname', 'PGDATABASE') ?? user;
  const config: WorkerInit['config'] = {
    host,
    port,
    user,
    database,
    application_name: pick(parsed.application_name, 'application_name', 'PGAPPNAME') ?? 'carnet',
    connectionTimeoutMillis: Number(pick(mine.connect_timeout, 'connect_timeout', 'PGCONNECT_TIMEOUT') ?? 10) * 1000,
  };
  const password = pick(parsed.password, 'password', 'PGPASSWORD') ?? pgpassPassword({ host, port, database, user }, env);
  if (password !== undefined) config.password = password;
  const options = pick(parsed.options, 'options', 'PGOPTIONS');
  if (options !== undefined) config.options = options;
  const files = {
    ca: pick(mine.sslrootcert, 'sslrootcert', 'PGSSLROOTCERT'),
    cert: pick(mine.sslcert, 'sslcert', 'PGSSLCERT'),
    key: pick(mine.sslkey, 'sslkey', 'PGSSLKEY'),
  };
  const ssl = sslOf(pick(mine.sslmode, 'sslmode', 'PGSSLMODE') ?? 'prefer', files, host);
  if (ssl !== false) config.ssl = ssl;
  const where = `postgres://${user}@${host.startsWith('/') ? '' : host}${port === 5432 ? '' : `:${port}`}/${database}${host.startsWith('/') ? `?host=${host}` : ''}`;
  return { config, schema, display: `${where} (schema ${schema})` };
}

function defaultHost(port: number): string {
  return SOCKET_DIRS.find((d) => existsSync(`${d}/.s.PGSQL.${port}`)) ?? 'localhost';
}

/**
 * libpq's sslmode: disable uses no TLS; prefer (the default) and allow try TLS
 * and fall back to a plain connection when the server has none (the worker
 * does that: sslFallback); require encrypts; verify-* also checks the server.
 */
function sslOf(mode: string, files: { ca?: string; cert?: string; key?: string }, host: string): WorkerInit['config']['ssl'] | false {
  if (host.startsWith('/')) return false;
  switch (mode) {
    case 'disable':
      return false;
    case 'allow':
    case 'prefer':
      return { rejectUnauthorized: false, fallback: true };
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
