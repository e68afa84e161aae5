import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/cli.js';

/**
 * Issue 18: two customers share the family address contact@famille.fr. The
 * old prospect is purged; the client who stays must keep receiving her updates
 * on the next nightly import (her e-mail is not on the suppression list).
 */
describe('a family e-mail survives the purge of one of the family', () => {
  let s: Sandbox;
  beforeAll(() => {
    s = sandbox();
  });
  afterAll(() => s.cleanup());

  it('purges the prospect, says the e-mail was kept off the list, and the next import updates the client', () => {
    const customers = join(s.dir, 'clients.csv');
    writeFileSync(customers, 'Réf;Prénom;Nom;E-mail;Téléphone\nP1;Paul;Famille;contact@famille.fr;06 11 22 33 44\nC1;Claire;Famille;contact@famille.fr;06 55 66 77 88\n');
    const first = s.json<{ inserted: number }>(['import', customers], { env: { CARNET_NOW: '2020-01-10T09:00:00.000Z' } });
    expect(first.inserted).toBe(2);
    const sales = join(s.dir, 'ventes.csv');
    writeFileSync(sales, 'Client;Type;Numéro;Date;Montant TTC;Statut\nC1;Facture;F-1;01/06/2025;120,00;payée\n');
    expect(s.json<{ inserted: number }>(['import', sales, '--what', 'sales'], { env: { CARNET_NOW: '2025-06-02T09:00:00.000Z' } }).inserted).toBe(1);

    const env = { CARNET_NOW: '2026-11-23T10:00:00.000Z' };
    const purged = s.run(['rgpd', 'purge', '--yes'], { env });
    expect(purged.code).toBe(0);
    expect(purged.stderr).toContain('1 erased');
    expect(purged.stderr).toMatch(/1 identifier\(s\) kept off the suppression list: a customer who stays holds them too/);
    expect(purged.stderr).not.toContain('still holds one of the identifiers');

    // the nightly import: same e-mail, a new phone for Claire
    writeFileSync(customers, 'Réf;Prénom;Nom;E-mail;Téléphone\nC1;Claire;Famille;contact@famille.fr;07 99 88 77 66\n');
    const again = s.json<{ updated: number; suppressed: number }>(['import', customers], { env });
    expect(again).toMatchObject({ updated: 1, suppressed: 0 });
    const claire = s.json<{ phone_e164: string | null; mobile_e164: string | null }>(['show', 'C1'], { env });
    expect([claire.phone_e164, claire.mobile_e164]).toContain('+33799887766');

    // Paul's own phone stays suppressed: he does not come back
    writeFileSync(customers, 'Réf;Prénom;Nom;E-mail;Téléphone\nP1;Paul;Famille;;06 11 22 33 44\n');
    expect(s.json<{ suppressed: number; inserted: number }>(['import', customers], { env })).toMatchObject({ suppressed: 1, inserted: 0 });

    const register = s.run(['rgpd', 'register'], { env });
    expect(register.stdout).toContain('kept off that list');
  });
});
