import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ON_PG, sandbox } from '../helpers/cli.js';

/**
 * An address book round trip keeps the fields of one's own: a card carries
 * each as X-CARNET-<KEY> (vCard has no property for it), and the import of
 * the card into a database that declares the same fields reads them back, typed.
 */
const FIELDS: [name: string, type: string, choices?: string][] = [
  ['Potentiel', 'number'],
  ['Date du salon', 'date'],
  ['Adhérent actif', 'bool'],
  ["Canal d'acquisition", 'choice', 'Salon,Site web'],
  ['N° adhérent', 'text'],
];

describe('vCard round trip of fields of your own', () => {
  it('exports X-CARNET-<KEY> properties and imports them back into the same fields', () => {
    const t = sandbox('carnet-field-vcard-');
    try {
      const declare = (db: string) => {
        for (const [name, type, choices] of FIELDS) {
          const r = t.run(['field', 'add', name, '--type', type, ...(choices ? ['--choices', choices] : [])], { env: { CARNET_DB: db } });
          expect(r.code, r.stderr).toBe(0);
        }
      };
      declare(t.db);
      const sets = ['potentiel=3,5', 'date_du_salon=12/03/2026', 'adherent_actif=oui', 'canal_d_acquisition=site WEB', 'n_adherent=A-123'];
      const add = t.run(['add', '--first-name', 'Élodie', '--last-name', 'Meyer', '--email', 'elodie.meyer@example.fr', ...sets.flatMap((s) => ['--set', s])]);
      expect(add.code, add.stderr).toBe(0);

      const vcf = join(t.dir, 'book.vcf');
      const exp = t.run(['export', '--format', 'vcard', '--out', vcf]);
      expect(exp.code, exp.stderr).toBe(0);
      const card = readFileSync(vcf, 'utf8');
      expect(card).toContain('X-CARNET-POTENTIEL:3.5');
      expect(card).toContain('X-CARNET-DATE-DU-SALON:2026-03-12');
      expect(card).toContain('X-CARNET-ADHERENT-ACTIF:oui');
      expect(card).toContain('X-CARNET-CANAL-D-ACQUISITION:Site web');
      expect(card).toContain('X-CARNET-N-ADHERENT:A-123');

      // Another database of the same engine: a file beside, or another schema on the same server.
      const fresh = ON_PG ? t.db.replace(/schema=(\w+)/, 'schema=$1_fresh') : join(t.dir, 'fresh.db');
      expect(t.run(['init'], { env: { CARNET_DB: fresh } }).code).toBe(0);
      declare(fresh);
      const imp = t.run(['import', vcf, '--json'], { env: { CARNET_DB: fresh } });
      expect(imp.code, imp.stderr).toBe(0);
      expect(JSON.parse(imp.stdout)).toMatchObject({ inserted: 1, rejected: 0 });
      const shown = t.json<Record<string, unknown>>(['show', 'elodie.meyer@example.fr', '--json'], { env: { CARNET_DB: fresh } });
      expect(JSON.stringify(shown)).not.toContain('X-CARNET');
      const custom = (shown.customer ?? shown) as Record<string, unknown>;
      expect(custom).toMatchObject({ potentiel: 3.5, date_du_salon: '2026-03-12', adherent_actif: true, canal_d_acquisition: 'Site web', n_adherent: 'A-123' });
    } finally {
      t.cleanup();
    }
  });
});
