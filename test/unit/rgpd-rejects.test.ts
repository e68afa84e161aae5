import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { Ctx } from '../../src/core/context.js';
import { addCustomer } from '../../src/core/customers/add.js';
import { forget } from '../../src/core/rgpd/forget.js';
import { purge } from '../../src/core/rgpd/purge.js';
import { buildRegister } from '../../src/core/rgpd/register.js';
import { Store } from '../../src/db/store.js';
import { RejectsWriter } from '../../src/io/rejects.js';
import { freshStore, tempDir } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';

/** Issue 18: the rows an import refused outlived the erasure of the person they name. */
forEachEngine('rejects files are covered by erasure', (engine) => {
  let tmp: { dir: string; cleanup: () => void };
  let ctx: Ctx & { store: Store };
  let now = Date.parse('2026-11-23T10:00:00.000Z');

  beforeEach(() => {
    tmp = tempDir('carnet-rejects-');
    now = Date.parse('2026-11-23T10:00:00.000Z');
    // Rejects live beside a SQLite file, and in $XDG_DATA_HOME/carnet for a server's database.
    if (engine === 'postgres') vi.stubEnv('XDG_DATA_HOME', tmp.dir);
    const store = engine === 'sqlite' ? Store.open(join(tmp.dir, 'carnet.db')) : freshStore(engine);
    ctx = { store, now: () => new Date(now), actor: 'test' };
  });
  afterEach(() => {
    // The PostgreSQL store goes back to the test pool by itself (freshStore).
    if (engine === 'sqlite') ctx.store.close();
    vi.unstubAllEnvs();
    tmp.cleanup();
  });

  function rejects(name: string, rows: string[][]): string {
    const w = new RejectsWriter(join(ctx.store.localDir!, 'rejects', name), ['Nom', 'E-mail', 'Téléphone'], ';');
    rows.forEach((cells, i) => w.write(i + 2, 'e-mail', 'not an e-mail', cells));
    w.close();
    return w.path;
  }

  it('forget removes the person\'s rows (any case, any phone spelling) and keeps the others, 0600', async () => {
    const c = addCustomer(ctx, { lastName: 'Zellweger', email: 'gwen.zell@exemple.fr', phone: '06 47 58 69 70' }).customer;
    const a = rejects('clients-20261101-100000.csv', [['Zellweger', 'GWEN.ZELL@Exemple.fr', ''], ['Autre', 'autre@@ex', '01 02 03 04 05'], ['Zellweger G.', 'x@', '06.47.58.69.70']]);
    const b = rejects('clients-20261102-100000.csv', [['Zellweger', 'gwen.zell@exemple.fr', '']]);
    const r = await forget(ctx, c.uid);
    expect(r.scrub.rejects.rows).toBe(3);
    expect(r.scrub.rejects.files.sort()).toEqual([a, b].sort());
    expect(existsSync(b)).toBe(false); // nothing left in it
    const left = readFileSync(a, 'utf8');
    expect(left).toContain('autre@@ex');
    expect(left.toLowerCase()).not.toContain('gwen.zell');
    expect(left).not.toContain('06.47.58.69.70');
    expect(statSync(a).mode & 0o777).toBe(0o600);
    expect(buildRegister(ctx).security.rejects.map((f) => f.path)).toEqual([a]);
  });

  it('purge deletes rejects files older than the policy (30 days by default), even with nobody to erase', async () => {
    const old = rejects('vieux-20261001-100000.csv', [['Untel', 'untel@@ex', '']]);
    const recent = rejects('recent-20261120-100000.csv', [['Untel', 'untel@@ex', '']]);
    const t = (now - 31 * 86_400_000) / 1000;
    utimesSync(old, t, t);
    const r = await purge(ctx, { dryRun: false });
    expect(r.rejectsExpired).toEqual([old]);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
  });
});
