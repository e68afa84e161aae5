import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ON_PG, ROOT, sandbox, type Sandbox } from '../helpers/cli.js';
import { withSandboxDb } from '../helpers/e2e-db.js';

let s: Sandbox;
beforeAll(() => {
  s = sandbox();
});
afterAll(() => s.cleanup());

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? [p, ...walk(p)] : [p];
  });
}

describe('what carnet writes, reviewed', () => {
  it('every file with personal data is 0600 (folders 0700), after a full working day', () => {
    const env = { CARNET_NOW: '2026-11-23T10:00:00Z' };
    expect(s.run(['import', join(ROOT, 'examples', 'clients.csv')], { env }).code).toBe(0);
    const bad = join(s.dir, 'bad.csv');
    // Martin's bad e-mail is kept in extra (issue 16); the second row identifies no one: rejected, exit 3, rejects file beside the database.
    writeFileSync(bad, 'nom;email;ville\nMartin;pas-un-email;Lyon\n;;Lyon\nDurand;durand@example.fr;Paris\n');
    expect(s.run(['import', bad], { env }).code).toBe(3);
    expect(s.run(['export', '--out', join(s.dir, 'export.csv')], { env }).code).toBe(0);
    expect(s.run(['rgpd', 'access', 'elodie.meyer@sfr.fr', '--out', join(s.dir, 'access.md')], { env }).code).toBe(0);
    expect(s.run(['rgpd', 'register', '--out', join(s.dir, 'registre.md')], { env }).code).toBe(0);
    // A server's database is backed up with pg_dump; copy makes the same kind of local SQLite file.
    expect(s.run([ON_PG ? 'copy' : 'backup', join(s.dir, 'backup.db')], { env }).code).toBe(0);
    expect(s.run(['rgpd', 'forget', 'helene.lefevre@orange.fr', '--yes'], { env }).code).toBe(0);

    const files = walk(s.dir);
    expect(files.some((f) => f.includes('rejects'))).toBe(true);
    for (const f of files) {
      const st = statSync(f);
      const mode = (st.mode & 0o777).toString(8);
      if (st.isDirectory()) expect(mode, f).toBe('700');
      else if (!f.endsWith('bad.csv')) expect(mode, f).toBe('600');
    }
  });

  it('the audit log names subjects by uid or hash and never holds their data', () => {
    const { people, audit } = withSandboxDb(
      s.db,
      (db) => ({
        people: db.prepare('SELECT first_name, last_name, email_norm, phone_e164, siret FROM customers').all() as Record<string, string | null>[],
        audit: JSON.stringify(db.prepare('SELECT subject, details FROM audit_log').all()),
      }),
      { readonly: true },
    );
    expect(people.length).toBeGreaterThan(5);
    for (const p of people) {
      for (const v of [p.last_name, p.email_norm, p.phone_e164, p.siret]) {
        if (v && v.length > 3) expect(audit.toLowerCase(), `audit log mentions ${v}`).not.toContain(v.toLowerCase());
      }
    }
    for (const gone of ['helene.lefevre@orange.fr', 'Lefèvre', '+33671234567']) expect(audit).not.toContain(gone);
  });

  it('doctor reports the state of every file, and warns when one is readable by others', () => {
    const ok = s.json<{ ok: boolean; files: { path: string; mode: string }[] }>(['doctor']);
    expect(ok.ok).toBe(true);
    const rejects = ok.files.filter((f) => f.path.includes(`${s.home}/rejects/`));
    expect(rejects.length).toBeGreaterThan(0);
    chmodSync(rejects[0]!.path, 0o644);
    const r = s.run(['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/readable by others/);
    expect(r.stdout).toMatch(/chmod 600/);
    chmodSync(rejects[0]!.path, 0o600);
  });
});
