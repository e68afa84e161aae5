import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/core/context.js';
import { runImport, type ImportInput } from '../../src/core/import/index.js';
import type { Store } from '../../src/db/store.js';
import { ROOT } from '../helpers/cli.js';
import { clockCtx, tempDir } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';

forEachEngine('import of sales and interactions', (engine) => {
  let ctx: Ctx & { store: Store };
  let setNow: (iso: string) => void;
  let tmp: { dir: string; cleanup: () => void };

  beforeEach(async () => {
    ({ ctx, setNow } = clockCtx('2026-11-23T10:00:00.000Z', engine));
    tmp = tempDir('carnet-import-activity-');
    await runImport(ctx, input(join(ROOT, 'examples', 'clients.csv'), 'customers'));
  });
  afterEach(() => {
    ctx.store.close();
    tmp.cleanup();
  });

  function input(file: string, what: ImportInput['what'], over: Partial<ImportInput> = {}): ImportInput {
    return {
      file, what, format: 'auto', maps: [], key: 'auto', onConflict: 'update', categories: [], source: null, country: null,
      rejects: join(tmp.dir, 'rejects.csv'), strict: false, dryRun: false, ...over,
    };
  }
  function csv(name: string, text: string): string {
    writeFileSync(join(tmp.dir, name), text);
    return join(tmp.dir, name);
  }
  const all = <T>(sql: string, ...p: unknown[]) => ctx.store.db.prepare(sql).all(...p) as T[];

  describe('--what sales', () => {
    it('examples/ventes.csv: French kinds, statuses, dates and amounts, matched by the Réf in Client', async () => {
      const r = await runImport(ctx, input(join(ROOT, 'examples', 'ventes.csv'), 'sales'));
      expect(r).toMatchObject({ read: 8, inserted: 8, rejected: 0 });
      expect(all("SELECT c.external_id AS client, s.kind, s.number, s.issued_on, s.due_on, s.amount_cents, s.status FROM sales s JOIN customers c ON c.id = s.customer_id WHERE s.number IN ('F-2024-001', 'D-2026-002', 'F-2026-020') ORDER BY s.number")).toEqual([
        { client: 'C003', kind: 'quote', number: 'D-2026-002', issued_on: '2026-10-02', due_on: null, amount_cents: 360000, status: 'sent' },
        { client: 'C001', kind: 'invoice', number: 'F-2024-001', issued_on: '2024-01-15', due_on: '2024-02-14', amount_cents: 125000, status: 'paid' },
        { client: 'C003', kind: 'invoice', number: 'F-2026-020', issued_on: '2026-09-10', due_on: '2026-10-10', amount_cents: 89050, status: 'unpaid' },
      ]);
    });

    it('re-importing changes nothing; a status that changed is an update', async () => {
      const path = join(ROOT, 'examples', 'ventes.csv');
      await runImport(ctx, input(path, 'sales'));
      expect(await runImport(ctx, input(path, 'sales'))).toMatchObject({ inserted: 0, updated: 0, unchanged: 8 });
      setNow('2026-12-01T00:00:00.000Z');
      const paid = await runImport(ctx, input(csv('paid.csv', 'Client;Type;Numéro;Date;Montant TTC;Statut\nC003;facture;F-2026-020;10/09/2026;890,50;payée\n'), 'sales'));
      expect(paid).toMatchObject({ updated: 1 });
      expect(all("SELECT status, updated_at FROM sales WHERE number = 'F-2026-020'")).toEqual([{ status: 'paid', updated_at: '2026-12-01T00:00:00.000Z' }]);
    });

    it('rows whose customer is unknown, or whose number belongs to another customer, are rejected with the reason', async () => {
      await runImport(ctx, input(join(ROOT, 'examples', 'ventes.csv'), 'sales'));
      const r = await runImport(ctx, input(csv('v.csv', 'Client;Type;Numéro;Date;Montant TTC\nC099;facture;F-9;01/01/2026;10\nC002;facture;F-2024-001;01/01/2026;10\nC002;facture;F-10;01/01/2026;dix euros\nfoo@bar.fr;devis;D-1;01/01/2026;5\n'), 'sales'));
      expect(r).toMatchObject({ read: 4, inserted: 0, rejected: 4 });
      expect(r.rejectSamples.map((x) => [x.line, x.message])).toEqual([
        [2, expect.stringMatching(/^no customer with external id 'C099'/)],
        [3, expect.stringMatching(/invoice F-2024-001 already belongs to another customer/)],
        [4, expect.stringMatching(/'dix euros' is not an amount/)],
        [5, expect.stringMatching(/^no customer with e-mail foo@bar.fr/)],
      ]);
    });

    it('matches by e-mail or SIRET too', async () => {
      const r = await runImport(ctx, input(csv('v.csv', 'E-mail;SIRET;N° facture;Date facture;Montant\nelodie.meyer@sfr.fr;;F-1;2026-01-05;100\n;732 829 320 00074;F-2;2026-01-06;200\n'), 'sales'));
      expect(r).toMatchObject({ inserted: 2 });
      expect(all('SELECT c.external_id AS ref FROM sales s JOIN customers c ON c.id = s.customer_id ORDER BY s.id')).toEqual([{ ref: 'C001' }, { ref: 'C003' }]);
    });

    it('--strict rolls everything back when a row is rejected', async () => {
      const r = await runImport(ctx, input(csv('v.csv', 'Client;Numéro;Date;Montant\nC001;F-1;2026-01-05;100\nC099;F-2;2026-01-06;200\n'), 'sales', { strict: true }));
      expect(r).toMatchObject({ aborted: true, inserted: 0, rejected: 1 });
      expect(all('SELECT * FROM sales')).toEqual([]);
    });
  });

  describe('--what interactions', () => {
    it('imports once, moves last_contact_at forward for incoming contacts only', async () => {
      const path = csv('i.csv', 'Client;Type;Sens;Date;Résumé\nC001;appel;entrant;12/11/2026 14h30;Demande de devis\nC001;email;sortant;13/11/2026;Devis envoyé\nC002;rdv;;2026-10-01;\n');
      const r = await runImport(ctx, input(path, 'interactions'));
      expect(r).toMatchObject({ read: 3, inserted: 3 });
      expect(all("SELECT kind, direction, summary FROM interactions ORDER BY id")).toEqual([
        { kind: 'call', direction: 'in', summary: 'Demande de devis' }, { kind: 'email', direction: 'out', summary: 'Devis envoyé' }, { kind: 'meeting', direction: 'out', summary: null },
      ]);
      expect(all("SELECT external_id, last_contact_at FROM customers WHERE external_id IN ('C001', 'C002') ORDER BY external_id")).toEqual([
        { external_id: 'C001', last_contact_at: new Date(2026, 10, 12, 14, 30).toISOString() }, { external_id: 'C002', last_contact_at: null },
      ]);
      expect(await runImport(ctx, input(path, 'interactions'))).toMatchObject({ inserted: 0, unchanged: 3 });
    });

    it('refuses interactions in the future and unknown kinds', async () => {
      const r = await runImport(ctx, input(csv('i.csv', 'Client;Type;Date\nC001;appel;01/01/2030\nC001;pigeon voyageur;01/01/2026\n'), 'interactions'));
      expect(r).toMatchObject({ inserted: 0, rejected: 2 });
    });
  });
});
