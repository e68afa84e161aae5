import { lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ON_PG, sandbox, type Sandbox } from '../helpers/cli.js';

/**
 * Every file carnet writes goes to a temporary file in the target's folder
 * and is renamed over the target: a symlink planted at the target is replaced
 * by the file, never written through, and its target keeps its bytes and its
 * mode. (rgpd access/register --out and import --rejects used to overwrite
 * the link's target and chmod it 0600.)
 */
let s: Sandbox;
beforeAll(() => {
  s = sandbox('carnet-links-');
  expect(s.run(['add', '--first-name', 'Élodie', '--last-name', 'Meyer', '--email', 'elodie@example.fr']).code).toBe(0);
});
afterAll(() => s.cleanup());

/** A precious file someone else owns, and a link to it where carnet is told to write. */
function trap(name: string): { link: string; victim: string } {
  const victim = join(s.dir, `victim-${name}`);
  writeFileSync(victim, 'precious\n', { mode: 0o644 });
  const link = join(s.dir, name);
  symlinkSync(victim, link);
  return { link, victim };
}

function expectUntouched(t: { link: string; victim: string }): void {
  expect(readFileSync(t.victim, 'utf8')).toBe('precious\n');
  expect(statSync(t.victim).mode & 0o777).toBe(0o644);
  const st = lstatSync(t.link);
  expect(st.isSymbolicLink()).toBe(false);
  expect(st.mode & 0o777).toBe(0o600);
}

describe('no writer follows a symlink', () => {
  it('rgpd access --out, rgpd register --out, export --out replace the link with the file', () => {
    const access = trap('access.md');
    expect(s.run(['rgpd', 'access', 'elodie@example.fr', '--out', access.link]).code).toBe(0);
    expectUntouched(access);
    expect(readFileSync(access.link, 'utf8')).toMatch(/Meyer/);

    const register = trap('register.md');
    expect(s.run(['rgpd', 'register', '--out', register.link]).code).toBe(0);
    expectUntouched(register);

    const exported = trap('export.csv');
    expect(s.run(['export', '--out', exported.link]).code).toBe(0);
    expectUntouched(exported);
    expect(readFileSync(exported.link, 'utf8')).toMatch(/elodie@example.fr/);
  });

  it('import --rejects replaces the link with the rejects file', () => {
    const rejects = trap('rejects.csv');
    const bad = join(s.dir, 'bad.csv');
    writeFileSync(bad, 'nom;email;siret\nMartin;martin@example.fr;123\n');
    const r = s.run(['import', bad, '--rejects', rejects.link]);
    expect([0, 3]).toContain(r.code);
    if (r.code === 3) {
      expectUntouched(rejects);
      expect(readFileSync(rejects.link, 'utf8')).toMatch(/Martin/);
    } else {
      // The row policy kept the row: no rejects file, and the link's target is untouched all the same.
      expect(readFileSync(rejects.victim, 'utf8')).toBe('precious\n');
    }
  });

  // backup copies a SQLite file: on a server it refuses before it looks at the target (records.test.ts checks that).
  it.skipIf(ON_PG)('backup refuses a link at the target (a backup never overwrites) and leaves no temporary file', () => {
    const backup = trap('backup.db');
    const r = s.run(['backup', backup.link]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists/);
    expect(readFileSync(backup.victim, 'utf8')).toBe('precious\n');
    expect(readdirSync(s.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
