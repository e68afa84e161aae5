import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pgTarget, redact } from '../../src/db/pg/connect.js';
import { resolveDbPath } from '../../src/db/path.js';

const dir = mkdtempSync(join(tmpdir(), 'carnet-pgconn-'));
/** An environment with nothing of the machine's: no PG* variables, no ~/.pgpass, no service file. */
const bare: NodeJS.ProcessEnv = { PGPASSFILE: join(dir, 'none'), PGSERVICEFILE: join(dir, 'none'), PGSYSCONFDIR: dir };

describe('a postgres:// URL and libpq’s ways of completing it', () => {
  it('is never taken for a file name, and --schema travels in the URL', () => {
    expect(resolveDbPath('postgres:///carnet', {})).toBe('postgres:///carnet');
    expect(resolveDbPath(undefined, { CARNET_DB: 'postgresql://h/db' })).toBe('postgresql://h/db');
    expect(resolveDbPath('postgres:///carnet?schema=a', {}, 'b')).toBe('postgres:///carnet?schema=b');
    expect(() => resolveDbPath('/tmp/x.db', {}, 'b')).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it('reads user, password, socket directory, port, database, schema and sslmode from the URL', () => {
    const t = pgTarget('postgres://alice:s3cret@/crm?host=/run/pg&port=5433&schema=team&sslmode=disable', { env: bare });
    expect(t.config).toMatchObject({ host: '/run/pg', port: 5433, user: 'alice', password: 's3cret', database: 'crm' });
    expect(t.config.ssl).toBeUndefined();
    expect(t.schema).toBe('team');
    expect(t.display).not.toContain('s3cret');
    const tls = pgTarget('postgresql://bob@db.example.org/crm?sslmode=require', { env: bare });
    expect(tls.config.ssl).toEqual({ rejectUnauthorized: false });
    expect(tls.schema).toBe('carnet');
    // libpq's default, prefer: TLS when the server has it, else plain; never TLS on a local socket
    expect(pgTarget('postgres://bob@db.example.org/crm', { env: bare }).config.ssl).toEqual({ rejectUnauthorized: false, fallback: true });
    expect(pgTarget('postgres://bob@/crm?host=/run/pg', { env: bare }).config.ssl).toBeUndefined();
  });

  it('fills what the URL leaves out from PG* variables, then a service file, as libpq does', () => {
    const env = { ...bare, PGHOST: 'envhost', PGUSER: 'envuser', PGDATABASE: 'envdb', PGPORT: '6000' };
    expect(pgTarget('postgres:///', { env }).config).toMatchObject({ host: 'envhost', user: 'envuser', database: 'envdb', port: 6000 });
    writeFileSync(join(dir, 'services'), '[team]\nhost=svc.example.org\ndbname=svcdb\nuser=svcuser\n');
    const t = pgTarget('postgres:///?service=team', { env: { ...env, PGSERVICEFILE: join(dir, 'services') } });
    expect(t.config).toMatchObject({ host: 'svc.example.org', user: 'svcuser', database: 'svcdb', port: 6000 });
    expect(() => pgTarget('postgres:///?service=nope', { env: { ...env, PGSERVICEFILE: join(dir, 'services') } })).toThrow(/no PostgreSQL service named 'nope'/);
  });

  it('takes the password from ~/.pgpass (only when private), matching a socket as localhost', () => {
    const file = join(dir, 'pgpass');
    writeFileSync(file, '# team\notherhost:*:*:*:wrong\nlocalhost:5432:crm:alice:pa\\:ss\n');
    chmodSync(file, 0o600);
    const env = { ...bare, PGPASSFILE: file };
    expect(pgTarget('postgres://alice@/crm?host=/run/pg', { env }).config.password).toBe('pa:ss');
    chmodSync(file, 0o644);
    expect(pgTarget('postgres://alice@/crm?host=/run/pg', { env }).config.password).toBeUndefined();
  });

  it('refuses a schema name it would have to quote', () => {
    expect(() => pgTarget('postgres:///crm?schema=Robert%27);DROP', { env: bare })).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it('redacts passwords from anything shown', () => {
    expect(redact('cannot reach postgres://alice:s3cret@db/crm?password=x&sslmode=require')).toBe('cannot reach postgres://alice:***@db/crm?password=***&sslmode=require');
  });
});
