import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/cli.js';

/** Two findings of the probe: formulas came out raw in list/search --csv; a long filter crashed list. */
let s: Sandbox;
const FORMULAS = ['=HYPERLINK("http://evil.example","clic")', "+cmd|' /C calc'!A0", '@SUM(1)', '-2+3', '=1+1'];

beforeAll(() => {
  s = sandbox('carnet-probe-');
  const [hyperlink, cmd, sum, minus, plus] = FORMULAS as [string, string, string, string, string];
  const q = (v: string): string => `"${v.replace(/"/g, '""')}"`;
  const csv = [
    'prenom;nom;societe;adresse;ville;notes;telephone',
    [sum, 'Lyonnais', cmd, '', 'Lyon', hyperlink, '+33 6 12 34 56 78'].map(q).join(';'),
    ['', minus, '', plus, 'Paris', '', ''].map(q).join(';'),
  ].join('\n');
  const r = s.run(['import', '-'], { input: csv });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => s.cleanup());

describe('list --csv and search --csv neutralise spreadsheet formulas', () => {
  it('no cell starts with = + - @ (a leading quote instead); international phones stay usable', () => {
    for (const args of [['list', '--csv'], ['search', 'lyonnais', '--csv'], ['search', 'paris', '--csv']]) {
      const r = s.run(args);
      expect(r.code, r.stderr).toBe(0);
      const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          if (/phone|mobile/.test(column) && /^\+\d/.test(value)) continue;
          expect(value, `${args.join(' ')} ${column}`).not.toMatch(/^[=+\-@\t\r]/);
        }
      }
      const cells = rows.flatMap((row) => Object.values(row));
      for (const f of FORMULAS.filter((f) => args[0] === 'list' || r.stdout.includes(f.slice(1)))) expect(cells).toContain(`'${f}`);
    }
  });
});

describe('a long filter', () => {
  const long = Array.from({ length: 996 }, () => 'city = "Lyon"').join(' and ');

  it('list, export, category rules and categorise take 996 clauses (it was exit 1, "Expression tree is too large")', () => {
    const list = s.run(['list', '--where', long, '--nl']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.trim().split('\n')).toHaveLength(1);
    const exp = s.run(['export', '--where', long, '--format', 'ndjson']);
    expect(exp.code, exp.stderr).toBe(0);
    expect(exp.stdout.trim().split('\n')).toHaveLength(1);
    expect(s.run(['category', 'add', 'Lyon996', '--rule', long]).code).toBe(0);
    const cat = s.run(['categorise']);
    expect(cat.code, cat.stderr).toBe(0);
    const members = s.run(['list', '--category', 'Lyon996', '--nl']);
    expect(members.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('beyond 5,000 conditions: exit 2 with a clear message, nothing run', () => {
    const huge = Array.from({ length: 5_001 }, () => 'city = Lyon').join(' or ');
    const r = s.run(['list', '--where', huge]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: bad filter at column \d+: the filter has more than 5,000 conditions/m);
    expect(r.stderr).not.toMatch(/bug in carnet/);
  });

  it("`created_at > 9999-12-31` selects no one (it selected everyone)", () => {
    const r = s.run(['list', '--where', 'created_at > 9999-12-31', '--nl']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(s.run(['list', '--where', 'created_at <= 9999-12-31', '--nl']).stdout.trim().split('\n')).toHaveLength(2);
  });
});
