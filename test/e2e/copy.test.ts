import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCarnet, sandbox, type Sandbox } from '../helpers/cli.js';
import { freshPgUrl, PG_START_MS } from '../helpers/engines.js';

/** `carnet copy`: a whole customer file to a new file or an empty server database, and back, unchanged. */
describe('carnet copy TARGET [postgres]', () => {
  let box: Sandbox;
  let pg: string;
  const cities = ['Lyon', 'Saint-Étienne', 'Besançon', 'Nîmes', 'Paris'];
  const people = ['prénom;nom;email;ville;téléphone', ...Array.from({ length: 120 }, (_, i) => `Zoé${i};Ærnström-${i};p${i}@exemple.fr;${cities[i % 5]};06 12 34 ${String(10 + (i % 90)).padStart(2, '0')} ${String(i % 100).padStart(2, '0')}`)].join('\n');

  beforeAll(async () => {
    pg = await freshPgUrl();
    box = sandbox();
    expect(box.run(['import', '-', '-q'], { input: people }).code).toBe(0);
    expect(box.run(['category', 'add', 'VIP']).code).toBe(0);
    expect(box.run(['tag', '1', 'VIP']).code).toBe(0);
    expect(box.run(['sale', 'add', '1', '--kind', 'invoice', '--number', 'F-1', '--amount', '1200.50', '--status', 'unpaid']).code).toBe(0);
    expect(box.run(['rgpd', 'forget', '2', '--yes']).code).toBe(0);
  }, PG_START_MS);
  afterAll(() => box?.cleanup());

  const exportOf = (db: string, format: string) => {
    const r = box.run(['export', '--format', format], { env: { CARNET_DB: db } });
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };

  it('SQLite → PostgreSQL → SQLite: every table comes back, export byte for byte the same', () => {
    const toPg = box.run(['copy', pg, '--json']);
    expect(toPg.code, toPg.stderr).toBe(0);
    const r = JSON.parse(toPg.stdout) as { rows: number; tables: number; target: string };
    expect(r.rows).toBeGreaterThan(120);
    // the PostgreSQL copy exports the same bytes already
    for (const format of ['csv', 'ndjson']) expect(exportOf(pg, format)).toBe(exportOf(box.db, format));
    const back = join(box.dir, 'back.db');
    const toFile = box.run(['copy', back], { env: { CARNET_DB: pg } });
    expect(toFile.code, toFile.stderr).toBe(0);
    for (const format of ['csv', 'ndjson', 'vcard']) expect(exportOf(back, format)).toBe(exportOf(box.db, format));
    // the suppression list came too: the forgotten person stays out of a re-import
    const again = box.run(['import', '-', '--json'], { input: people, env: { CARNET_DB: back } });
    expect((JSON.parse(again.stdout) as { suppressed: number }).suppressed).toBeGreaterThan(0);
  });

  it('refuses a target that holds data, and leaves it as it was', () => {
    const r = box.run(['copy', pg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already holds data/);
    const file = box.run(['copy', box.db]);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/already exists/);
  });

  it('an unreachable target server is exit 5, without its password', () => {
    const r = runCarnet(['copy', 'postgres://bob:s3cret@/crm?host=/nonexistent'], { env: { CARNET_DB: box.db } });
    expect(r.code).toBe(5);
    expect(r.stderr).not.toContain('s3cret');
  });
});
