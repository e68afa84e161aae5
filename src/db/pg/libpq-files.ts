import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';

/**
 * The two files libpq reads, read the same way, so that a team's existing
 * setup works unchanged: ~/.pgpass (passwords) and pg_service.conf (named
 * connections).
 */

/** libpq's parameters as a service file spells them (host, port, dbname, user, password, sslmode…). */
export type ServiceParams = Record<string, string>;

function serviceFiles(env: NodeJS.ProcessEnv): string[] {
  const user = env.PGSERVICEFILE ?? join(homedir(), '.pg_service.conf');
  const sys = env.PGSYSCONFDIR ? [join(env.PGSYSCONFDIR, 'pg_service.conf')] : ['/etc/postgresql-common/pg_service.conf', '/etc/pg_service.conf'];
  return [user, ...sys];
}

/** The parameters of service `name`: the user's file first, then the system's; an unknown service is a usage error, as in libpq. */
export function serviceParams(name: string, env: NodeJS.ProcessEnv = process.env): ServiceParams {
  for (const file of serviceFiles(env)) {
    if (!existsSync(file)) continue;
    let section: string | null = null;
    const found: ServiceParams = {};
    let seen = false;
    for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const head = /^\[(.+)\]$/.exec(line);
      if (head) {
        section = head[1]!.trim();
        if (section === name) seen = true;
        continue;
      }
      const eq = line.indexOf('=');
      if (section === name && eq > 0) found[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
    if (seen) return found;
  }
  throw new UsageError(`no PostgreSQL service named '${name}' (looked in ~/.pg_service.conf, $PGSERVICEFILE and the system's pg_service.conf)`, 'check the service name in ?service= or $PGSERVICE');
}

export interface PassKey {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** One .pgpass field, `\:` and `\\` unescaped; `*` matches anything. */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) cur += line[++i];
    else if (c === ':') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * The password ~/.pgpass (or $PGPASSFILE) holds for this connection, or
 * undefined. Like libpq: ignored when others may read it, first matching line
 * wins, and a socket connection also matches `localhost`.
 */
export function pgpassPassword(key: PassKey, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.PGPASSFILE ?? join(homedir(), '.pgpass');
  try {
    const st = statSync(file);
    if (!st.isFile() || (st.mode & 0o077) !== 0) return undefined;
  } catch {
    return undefined;
  }
  const hosts = key.host.startsWith('/') ? [key.host, 'localhost'] : [key.host];
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const f = fields(line);
    if (f.length < 5) continue;
    const [host, port, database, user] = f;
    const ok = (pat: string | undefined, v: string) => pat === '*' || pat === v;
    if (hosts.some((h) => ok(host, h)) && ok(port, String(key.port)) && ok(database, key.database) && ok(user, key.user)) return f.slice(4).join(':');
  }
  return undefined;
}
