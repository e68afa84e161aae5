import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCarnet, sandbox, type Sandbox } from '../helpers/cli.js';

/**
 * carnet's own export goes back in as itself: into the same database every
 * row is unchanged (no one duplicated), into a fresh one the same customers
 * come out, restriction of processing included.
 */
let box: Sandbox;
let exported: string;

beforeAll(() => {
  box = sandbox('carnet-own-export-');
  const imp = box.run(['import', 'examples/clients.csv', '-q']);
  if (imp.code !== 0) throw new Error(imp.stderr);
  const r = box.run(['rgpd', 'restrict', '3', '--ground', 'accuracy']);
  if (r.code !== 0) throw new Error(r.stderr);
  exported = join(box.dir, 'export.csv');
  const out = box.run(['export', '--include-restricted', '--out', exported, '-q']);
  if (out.code !== 0) throw new Error(out.stderr);
}, 60_000);
afterAll(() => box?.cleanup());

/** The export as records keyed by uid, without what a database sets itself (row number, last change). */
function table(csv: string): Map<string, Record<string, string>> {
  const [head, ...lines] = csv.trim().split('\n');
  const cols = (head ?? '').split(',');
  const out = new Map<string, Record<string, string>>();
  // Values with commas are quoted; a tiny reader is enough for the example file.
  for (const line of lines) {
    const cells = [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1] ?? '').slice(0, cols.length);
    const rec = Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
    delete rec.id;
    delete rec.updated_at;
    out.set(rec.uid ?? '', rec);
  }
  return out;
}

describe('import of carnet\'s own export', () => {
  it('is recognised and maps every column as itself', () => {
    const r = box.run(['import', exported, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('carnet export');
    expect(r.stderr).toMatch(/^\s+id → ignore$/m);
    expect(r.stderr).toMatch(/^\s+uid → uid/m);
    expect(r.stderr).toMatch(/^\s+civility → civility$/m);
    expect(r.stderr).toMatch(/^\s+external_source → external_source$/m);
    expect(r.stderr).toMatch(/^\s+mobile_e164 → ignore$/m);
    expect(r.stderr).toMatch(/^\s+extra → extra \(merged key by key\)$/m);
    expect(r.stderr).toMatch(/^\s+restricted_at → restricted_at$/m);
    expect(r.stderr).toContain('would be inserted 0 · would be updated 0 · unchanged 12');
  });

  it('into the same database leaves every customer unchanged', () => {
    const r = box.run(['import', exported]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('inserted 0 · updated 0 · unchanged 12');
    const again = box.run(['export', '--include-restricted', '-q']);
    expect(table(again.stdout)).toEqual(table(readFileSync(exported, 'utf8')));
    // extra came back key by key, not as one string under "extra".
    const one = box.json<{ extra: Record<string, string> }>(['show', '1']);
    expect(Object.keys(one.extra)).toEqual(["Canal d'acquisition"]);
  });

  it('into a fresh database gives the same customers, their uids and the restriction', () => {
    const db = join(box.dir, 'fresh.db');
    const r = runCarnet(['import', exported], { env: { CARNET_DB: db } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('inserted 12 · updated 0 · unchanged 0');
    const fresh = runCarnet(['export', '--include-restricted', '-q'], { env: { CARNET_DB: db } });
    const before = table(readFileSync(exported, 'utf8'));
    expect(table(fresh.stdout)).toEqual(before);
    expect([...before.values()].filter((c) => c.restricted_at !== '')).toHaveLength(1);
    // Restricted there too: out of a plain export.
    const plain = runCarnet(['export', '-q'], { env: { CARNET_DB: db } });
    expect(table(plain.stdout).size).toBe(11);
    // The restriction is in the new database's audit register, as `rgpd restrict` would have logged it.
    const log = JSON.parse(runCarnet(['rgpd', 'log', '--action', 'rgpd.restrict', '--json'], { env: { CARNET_DB: db } }).stdout) as { subject: string }[];
    expect(log.map((e) => e.subject)).toEqual([...before.values()].filter((c) => c.restricted_at !== '').map((c) => c.uid));
    const twice = runCarnet(['import', exported], { env: { CARNET_DB: db } });
    expect(twice.stderr).toContain('inserted 0 · updated 0 · unchanged 12');
  });

  it('a --columns subset with uid matches its customers, derived columns feeding their field', () => {
    const file = join(box.dir, 'subset.csv');
    const out = box.run(['export', '--columns', 'uid,last_name,mobile_e164,extra.Canal d\'acquisition', '--out', file, '-q']);
    expect(out.code, out.stderr).toBe(0);
    const r = box.run(['import', file, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^\s+mobile_e164 → mobile$/m);
    expect(r.stderr).toMatch(/^\s+extra\.Canal d'acquisition → extra\.Canal d'acquisition$/m);
    expect(r.stderr).toContain('would be inserted 0 · would be updated 0 · unchanged 11');
  });

  it('facts computed from other tables (department, revenue…) are left to the importing database', () => {
    const file = join(box.dir, 'facts.csv');
    const out = box.run(['export', '--columns', 'uid,last_name,postal_code,region,department,revenue,orders', '--out', file, '-q']);
    expect(out.code, out.stderr).toBe(0);
    const r = box.run(['import', file, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    // Not the region (department was a synonym of it), not extra: ignored, and said so.
    expect(r.stderr).toMatch(/^\s+department → ignore$/m);
    expect(r.stderr).toMatch(/^\s+revenue → ignore$/m);
    expect(r.stderr).toContain('would be inserted 0 · would be updated 0 · unchanged 11');
  });

  it('an xlsx export goes back in unchanged too', () => {
    const file = join(box.dir, 'export.xlsx');
    const out = box.run(['export', '--include-restricted', '--format', 'xlsx', '--out', file, '-q']);
    expect(out.code, out.stderr).toBe(0);
    const r = box.run(['import', file, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('would be inserted 0 · would be updated 0 · unchanged 12');
  });
});
