import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/cli.js';
import { seedDedupe } from '../fixtures/dedupe/people.js';

interface DryRun {
  clusters: { score: number; members: { id: number; uid: string; external_id: string | null; display_name: string }[]; pairs?: unknown[] }[];
  restricted_skipped: number;
}

describe('carnet dedupe (no terminal)', () => {
  let sb: Sandbox;
  beforeAll(() => {
    sb = sandbox('carnet-dedupe-');
    seedDedupe(sb);
  });
  afterAll(() => sb.cleanup());

  it('--dry-run --json prints the clusters in the documented shape', () => {
    const r = sb.run(['dedupe', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as DryRun;
    expect(d.clusters).toHaveLength(2);
    for (const c of d.clusters) {
      expect(typeof c.score).toBe('number');
      expect(c.score).toBeGreaterThanOrEqual(0.9);
      for (const m of c.members) expect(Object.keys(m)).toEqual(expect.arrayContaining(['id', 'uid', 'external_id', 'display_name']));
    }
    expect(d.clusters.map((c) => c.members.map((m) => m.id))).toEqual(expect.arrayContaining([[1, 2], [3, 4]]));
    expect(d.clusters.flatMap((c) => c.members.map((m) => m.display_name))).toContain('J.-P. Dupont');
  });

  it('--dry-run --explain shows each field contribution, on stdout, changing nothing', () => {
    const r = sb.run(['dedupe', '--dry-run', '--explain']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cluster 1 {2}score [01]\.\d\d {2}\(2 records\)/);
    expect(r.stdout).toMatch(/first_name\s+\+\d+\.\d\s+initials or part/);
    expect(r.stdout).toMatch(/siren\s+\+\d+\.\d\s+same/);
    expect(r.stderr).toMatch(/2 clusters \(4 records\) among 5 customers/);
    expect(sb.json<DryRun>(['dedupe', '--dry-run']).clusters).toHaveLength(2);
  });

  it('without a terminal and without --auto or --dry-run, exits 2 and says what to do', () => {
    const r = sb.run(['dedupe']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no terminal.*--dry-run.*--auto/);
  });

  it('refuses a threshold outside (0, 1) with exit 2', () => {
    const r = sb.run(['dedupe', '--dry-run', '--threshold', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threshold must be a number between 0 and 1/);
  });

  it('--auto merges, history lists the merges, undo restores the records', () => {
    const auto = sb.run(['dedupe', '--auto', '--json']);
    expect(auto.code).toBe(0);
    const merged = JSON.parse(auto.stdout) as { merged: { mergeId: number; survivor: { id: number } }[] };
    expect(merged.merged).toHaveLength(2);
    expect(sb.json<{ id: number }[]>(['list']).map((c) => c.id)).toEqual([1, 3, 5]);
    const history = sb.run(['dedupe', 'history']);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/MERGE\s+AT\s+BY/);
    expect(history.stdout).toMatch(/auto/);
    const undo = sb.run(['dedupe', 'undo', String(merged.merged[0]?.mergeId)]);
    expect(undo.code).toBe(0);
    expect(undo.stderr).toMatch(/undid merge #\d+/);
    expect(sb.json<{ id: number }[]>(['list']).map((c) => c.id).length).toBe(4);
    expect(sb.run(['dedupe', 'undo', '999']).code).toBe(4);
  });

  it('distinct remembers that two customers are different people', () => {
    const sb2 = sandbox('carnet-dedupe-distinct-');
    try {
      seedDedupe(sb2);
      expect(sb2.run(['dedupe', 'distinct', '1', '2']).code).toBe(0);
      const d = sb2.json<DryRun>(['dedupe', '--dry-run']);
      expect(d.clusters.map((c) => c.members.map((m) => m.id))).toEqual([[3, 4]]);
    } finally {
      sb2.cleanup();
    }
  });
});
