import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sandbox } from '../helpers/cli.js';

/**
 * Every CSV carnet writes guards a cell a spreadsheet would run with a
 * leading ' (rejects files included, since people open them in a
 * spreadsheet to fix them). Importing the fixed file must give back what the
 * person wrote, not the guard.
 */
describe('a rejects file with a guarded cell imports again as written', () => {
  const s = sandbox('carnet-rejects-formula-');
  afterAll(() => s.cleanup());

  it('drops the guard mark on import, and every CSV writer puts it back', () => {
    const file = join(s.dir, 'clients.csv');
    // The second row identifies no one (no name, e-mail, phone…): it goes to the rejects file.
    writeFileSync(file, 'Nom;Ville;Notes\nMeyer;Lyon;=1+2 rappeler\n;Nantes;@SUM(1) à voir\n');
    const rejects = join(s.dir, 'rejects.csv');
    const r = s.run(['import', file, '--rejects', rejects]);
    expect(r.code).toBe(3);
    const text = readFileSync(rejects, 'utf8');
    expect(text).toContain("'@SUM(1) à voir");
    // The person fixes the row (gives a name) and imports the rejects file.
    writeFileSync(rejects, text.replace(';Nantes;', 'Martin;Nantes;').replace(',Nantes,', ',Martin,Nantes,'));
    expect(s.json<Record<string, unknown>>(['import', rejects])).toMatchObject({ rejected: 0, inserted: 1 });
    const people = s.json<{ last_name: string; notes: string | null }[]>(['list', '--sort', 'last_name']);
    expect(people.map((p) => [p.last_name, p.notes])).toEqual([
      ['Martin', '@SUM(1) à voir'],
      ['Meyer', '=1+2 rappeler'],
    ]);
    // And a CSV read by a person's spreadsheet shows them as text again.
    const csv = s.run(['list', '--csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain("'=1+2 rappeler");
  });
});
