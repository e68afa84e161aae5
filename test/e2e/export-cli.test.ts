import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ON_PG, sandbox, type Sandbox } from '../helpers/cli.js';
import { Store } from '../../src/db/store.js';
import { FIELDS } from '../../src/core/fields/catalogue.js';
import type { CustomerFields } from '../../src/core/model.js';

/** Every catalogue field empty: a new field of the catalogue needs no edit of these fixtures. */
const BLANK = Object.fromEntries(FIELDS.map((e) => [e.prop, null])) as unknown as CustomerFields;

/** Seeds the sandbox database directly (fast): n private persons, every third one with e-mail consent, and a company. */
function seed(db: string, n: number): void {
  const store = Store.open(db);
  const at = '2026-01-01T00:00:00.000Z';
  store.tx(() => {
    for (let i = 1; i <= n; i++) {
      const id = store.customers.insert(
        {
          ...BLANK, kind: 'person', civility: null, firstName: `Prénom${i}`, lastName: i === 2 ? '=HYPERLINK("http://evil.example","clic")' : `Nom${i}`,
          companyName: null, legalForm: null, siret: null, vatNumber: null, sector: null, jobTitle: null,
          email: `client${i}@exemple.fr`, emailNorm: `client${i}@exemple.fr`, phone: null, phoneE164: null,
          mobile: '06 12 34 56 78', mobileE164: '+33612345678', addressLine1: `${i} rue de la Paix`, addressLine2: null,
          postalCode: '69003', city: 'Lyon', country: 'FR', birthDate: null, website: null, owner: null, region: null,
          status: 'client', source: null, externalId: `C${i}`, externalSource: null, notes: 'Client fidèle, préfère le matin', extra: {},
        },
        { uid: store.newUid(), createdAt: at, updatedAt: at },
      );
      if (i % 3 === 0) store.consents.insert({ customerId: id, channel: 'email', purpose: 'marketing', state: 'granted', source: 'form', proof: null, recordedAt: at });
    }
    store.customers.insert(
      {
        ...BLANK, kind: 'company', civility: null, firstName: null, lastName: null, companyName: 'Boulangerie Martin SARL', legalForm: 'SARL', siret: null,
        vatNumber: null, sector: null, jobTitle: null, email: 'contact@boulangerie.fr', emailNorm: 'contact@boulangerie.fr', phone: null,
        phoneE164: null, mobile: null, mobileE164: null, addressLine1: null, addressLine2: null, postalCode: null, city: null, country: null,
        birthDate: null, website: null, owner: null, region: null, status: 'client', source: null, externalId: null, externalSource: null,
        notes: null, extra: {},
      },
      { uid: store.newUid(), createdAt: at, updatedAt: at },
    );
  });
  store.close();
}

const N = 3000;
let box: Sandbox;

beforeAll(() => {
  box = sandbox('carnet-export-');
  box.run(['init']);
  seed(box.db, N);
});
afterAll(() => box.cleanup());

/** Runs a shell line with the sandbox database and carnet on the PATH of the line as `carnet`. */
function shell(line: string, input = ''): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', `carnet() { "${process.execPath}" "${BIN}" "$@"; }\n${line}`], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...box.env, LANG: 'C.UTF-8', CI: 'true' },
    encoding: 'utf8',
    input,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

describe('carnet export (the binary)', () => {
  it('`carnet export --format ndjson | head -1` exits 0 with nothing on stderr', () => {
    const r = shell(`carnet export --format ndjson 2>"$0.err" | head -1; echo "exit=\${PIPESTATUS[0]}"`.replace('$0', join(box.dir, 'pipe')));
    const [first, status] = r.stdout.trimEnd().split('\n');
    expect(status).toBe('exit=0');
    expect(JSON.parse(first ?? '')).toMatchObject({ id: 1, external_id: 'C1' });
    expect(readFileSync(join(box.dir, 'pipe.err'), 'utf8')).toBe('');
    // The register still says an export happened, and that the reader stopped it.
    const store = Store.open(box.db);
    const [entry] = store.audit.list({ action: 'export.run', limit: 1 });
    store.close();
    expect(entry?.details).toMatchObject({ status: 'closed_early', format: 'ndjson' });
    expect(Number(entry?.details.count)).toBeLessThan(N);
  });

  it('honours backpressure: a slow reader gets every row', () => {
    const r = shell('carnet export --nl | (sleep 1; wc -l)');
    expect(r.code).toBe(0);
    expect(Number(r.stdout.trim())).toBe(N + 1);
  });

  it('--for marketing:email with --preset brevo: only those who agreed, the B2B company, a summary on stderr', () => {
    const r = box.run(['export', '--preset', 'brevo', '--for', 'marketing:email']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('EMAIL;FIRSTNAME;LASTNAME;SMS');
    expect(lines).toHaveLength(1 + N / 3 + 1);
    expect(lines[1]).toBe('client3@exemple.fr;Prénom3;Nom3;');
    expect(lines.at(-1)).toBe('contact@boulangerie.fr;;;');
    expect(r.stdout).not.toContain('client1@');
    expect(r.stderr).toContain(`exported ${(N / 3 + 1).toLocaleString('en-US')} customers (csv, brevo) for marketing by email`);
    expect(r.stderr).toContain(`left out ${((2 * N) / 3).toLocaleString('en-US')}: ${((2 * N) / 3).toLocaleString('en-US')} private (B2C) with no consent recorded`);
    expect(r.stderr).toMatch(/left empty.*SMS/);
  });

  it('neutralises =HYPERLINK(…) on stdout, never colours it', () => {
    const r = box.run(['export', '--columns', 'id,last_name', '--where', 'id = 2'], { env: { FORCE_COLOR: '3' } });
    expect(r.stdout).toBe('id,last_name\n2,"\'=HYPERLINK(""http://evil.example"",""clic"")"\n');
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('--out writes a 0600 file in one piece; --json then prints the summary', () => {
    const out = join(box.dir, 'clients.csv');
    writeFileSync(out, 'old content');
    const r = box.run(['export', '--out', out, '--excel', '--columns', 'id,last_name,city', '--json']);
    expect(r.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('\ufeffid;last_name;city\r\n1;Nom1;Lyon\r\n')).toBe(true);
    expect(readdirSync(box.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(JSON.parse(r.stdout)).toMatchObject({ exported: N + 1, out, leftOutTotal: 0, format: 'csv' });
  });

  it('a failed export leaves the previous file alone and no temporary file', () => {
    const out = join(box.dir, 'keep.csv');
    writeFileSync(out, 'previous');
    const r = box.run(['export', '--out', out, '--columns', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown column 'nope'/);
    expect(readFileSync(out, 'utf8')).toBe('previous');
    expect(readdirSync(box.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // A missing folder is created (0700), like every other writer of carnet does: it used to be exit 1, "a bug".
    const nested = join(box.dir, 'no', 'such', 'dir.csv');
    expect(box.run(['export', '--out', nested]).code).toBe(0);
    expect(readFileSync(nested, 'utf8')).toMatch(/^\ufeff?id|email|first_name/);
    expect(statSync(join(box.dir, 'no')).mode & 0o777).toBe(0o700);
    const self = box.run(['export', '--out', box.db]);
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/is the database itself/);
  });

  it('--ids reads ids and uids from stdin', () => {
    const list = box.run(['export', '--nl', '--columns', 'id,uid', '--where', 'id <= 5']);
    const uids = list.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { uid: string }).uid);
    const r = box.run(['export', '--ids', '--columns', 'id', '--no-header'], { input: `4\n${uids[1]}\n424242\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('2\n4\n');
    expect(r.stderr).toMatch(/1 id given with --ids matches no customer/);
  });

  it('usage errors exit 2 before writing anything', () => {
    for (const args of [['--format', 'xls'], ['--for', 'marketing:fax'], ['--preset', 'brevo', '--format', 'json'], ['--where', 'city =='], ['--nl', '--format', 'csv']]) {
      const r = box.run(['export', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
  });

  it('worker threads write byte for byte what one thread writes', () => {
    const parallel = { CARNET_EXPORT_THREADS: '2', CARNET_EXPORT_PARALLEL_MIN: '1', CARNET_EXPORT_SLICE: '250' };
    const one = { CARNET_EXPORT_THREADS: '0' };
    for (const args of [['--excel'], ['--nl'], ['--format', 'json', '--columns', 'id,name,categories,extra'], ['--for', 'marketing:email'], ['--where', 'id > 2990']]) {
      const a = box.run(['export', ...args], { env: parallel });
      const b = box.run(['export', ...args], { env: one });
      expect(a.code, args.join(' ')).toBe(0);
      expect(a.stdout, args.join(' ')).toBe(b.stdout);
      expect(a.stderr, args.join(' ')).toBe(b.stderr);
    }
    const r = shell('CARNET_EXPORT_THREADS=2 CARNET_EXPORT_PARALLEL_MIN=1 CARNET_EXPORT_SLICE=250 carnet export --nl | head -3 | wc -l; echo "exit=${PIPESTATUS[0]}"');
    expect(r.stdout).toBe('3\nexit=0\n');
    expect(r.stderr).toBe('');
  });

  it('vCard of every customer, CRLF, on stdout', () => {
    const r = box.run(['export', '--format', 'vcard', '--where', 'id <= 3 or kind = company']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/BEGIN:VCARD\r\n/g)).toHaveLength(4);
    expect(r.stderr).toContain('exported 4 customers (vcard)');
    if (!ON_PG) expect(existsSync(box.db)).toBe(true); // the file is still there (a server's database is no file)
  });
});
