import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ON_PG, BIN, ROOT, sandbox, type Sandbox } from '../helpers/cli.js';

const NOW = { CARNET_NOW: '2026-11-23T10:00:00Z' };
const at = (iso: string) => ({ env: { CARNET_NOW: iso } });

describe('carnet rgpd from the command line', () => {
  let s: Sandbox;
  beforeAll(() => {
    s = sandbox();
    // Built over the years with a pinned clock, as a real file would be.
    const steps: [string[], string][] = [
      [['add', '--last-name', 'Ancien', '--email', 'ancien@ex.fr'], '2020-01-10T09:00:00Z'],
      [['add', '--last-name', 'Recent', '--email', 'recent@ex.fr'], '2020-01-10T09:00:00Z'],
      [['add', '--last-name', 'Cliente', '--email', 'cliente@ex.fr', '--notes', 'préfère le matin'], '2020-01-10T09:00:00Z'],
      [['log', 'ancien@ex.fr', '--kind', 'call', '--direction', 'in', '--at', '2023-11-22 10:00'], '2023-12-01T09:00:00Z'],
      [['log', 'recent@ex.fr', '--kind', 'call', '--direction', 'in', '--at', '2023-11-24 10:00'], '2023-12-01T09:00:00Z'],
      [['sale', 'add', 'cliente@ex.fr', '--kind', 'invoice', '--number', 'F-2022-1', '--amount', '990', '--status', 'paid', '--issued', '2022-11-20'], '2022-11-20T09:00:00Z'],
      [['rgpd', 'consent', 'cliente@ex.fr', '--channel', 'email', '--granted', '--source', 'salon'], '2022-11-20T09:00:00Z'],
    ];
    for (const [args, when] of steps) {
      const r = s.run([...args, '-q'], at(when));
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });
  afterAll(() => s.cleanup());

  it('purge without a terminal and without --yes is a dry run that lists who and why', () => {
    const r = s.run(['rgpd', 'purge'], { env: NOW });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Ancien\s+prospect\s+erase\s+2023-11-22/);
    expect(r.stdout).toMatch(/Cliente\s+client-marketing\s+archive\s+2022-11-20/);
    expect(r.stdout).not.toMatch(/Recent/);
    expect(r.stderr).toMatch(/dry run: 1 would be erased, 1 would be archived to their invoices/);
    expect(r.stderr).toMatch(/without a terminal a purge needs --yes/);
    expect(s.json<unknown[]>(['list'])).toHaveLength(3);
  });

  it('purge --yes --json applies the policy in one audited transaction, names gone from the report', () => {
    const r = s.run(['rgpd', 'purge', '--yes', '--json'], { env: NOW });
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as { dryRun: boolean; counts: Record<string, number>; items: Record<string, unknown>[] };
    expect(res.dryRun).toBe(false);
    expect(res.counts).toMatchObject({ erased: 1, archived: 1, held: 0 });
    expect(r.stdout).not.toMatch(/Ancien|Cliente/);
    const list = s.json<{ last_name: string }[]>(['list']);
    expect(list.map((c) => c.last_name)).toEqual(['Recent']);
    const archived = s.json<{ last_name: string; email: string | null; notes: string | null; archived_at: string; sales: unknown[]; consents: unknown[] }>(['show', '3']);
    expect(archived).toMatchObject({ last_name: 'Cliente', email: null, notes: null, archived_at: '2026-11-23T10:00:00.000Z', consents: [] });
    expect(archived.sales).toHaveLength(1);
    const log = s.json<{ action: string; details: Record<string, unknown> }[]>(['rgpd', 'log', '--action', 'rgpd.purge']);
    expect(log).toHaveLength(1);
    expect(log[0]!.details).toMatchObject({ erased: 1, archived: 1 });
  });

  it('access writes JSON or Markdown files with mode 0600', () => {
    const md = join(s.dir, 'acces.md');
    const r = s.run(['rgpd', 'access', 'recent@ex.fr', '--out', md]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(statSync(md).mode & 0o777).toBe(0o600);
    expect(readFileSync(md, 'utf8')).toMatch(/# Personal data held about you[\s\S]*\| last_name \| Recent \|/);
    const json = join(s.dir, 'acces.json');
    expect(s.run(['rgpd', 'access', '2', '--json', '--out', json]).code).toBe(0);
    expect(statSync(json).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ customer: { last_name: 'Recent' } });
    const stdout = s.json<{ interactions: unknown[] }>(['rgpd', 'access', 'recent@ex.fr']);
    expect(stdout.interactions).toHaveLength(1);
  });

  it('register writes the art. 30 record, 0600', () => {
    const file = join(s.dir, 'registre.md');
    const r = s.run(['rgpd', 'register', '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/Record of processing activities[\s\S]*Categories of people[\s\S]*Retention periods in force[\s\S]*Recipients[\s\S]*Security measures/);
    expect(text).toMatch(/archived \(kept for the accounts only\) \| 1 \|/);
    expect(text).toMatch(/Last retention purge: 2026-11-23/);
  });

  it('optout, consent and restriction from the command line, with exit codes for mistakes', () => {
    expect(s.json<{ channels: string[] }>(['rgpd', 'optout', 'recent@ex.fr', '--channel', 'sms']).channels).toEqual(['sms']);
    const c = s.run(['rgpd', 'consent', 'recent@ex.fr', '--channel', 'sms', '--granted', '--source', 'formulaire']);
    expect(c.code).toBe(0);
    expect(c.stderr).toMatch(/objection is on file for sms: it still wins/);
    expect(s.run(['rgpd', 'consent', 'recent@ex.fr', '--channel', 'email', '--source', 'x']).code).toBe(2);
    expect(s.run(['rgpd', 'optout', 'recent@ex.fr', '--channel', 'fax']).code).toBe(2);
    expect(s.json<{ restricted: boolean; changed: boolean }>(['rgpd', 'restrict', 'recent@ex.fr', '--ground', 'claims'])).toEqual(expect.objectContaining({ restricted: true, changed: true }));
    expect(s.run(['rgpd', 'unrestrict', 'recent@ex.fr']).code).toBe(0);
    expect(s.run(['rgpd', 'policy', 'set', 'retention', '3y']).code).toBe(2);
    expect(s.run(['rgpd', 'policy', 'set', 'prospect', 'soon']).code).toBe(3);
    expect(s.run(['rgpd', 'forget', 'nobody@ex.fr', '--yes']).code).toBe(4);
    const noYes = s.run(['rgpd', 'forget', 'recent@ex.fr']);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toMatch(/pass --yes/);
    expect(s.json<Record<string, string>>(['rgpd', 'policy'])).toMatchObject({ prospect: '3y', invoices: '10y', 'inactive-anonymise': 'off' });
  });

  it.skipIf(!existsSync('/usr/bin/script'))('asks before erasing on a terminal; "n" cancels, "y" erases', () => {
    const tty = (answer: string) =>
      spawnSync('/usr/bin/script', ['-q', '-e', '-c', `${process.execPath} ${BIN} rgpd forget recent@ex.fr`, '/dev/null'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...s.env, TERM: 'dumb', NO_COLOR: '1' },
        input: answer,
        encoding: 'utf8',
        timeout: 30_000,
      });
    // script forwards the input as typed keys; the prompt reads them once it is shown.
    const no = tty('n\r');
    expect(no.stdout).toMatch(/About to erase Recent/);
    expect(no.status).toBe(130);
    expect(s.json<unknown[]>(['list'])).toHaveLength(1);
    const yes = tty('y\r');
    // A file is checked byte by byte; on a server carnet says instead which copies it cannot reach.
    expect(yes.stdout).toMatch(ON_PG ? /carnet cannot reach the server's WAL archives/ : /no trace left/);
    expect(yes.status).toBe(0);
    expect(s.json<unknown[]>(['list'])).toHaveLength(0);
  });
});
