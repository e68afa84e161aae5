import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergeCustomers } from '../../src/core/dedupe/merge.js';
import { runImport } from '../../src/core/import/index.js';
import { clockCtx, tempDir } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';
import { importInput } from '../helpers/import-input.js';

/** Issue 18: on a deduplicated file, a sales row naming a merged record's Réf was rejected although `carnet show` found the survivor. */
forEachEngine('import of activity onto merged records', (engine) => {
  let t: ReturnType<typeof clockCtx>;
  let tmp: { dir: string; cleanup: () => void };
  beforeEach(() => {
    t = clockCtx('2026-11-23T10:00:00.000Z', engine);
    tmp = tempDir('carnet-activity-merged-');
  });
  afterEach(() => {
    t.ctx.store.close();
    tmp.cleanup();
  });

  function csv(name: string, text: string): string {
    writeFileSync(join(tmp.dir, name), text);
    return join(tmp.dir, name);
  }

  const ownerOf = (number: string) =>
    (t.ctx.store.db.prepare('SELECT c.uid FROM sales s JOIN customers c ON c.id = s.customer_id WHERE s.number = ?').get(number) as { uid: string } | undefined)?.uid;

  describe('sales and interactions find a merged record\'s survivor', () => {
    it('a Réf, an e-mail or a SIRET of a record dedupe merged lands on the survivor', async () => {
      const { ctx } = t;
      const people = csv('clients.csv', 'Réf;Prénom;Nom;E-mail;SIRET\nA1;Anne;Martin;anne@ex.fr;\nA2;Anne;Martin;anne.martin@travail.fr;\nB1;Bruno;Petit;bruno@ex.fr;\n');
      expect((await runImport(ctx, importInput(people, tmp.dir))).inserted).toBe(3);
      const [a1, a2] = ['A1', 'A2'].map((ref) => ctx.store.customers.findByExternalIdAnySource(ref)[0]);
      const merged = mergeCustomers(ctx, { ids: [a1?.id ?? 0, a2?.id ?? 0], decidedBy: 'auto' });
      // The survivor keeps one Réf and one e-mail on its row; the others live on as merge aliases only.
      const survivor = ctx.store.customers.get(merged.survivor.id);
      const goneRef = survivor?.externalId === 'A1' ? 'A2' : 'A1';
      const goneEmail = survivor?.emailNorm === 'anne@ex.fr' ? 'anne.martin@travail.fr' : 'anne@ex.fr';
      expect(ctx.store.customers.findByExternalIdAnySource(goneRef)).toEqual([]);
      expect(ctx.store.customers.findByEmailNorm(goneEmail)).toEqual([]);

      const sales = csv('ventes.csv', `Client;E-mail;Type;Numéro;Date;Montant TTC;Statut\n${goneRef};;Facture;F-1;01/02/2026;100,00;payée\n;${goneEmail};Facture;F-2;01/03/2026;50,00;payée\nB1;;Devis;D-1;01/03/2026;80,00;envoyé\nZZ9;;Facture;F-3;01/03/2026;10,00;payée\n`);
      const r = await runImport(ctx, importInput(sales, tmp.dir, { what: 'sales' }));
      expect(r).toMatchObject({ read: 4, inserted: 3, rejected: 1 });
      expect(r.rejectSamples[0]?.message).toContain("no customer with external id 'ZZ9'");
      expect(ownerOf('F-1')).toBe(merged.survivor.uid);
      expect(ownerOf('F-2')).toBe(merged.survivor.uid);

      const log = csv('contacts.csv', `Client;Type;Sens;Date;Résumé\n${goneRef};Appel;Entrant;2026-03-02 10:00;rappel devis\n`);
      expect(await runImport(ctx, importInput(log, tmp.dir, { what: 'interactions' }))).toMatchObject({ inserted: 1, rejected: 0 });
      expect((ctx.store.db.prepare('SELECT customer_id FROM interactions').get() as { customer_id: number }).customer_id).toBe(merged.survivor.id);
    });

    it('a Réf two customers carry in different namespaces names nobody', async () => {
      const { ctx } = t;
      await runImport(ctx, importInput(csv('a.csv', 'Réf;Nom;E-mail\nX1;Alpha;alpha@ex.fr\n'), tmp.dir, { source: 'shop' }));
      await runImport(ctx, importInput(csv('b.csv', 'Réf;Nom;E-mail\nX1;Beta;beta@ex.fr\n'), tmp.dir, { source: 'crm' }));
      const r = await runImport(ctx, importInput(csv('v.csv', 'Client;Type;Numéro;Date;Montant TTC;Statut\nX1;Facture;F-9;01/02/2026;100,00;payée\n'), tmp.dir, { what: 'sales' }));
      expect(r).toMatchObject({ inserted: 0, rejected: 1 });
      // in the file's own namespace it is unambiguous
      const own = await runImport(ctx, importInput(csv('w.csv', 'Client;Type;Numéro;Date;Montant TTC;Statut\nX1;Facture;F-9;01/02/2026;100,00;payée\n'), tmp.dir, { what: 'sales', source: 'crm' }));
      expect(own).toMatchObject({ inserted: 1, rejected: 0 });
    });
  });
});
