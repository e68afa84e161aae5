import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/cli.js';

/** Issue 18: `doctor` says how long the last import, purge, dedupe --auto and categorise took. */
describe('doctor reports the last duration of each long operation', () => {
  let s: Sandbox;
  beforeAll(() => {
    s = sandbox();
  });
  afterAll(() => s.cleanup());

  it('records real runs, not dry runs', () => {
    const csv = join(s.dir, 'clients.csv');
    writeFileSync(csv, 'Nom;E-mail\nMartin;martin@ex.fr\nMartin;martin@ex.fr\nDurand;durand@ex.fr\n');
    expect(s.run(['import', csv, '--dry-run']).code).toBe(0);
    expect(s.json<{ operations: unknown[] }>(['doctor']).operations).toEqual([]);
    expect(s.run(['import', csv]).code).toBe(0);
    expect(s.run(['dedupe', '--auto']).code).toBe(0);
    expect(s.run(['categorise']).code).toBe(0);
    expect(s.run(['rgpd', 'purge', '--yes']).code).toBe(0);
    const ops = s.json<{ operations: { name: string; seconds: number; summary: string | null }[] }>(['doctor']).operations;
    expect(ops.map((o) => o.name).sort()).toEqual(['categorise', 'dedupe --auto', 'import', 'purge']);
    for (const o of ops) expect(o.seconds).toBeGreaterThan(0);
    expect(ops.find((o) => o.name === 'import')?.summary).toBe('customers: 3 rows');
    const text = s.run(['doctor']);
    expect(text.stdout).toMatch(/last run +import took \d+\.\d s/);
  });
});
