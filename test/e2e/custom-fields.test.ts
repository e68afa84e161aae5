import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandbox } from '../helpers/cli.js';

/**
 * Fields of the user's own, through the binary, one type at a time: declare,
 * import a file with a good and a bad value (the bad one warned, its row kept),
 * filter, category rule, export (dates ISO), rgpd access, forget, remove.
 */
interface Case {
  type: string;
  name: string;
  key: string;
  choices?: string;
  good: string;
  stored: unknown;
  csv: string;
  bad: string;
  where: string;
}

const CASES: Case[] = [
  { type: 'text', name: 'N° adhérent', key: 'n_adherent', good: 'A-123', stored: 'A-123', csv: 'A-123', bad: '', where: 'n_adherent ~ "a-1"' },
  { type: 'number', name: 'Potentiel', key: 'potentiel', good: '3,5', stored: 3.5, csv: '3.5', bad: 'beaucoup', where: 'potentiel >= 3' },
  { type: 'date', name: 'Date du salon', key: 'date_du_salon', good: '12/03/2026', stored: '2026-03-12', csv: '2026-03-12', bad: '31/02/2026', where: 'date_du_salon > -1y' },
  { type: 'bool', name: 'Adhérent actif', key: 'adherent_actif', good: 'Oui', stored: true, csv: 'oui', bad: 'peut-être', where: 'adherent_actif = oui' },
  { type: 'choice', name: "Canal d'acquisition", key: 'canal_d_acquisition', choices: 'Salon,Site Web', good: 'site web', stored: 'Site Web', csv: 'Site Web', bad: 'Radio', where: 'canal_d_acquisition = "site web"' },
];

describe('fields of your own, one type at a time', () => {
  for (const c of CASES) {
    it(`${c.type}: declare, import, filter, rule, export, access, forget, remove`, () => {
      const t = sandbox(`carnet-field-${c.type}-`);
      const env = { CARNET_NOW: '2026-06-01T12:00:00Z' };
      try {
        const add = t.run(['field', 'add', c.name, '--type', c.type, ...(c.choices ? ['--choices', c.choices] : [])], { env });
        expect(add.code, add.stderr).toBe(0);
        expect(add.stdout.trim()).toBe(c.key);
        const listed = t.json<{ key: string; name: string; type: string }[]>(['field', 'list', '--json']);
        expect(listed).toMatchObject([{ key: c.key, name: c.name, type: c.type }]);

        // The header written another way (case, accents): still the field.
        const header = c.name.toUpperCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
        const file = join(t.dir, 'in.csv');
        writeFileSync(file, `Nom;E-mail;${header}\nMeyer;meyer@example.fr;${c.good}\nDupont;dupont@example.fr;${c.bad}\nFaure;faure@example.fr;\n`);
        const imp = t.run(['import', file, '--json'], { env });
        expect(imp.code, imp.stderr).toBe(0);
        const counts = JSON.parse(imp.stdout) as { inserted: number; rejected: number; warnings: number };
        expect(counts).toMatchObject({ inserted: 3, rejected: 0, warnings: c.bad === '' ? 0 : 1 });
        if (c.bad !== '') expect(imp.stderr).toContain(`line 3 ${c.key}: '${c.bad}'`);

        const shown = t.json<Record<string, unknown>>(['show', 'meyer@example.fr', '--json']);
        expect(shown[c.key]).toEqual(c.stored);
        const dupont = t.json<Record<string, unknown>>(['show', 'dupont@example.fr', '--json']);
        if (c.bad !== '') expect(dupont.extra).toEqual({ [header]: c.bad });

        if (c.type === 'text' || c.type === 'choice') {
          // search covers text fields of one's own.
          const hits = t.json<{ last_name: string }[]>(['search', c.good, '--json']);
          expect(hits.map((h) => h.last_name)).toEqual(['Meyer']);
        }
        const found = t.json<{ last_name: string }[]>(['list', '--where', c.where, '--json']);
        expect(found.map((r) => r.last_name)).toEqual(['Meyer']);
        const empty = t.json<{ last_name: string }[]>(['list', '--where', `${c.key} is empty`, '--json']);
        expect(empty.map((r) => r.last_name).sort()).toEqual(['Dupont', 'Faure']);

        expect(t.run(['category', 'add', 'Ciblés', '--rule', c.where]).code).toBe(0);
        expect(t.run(['categorise'], { env }).code).toBe(0);
        expect(t.json<{ last_name: string }[]>(['list', '--category', 'Ciblés', '--json']).map((r) => r.last_name)).toEqual(['Meyer']);

        const csv = t.run(['export', '--columns', `last_name,${c.key}`]);
        expect(csv.stdout.split('\n').slice(0, 2)).toEqual([`last_name,${c.name}`, `Meyer,${c.csv}`]);
        const json = t.run(['export', '--format', 'ndjson', '--columns', `last_name,${c.key}`]);
        expect(JSON.parse(json.stdout.split('\n')[0] ?? '{}')).toEqual({ last_name: 'Meyer', [c.key]: c.stored });

        const access = t.json<{ customer: { custom: Record<string, unknown> } }>(['rgpd', 'access', 'meyer@example.fr', '--json']);
        expect(access.customer.custom).toEqual({ [c.key]: c.stored });
        const register = t.json<{ data_categories: { category: string; fields: { field: string; rows: number }[] }[] }>(['rgpd', 'register', '--json']);
        expect(register.data_categories.find((d) => d.category === 'Fields of your own')?.fields).toEqual([{ field: c.name, rows: 1 }]);

        expect(t.run(['rgpd', 'forget', 'meyer@example.fr', '--yes'], { env }).code).toBe(0);
        expect(t.json<unknown[]>(['list', '--where', `${c.key} is not empty`, '--json'])).toEqual([]);

        // Removing it: values back to extra under its name (Faure's and Dupont's had none in the field).
        expect(t.run(['field', 'remove', c.key]).code).toBe(2);
        expect(t.run(['field', 'edit-me-not']).code).not.toBe(0);
        t.run(['edit', 'faure@example.fr', '--set', `${c.key}=${c.good}`]);
        const removed = t.run(['field', 'remove', c.key, '--yes', '--json']);
        expect(removed.code, removed.stderr).toBe(0);
        expect(JSON.parse(removed.stdout)).toMatchObject({ key: c.key, values: 1, dropped: false });
        const faure = t.json<Record<string, unknown>>(['show', 'faure@example.fr', '--json']);
        expect(faure.extra).toEqual({ [c.name]: c.csv });
        expect(t.json<unknown[]>(['field', 'list', '--json'])).toEqual([]);
      } finally {
        t.cleanup();
      }
    });
  }

  it('field choices: a new value is added, values in use respelled, the ones kept in extra adopted; a list leaving a used value out is refused', () => {
    const t = sandbox('carnet-field-choices-');
    try {
      expect(t.run(['field', 'add', "Canal d'acquisition", '--type', 'choice', '--choices', 'Salon,Site web']).code).toBe(0);
      const file = join(t.dir, 'in.csv');
      writeFileSync(file, "Nom;E-mail;Canal d'acquisition\nMeyer;meyer@example.fr;salon\nDupont;dupont@example.fr;Radio\nFaure;faure@example.fr;Site WEB\n");
      const imp = t.run(['import', file]);
      expect(imp.code).toBe(0);
      expect(imp.stderr).toContain("'Radio' is not one of Salon, Site web");
      const set = t.run(['edit', 'dupont@example.fr', '--set', 'canal_d_acquisition=Radio']);
      expect(set.code).toBe(3);
      expect(set.stderr).toContain('carnet field choices canal_d_acquisition "Salon,Site web,Radio"');

      const refused = t.run(['field', 'choices', 'canal_d_acquisition', 'Salon,Radio']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("the new list leaves out values in use: 'Site web' (1 customer)");
      expect(t.run(['field', 'choices', 'canal_d_acquisition', 'Salon,salon']).code).toBe(2);
      // field add reads its list as field choices does: two spellings of one choice are refused there too.
      const twins = t.run(['field', 'add', 'Source', '--type', 'choice', '--choices', 'Radio,RADIO']);
      expect(twins.code).toBe(2);
      expect(twins.stderr).toContain("'RADIO' and 'Radio' are one choice");
      expect(t.run(['field', 'choices', 'Potentiel', 'a,b']).code).toBe(4);

      const r = t.run(['field', 'choices', "canal d'acquisition", 'Salon,Site Web,Radio', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ key: 'canal_d_acquisition', choices: ['Salon', 'Site Web', 'Radio'], respelled: 1, adopted: 1 });
      const rows = t.json<Record<string, unknown>[]>(['list', '--sort', 'last_name', '--json']);
      expect(rows.map((x) => [x.last_name, x.canal_d_acquisition, x.extra])).toEqual([
        ['Dupont', 'Radio', {}],
        ['Faure', 'Site Web', {}],
        ['Meyer', 'Salon', {}],
      ]);
      expect(t.json<{ choices: string[] }[]>(['field', 'list', '--json'])[0]?.choices).toEqual(['Salon', 'Site Web', 'Radio']);
    } finally {
      t.cleanup();
    }
  });

  it('field add adopts values kept in extra; the ones that do not fit stay and are reported; rename follows', () => {
    const t = sandbox('carnet-field-adopt-');
    try {
      const file = join(t.dir, 'in.csv');
      writeFileSync(file, "Nom;Canal d'acquisition\nMeyer;Salon\nDupont;site web\nFaure;Radio\n");
      expect(t.run(['import', file]).code).toBe(0);
      const r = t.run(['field', 'add', "Canal d'acquisition", '--type', 'choice', '--choices', 'Salon,Site Web', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ key: 'canal_d_acquisition', adopted: 2, not_adopted: [{ value: 'Radio' }] });
      expect(t.json<{ last_name: string }[]>(['list', '--where', 'canal_d_acquisition in (salon, "site web")', '--json']).map((x) => x.last_name)).toEqual(['Meyer', 'Dupont']);
      expect(t.json<{ last_name: string }[]>(['list', '--where', `extra."Canal d'acquisition" = radio`, '--json']).map((x) => x.last_name)).toEqual(['Faure']);
      expect(t.run(['field', 'rename', 'canal_d_acquisition', 'Canal']).stdout.trim()).toBe('canal');
      expect(t.json<{ last_name: string }[]>(['list', '--where', 'canal = salon', '--json']).map((x) => x.last_name)).toEqual(['Meyer']);
      // --map names a field of one's own by its key.
      const mapped = join(t.dir, 'mapped.csv');
      writeFileSync(mapped, 'Nom;Origine du prospect\nRoux;Salon\n');
      expect(t.run(['import', mapped, '--map', 'Origine du prospect=canal']).code).toBe(0);
      expect(t.json<{ last_name: string }[]>(['list', '--where', 'canal = salon', '--json']).map((x) => x.last_name)).toEqual(['Meyer', 'Roux']);
      expect(t.run(['field', 'add', 'City', '--type', 'text']).code).toBe(2);
      expect(t.run(['field', 'add', 'X', '--type', 'color']).code).toBe(2);
      expect(t.run(['edit', 'Meyer', '--set', 'canal=Radio']).code).not.toBe(0);
      // The database is still whole and readable after the refusals (a file or a server's schema alike).
      expect(t.json<unknown[]>(['list']).length).toBeGreaterThan(0);
    } finally {
      t.cleanup();
    }
  });
});
