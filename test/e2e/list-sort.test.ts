import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandbox } from '../helpers/cli.js';

/**
 * `list` and `export` sorted, and `list` for scripts, with fields of one's
 * own: the same order on both engines (empty values last either way, as a
 * spreadsheet sorts; SQLite alone would put them first when ascending), a
 * number field sorted as numbers (10 after 3), and the fields by key in
 * `list --json`/`--csv`, typed, as `show` and `export` give them.
 */
describe('list and export --sort, fields of your own in list', () => {
  it('sorts by a built-in or an own field with empty values last, and lists own fields by key', () => {
    const t = sandbox('carnet-list-sort-');
    try {
      expect(t.run(['field', 'add', 'Potentiel', '--type', 'number']).code).toBe(0);
      expect(t.run(['field', 'add', 'Date du salon', '--type', 'date']).code).toBe(0);
      const file = join(t.dir, 'in.csv');
      writeFileSync(
        file,
        'Nom;Prénom;E-mail;Potentiel;Date du salon\n' +
          'Meyer;Anne;meyer@example.fr;3;12/03/2026\n' +
          'Dupont;;dupont@example.fr;10;\n' +
          'Faure;Zoé;faure@example.fr;;01/02/2025\n' +
          'Roux;Bruno;roux@example.fr;1,5;\n',
      );
      const imp = t.run(['import', file, '--json']);
      expect(imp.code, imp.stderr).toBe(0);

      const names = (args: string[]): string[] => t.json<{ last_name: string }[]>(['list', ...args, '--json']).map((r) => r.last_name);
      expect(names(['--sort', 'potentiel'])).toEqual(['Roux', 'Meyer', 'Dupont', 'Faure']);
      expect(names(['--sort', '-potentiel'])).toEqual(['Dupont', 'Meyer', 'Roux', 'Faure']);
      expect(names(['--sort', 'date_du_salon'])).toEqual(['Faure', 'Meyer', 'Dupont', 'Roux']);
      expect(names(['--sort', 'first_name'])).toEqual(['Meyer', 'Roux', 'Faure', 'Dupont']);
      expect(names(['--sort', '-first_name'])).toEqual(['Faure', 'Roux', 'Meyer', 'Dupont']);

      const rows = t.json<Record<string, unknown>[]>(['list', '--sort', 'id', '--json']);
      expect(rows[0]).toMatchObject({ last_name: 'Meyer', potentiel: 3, date_du_salon: '2026-03-12' });
      expect(rows[1]).toMatchObject({ last_name: 'Dupont', potentiel: 10, date_du_salon: null });
      expect(rows.every((r) => !('custom' in r))).toBe(true);
      const keys = Object.keys(rows[0] ?? {});
      expect(keys.indexOf('potentiel')).toBe(keys.indexOf('extra') + 1);

      const csv = t.run(['list', '--csv', '--sort', '-potentiel']);
      expect(csv.code, csv.stderr).toBe(0);
      const [header, first] = csv.stdout.split('\n');
      expect(header?.split(',')).toContain('potentiel');
      expect(header?.split(',')).not.toContain('custom');
      expect(first).toContain('Dupont');

      const out = t.run(['export', '--sort', '-potentiel', '--columns', 'last_name,potentiel', '-o', '-']);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout.trim().split(/\r?\n/)).toEqual(['last_name,Potentiel', 'Dupont,10', 'Meyer,3', 'Roux,1.5', 'Faure,']);

      const unknown = t.run(['export', '--columns', 'nope', '-o', '-']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('and yours: potentiel, date_du_salon');
      expect(unknown.stderr).not.toMatch(/, custom,/);

      const bad = t.run(['list', '--sort', 'nope']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("cannot sort by 'nope'");
      expect(bad.stderr).toContain('potentiel');
    } finally {
      t.cleanup();
    }
  });
});
