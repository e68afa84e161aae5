import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { purge } from '../../src/core/rgpd/purge.js';
import { Store } from '../../src/db/store.js';
import { tempDir } from '../helpers/ctx.js';

function bytesOf(path: string): Buffer {
  return Buffer.concat([path, `${path}-wal`].filter(existsSync).map((f) => readFileSync(f)));
}

// SQLite only, by nature: it reads the bytes of the database file and its WAL after a purge (VACUUM,
// checkpoint). A server's files are out of carnet's reach; what stays there is stated by `rgpd forget`,
// `rgpd register` and `doctor` (Store.beyondReach: rgpd-rights.test.ts, e2e/pg-cli.test.ts).
describe('rgpd scrub on a file', () => {
  it('a bulk purge leaves none of the erased identifiers in the file bytes (b-tree rebalancing leaves copies: VACUUM)', async () => {
    const t = tempDir();
    const path = join(t.dir, 'carnet.db');
    const store = Store.open(path);
    try {
      let now = Date.parse('2020-01-10T09:00:00Z');
      const ctx = { store, now: () => new Date(now), actor: 'test' };
      const phone = (i: number) => `06 ${String(10 + (i % 90))} ${String(10 + ((i * 7) % 90))} ${String(10 + ((i * 13) % 90))} ${String(10 + ((i * 31) % 90))}`;
      store.tx(() => {
        for (let i = 0; i < 600; i++) addCustomer(ctx, { lastName: `Effacé${i}`, email: `efface.${i}@exemple.fr`, phone: phone(i), notes: `note ${i}` });
      });
      now = Date.parse('2026-11-23T10:00:00Z');
      store.tx(() => {
        for (let i = 0; i < 200; i++) addCustomer(ctx, { lastName: `Gardé${i}`, email: `garde.${i}@exemple.fr` });
      });
      store.maintenance.checkpointTruncate();
      const r = await purge(ctx, { dryRun: false });
      expect(r.counts.erased).toBe(600);
      expect(r.scrub).toMatchObject({ fileTraces: 0, walTruncated: true, vacuumed: true });
      const bytes = bytesOf(path);
      const left = Array.from({ length: 600 }, (_, i) => `efface.${i}@exemple.fr`).filter((e) => bytes.includes(Buffer.from(e)));
      expect(left).toEqual([]);
      expect(bytes.includes(Buffer.from('garde.199@exemple.fr'))).toBe(true);
    } finally {
      store.close();
      t.cleanup();
    }
  });
});
