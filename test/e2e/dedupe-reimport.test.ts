import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, sandbox, type Sandbox } from '../helpers/cli.js';

/** Cron imports the same files every night: a merge must stick, and its undo must still work. */
let s: Sandbox;
const env = { CARNET_NOW: '2026-11-23T10:00:00Z' };
const clients = join(ROOT, 'examples', 'clients.csv');
beforeAll(() => {
  s = sandbox();
  expect(s.run(['import', clients], { env }).code).toBe(0);
});
afterAll(() => s.cleanup());

const duponts = () => s.json<{ id: number }[]>(['list', '--where', 'name ~ dupont'], { env }).map((c) => c.id);

describe('a merge and the nightly re-import', () => {
  it('the re-import finds the survivor by the merged record\'s keys instead of bringing the duplicate back', () => {
    expect(duponts()).toHaveLength(2);
    expect(s.run(['dedupe', '--auto'], { env }).code).toBe(0);
    expect(duponts()).toHaveLength(1);
    // The merged record's e-mail and Réf still name the survivor as a REF (a person writing from an old address).
    const [survivor] = duponts();
    for (const ref of ['jp.dupont@gmail.com', 'JP.Dupont@Gmail.com', 'jean-pierre.dupont@outlook.fr', 'C002', 'C012']) {
      expect(s.json<{ id: number }>(['show', ref], { env }).id, ref).toBe(survivor);
    }
    expect(s.run(['rgpd', 'access', 'jp.dupont@gmail.com', '--json'], { env }).code).toBe(0);
    expect(s.run(['show', 'C999'], { env }).code).toBe(4);
    const again = s.json<{ inserted: number; merged_in_file: number }>(['import', clients], { env });
    expect(again.inserted).toBe(0);
    expect(again.merged_in_file).toBe(1);
    expect(duponts()).toHaveLength(1);
    // the old e-mail, now only an alias, still finds the survivor through import
    const byOldEmail = s.json<{ inserted: number; updated: number; unchanged: number }>(['import', '-', '--format', 'auto'], {
      env,
      input: 'nom;email;ville\nDupont;jp.dupont@gmail.com;Paris\n',
    });
    expect(byOldEmail.inserted).toBe(0);
  });

  it('undo restores both records and drops the aliases, so each row finds its own record again', () => {
    expect(s.run(['dedupe', 'undo', '1'], { env }).code).toBe(0);
    expect(duponts()).toHaveLength(2);
    const again = s.json<{ inserted: number; merged_in_file: number }>(['import', clients], { env });
    expect(again.inserted).toBe(0);
    expect(again.merged_in_file).toBe(0);
    expect(duponts()).toHaveLength(2);
  });
});
