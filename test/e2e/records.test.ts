import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ON_PG, runCarnet, sandbox, type Sandbox } from '../helpers/cli.js';

let s: Sandbox;
beforeAll(() => {
  s = sandbox();
});
afterAll(() => s.cleanup());

describe('carnet records, end to end', () => {
  it('adds Élodie with a messy e-mail and phone, and shows them normalised', () => {
    const add = s.run(['add', '--first-name', 'Élodie', '--last-name', 'Meyer', '--email', ' Elodie.Meyer@SFR.fr ', '--phone', '06 12 34 56 78']);
    expect(add.code).toBe(0);
    expect(add.stdout.trim()).toMatch(/^\d+$/);
    expect(add.stderr).toMatch(/added customer/);

    const show = s.run(['show', 'elodie.meyer@sfr.fr', '--json']);
    expect(show.code).toBe(0);
    expect(show.stderr).toBe('');
    const c = JSON.parse(show.stdout) as Record<string, unknown>;
    expect(c.phone_e164).toBe('+33612345678');
    expect(c.email_norm).toBe('elodie.meyer@sfr.fr');
    expect(c.first_name).toBe('Élodie');
    expect(c.uid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows a note of several lines in the value column', () => {
    const own = sandbox();
    try {
      const add = own.run(['add', '--last-name', 'Notes', '--notes', 'first line\nsecond line']);
      expect(add.code, add.stderr).toBe(0);
      const lines = own.run(['show', add.stdout.trim()]).stdout.split('\n');
      const at = lines.findIndex((l) => l.startsWith('notes '));
      const column = (lines[at] ?? '').indexOf('first line');
      expect(column).toBeGreaterThan(0);
      expect(lines[at + 1]).toBe(`${' '.repeat(column)}second line`);
    } finally {
      own.cleanup();
    }
  });

  // A server's database is no file of ours: its modes are the server's business.
  it.skipIf(ON_PG)('creates the database file mode 600', () => {
    expect(statSync(s.db).mode & 0o777).toBe(0o600);
  });

  it('finds Élodie by full-text search without accents', () => {
    const r = s.run(['search', 'elodie', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { last_name: string }[];
    expect(rows.map((x) => x.last_name)).toEqual(['Meyer']);
    const h = s.run(['add', '--first-name', 'Hélène', '--last-name', 'Lefèvre', '--city', 'Marseille']);
    expect(h.code).toBe(0);
    const r2 = s.run(['search', 'helene', 'LEFEVRE', '--nl']);
    expect(r2.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r2.stdout).last_name).toBe('Lefèvre');
  });

  it('lists with a filter as NDJSON, one line per customer', () => {
    const r = s.run(['list', '--where', 'city is empty', '--nl']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).first_name).toBe('Élodie');
    expect(r.stderr).toBe('');
  });

  it('prints a table for people and CSV for spreadsheets', () => {
    const t = s.run(['list']);
    expect(t.stdout).toMatch(/^ID\s+NAME\s+EMAIL/);
    expect(t.stdout).toContain('Élodie Meyer');
    expect(t.stderr).toMatch(/2 customers/);
    const csv = s.run(['list', '--csv', '--sort', '-id']);
    const [header, first] = csv.stdout.split('\n');
    expect(header!.split(',').slice(0, 3)).toEqual(['id', 'uid', 'kind']);
    expect(first).toContain('Lefèvre');
  });

  it('exits 4 for an unknown customer, with the message on stderr only', () => {
    const r = s.run(['show', 'nobody@example.com']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: no customer matches 'nobody@example.com' — /);
  });

  it('exits 2 with a caret for a bad filter', () => {
    const r = s.run(['list', '--where', 'city = ']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/column/);
    expect(r.stderr).toMatch(/\n\s*\^/);
  });

  it('exits 2 for an unknown flag, 0 for --help and --version', () => {
    const bogus = runCarnet(['--bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toMatch(/unknown option '--bogus'/);
    const help = runCarnet(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['init', 'add', 'show', 'list', 'search', 'edit', 'contact', 'log', 'sale', 'doctor', 'backup']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    }
    const v = runCarnet(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('refuses an invalid e-mail or SIRET naming the field, exit 3, and writes nothing', () => {
    const before = s.json<unknown[]>(['list']).length;
    const bad = s.run(['add', '--last-name', 'X', '--email', 'not-an-email']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/email/);
    const badSiret = s.run(['add', '--company', 'ACME', '--siret', '732 829 320 00075']);
    expect(badSiret.code).toBe(3);
    expect(badSiret.stderr).toMatch(/siret/i);
    expect(s.json<unknown[]>(['list'])).toHaveLength(before);
  });

  it('rectifies a field with edit and records it in the audit log without the value', () => {
    const r = s.run(['edit', 'elodie.meyer@sfr.fr', '--set', 'city=Lyon', '--set', 'postal_code=69003']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/changed postal_code, city|changed city, postal_code/);
    const list = s.run(['list', '--where', 'department = "69"', '--nl']);
    expect(JSON.parse(list.stdout.trim()).city).toBe('Lyon');
    const unknown = s.run(['edit', 'elodie.meyer@sfr.fr', '--set', 'shoe=42']);
    expect(unknown.code).toBe(2);
  });

  it('keeps several contacts on a company and resolves it by SIRET', () => {
    const add = s.run(['add', '--company', 'Boulangerie Martin SARL', '--siret', '732 829 320 00074', '--city', 'Lyon']);
    expect(add.code).toBe(0);
    for (const [first, role] of [['Paul', 'comptable'], ['Julie', 'gérante']]) {
      const c = s.run(['contact', 'add', '73282932000074', '--first-name', first!, '--last-name', 'Martin', '--role', role!]);
      expect(c.code).toBe(0);
    }
    const show = s.json<{ kind: string; legal_form: string; contacts: { firstName: string }[] }>(['show', '732 829 320 00074']);
    expect(show.kind).toBe('company');
    expect(show.contacts.map((c) => c.firstName)).toEqual(['Paul', 'Julie']);
  });

  it('logs an incoming call, which moves last_contact_at, and an outgoing one which does not', () => {
    const env = { CARNET_NOW: '2026-06-01T12:00:00Z' };
    expect(s.run(['log', 'elodie.meyer@sfr.fr', '--kind', 'call', '--direction', 'in', '--note', 'veut un devis', '--at', '2026-05-20'], { env }).code).toBe(0);
    expect(s.run(['log', 'elodie.meyer@sfr.fr', '--kind', 'email', '--direction', 'out', '--at', '2026-05-30'], { env }).code).toBe(0);
    const c = s.json<{ last_contact_at: string; interactions: unknown[] }>(['show', 'elodie.meyer@sfr.fr'], { env });
    expect(c.last_contact_at).toBe('2026-05-20T00:00:00.000Z');
    expect(c.interactions).toHaveLength(2);
    const bad = s.run(['log', 'elodie.meyer@sfr.fr', '--kind', 'fax'], { env });
    expect(bad.code).toBe(2);
  });

  it('records sales with French amounts and lets the filter language see revenue', () => {
    const r = s.run(['sale', 'add', 'elodie.meyer@sfr.fr', '--kind', 'invoice', '--number', 'F-12', '--amount', '1 200,50', '--status', 'paid', '--issued', '15/01/2026']);
    expect(r.code).toBe(0);
    const dup = s.run(['sale', 'add', 'elodie.meyer@sfr.fr', '--kind', 'invoice', '--number', 'F-12', '--amount', '10']);
    expect(dup.code).toBe(3);
    const rich = s.run(['list', '--where', 'revenue >= 1200 and orders = 1', '--nl']);
    const row = JSON.parse(rich.stdout.trim()) as { revenue: number; last_purchase_at: string };
    expect(row.revenue).toBeCloseTo(1200.5);
    expect(row.last_purchase_at).toBe('2026-01-15');
  });

  it('exits 4 listing the candidates when a reference is ambiguous', () => {
    s.run(['add', '--first-name', 'Jean', '--last-name', 'Un', '--phone', '04 78 00 00 01']);
    s.run(['add', '--first-name', 'Jeanne', '--last-name', 'Deux', '--phone', '+33 4 78 00 00 01']);
    const r = s.run(['show', '0478000001']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/matches 2 customers/);
    expect(r.stderr).toMatch(/Jean Un/);
    expect(r.stderr).toMatch(/Jeanne Deux/);
  });

  it('doctor reports integrity, schema and file mode; backup writes a 0600 copy', () => {
    const d = s.json<{ ok: boolean; integrity: string[]; files: { mode: string }[]; schema: { upToDate: boolean } }>(['doctor']);
    expect(d.integrity).toEqual(['ok']);
    expect(d.schema.upToDate).toBe(true);
    const target = `${s.dir}/copy.db`;
    if (ON_PG) {
      // No file on a server: backup says to use pg_dump (or copy, which makes the same 0600 SQLite file).
      expect(d.files).toEqual([]);
      const b = s.run(['backup', target]);
      expect(b.code).toBe(2);
      expect(b.stderr).toMatch(/pg_dump --schema=e\w+ \w+ > carnet\.sql/);
      expect(s.run(['copy', target, '-q']).code).toBe(0);
    } else {
      expect(d.files[0]!.mode).toBe('600');
      expect(s.run(['backup', target]).code).toBe(0);
    }
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const copy = runCarnet(['list', '--json'], { env: { CARNET_DB: target } });
    expect((JSON.parse(copy.stdout) as unknown[]).length).toBeGreaterThanOrEqual(3);
    expect(s.run(['backup', target]).code).toBe(2);
  });
});
