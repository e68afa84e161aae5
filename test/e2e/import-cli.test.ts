import { gzipSync } from 'node:zlib';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, SHARED, sandbox, type Sandbox } from '../helpers/cli.js';
import { integrityOk, schemaOf, withSandboxDb } from '../helpers/e2e-db.js';

const CLIENTS = join(ROOT, 'examples', 'clients.csv');
const VENTES = join(ROOT, 'examples', 'ventes.csv');
const KEYS = ['read', 'inserted', 'updated', 'unchanged', 'rejected', 'suppressed', 'merged_in_file', 'dry_run', 'rejects'];

let s: Sandbox;
beforeAll(() => {
  s = sandbox('carnet-import-e2e-');
});
afterAll(() => s.cleanup());

function query<T>(sql: string, db = s.db): T[] {
  return withSandboxDb(db, (d) => d.prepare(sql).all() as T[], { readonly: true });
}

/** ~8,000 customers with quoted multi-line notes, so that a file spans many chunks and threads. */
function bigFile(path: string, rows: number): void {
  const lines = ['Réf;Prénom;Nom;E-mail;Téléphone;Notes;Catégories;Newsletter'];
  for (let i = 0; i < rows; i++) {
    lines.push(`R${i};Élodie${i % 7};Meyer${i};e${i}@ex.fr;06 ${String(10 + (i % 89)).padStart(2, '0')} 34 56 ${String(i % 100).padStart(2, '0')};"ligne 1 ""${i}""\nligne 2; suite";${i % 3 === 0 ? 'VIP' : ''};${i % 2 ? 'oui' : 'non'}`);
  }
  lines.push(';;;bad@;;;;', 'R2;;Meyer-Bis;;;;;');
  writeFileSync(path, lines.join('\r\n'));
}

describe('carnet import examples/clients.csv (the README tour)', () => {
  it('imports the file, prints a summary on stderr and nothing on stdout', () => {
    const r = s.run(['import', CLIENTS]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/clients\.csv: 12 rows read \(windows-1252, detected; semicolon\)/);
    expect(r.stderr).toMatch(/inserted 12 · updated 0 · unchanged 0 · rejected 0/);
    expect(r.stderr).toMatch(/new categories: VIP, Professionnels/);
    const [elodie] = query<Record<string, string>>("SELECT first_name, last_name, mobile, extra FROM customers WHERE email_norm = 'elodie.meyer@sfr.fr'");
    expect(elodie).toEqual({ first_name: 'Élodie', last_name: 'Meyer', mobile: '06 12 34 56 78', extra: '{"Canal d\'acquisition":"Salon"}' });
    expect(query("SELECT siret FROM customers WHERE company_name = 'Atelier Côté Jardin SAS'")).toEqual([{ siret: '44306184100047' }]);
  });

  it('re-imported, changes nothing; --json prints the counts object', () => {
    const r = s.run(['import', CLIENTS, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out).slice(0, KEYS.length)).toEqual(KEYS);
    expect(out).toMatchObject({ read: 12, inserted: 0, updated: 0, unchanged: 12, rejected: 0, suppressed: 0, merged_in_file: 0, dry_run: false, rejects: null });
    expect(r.stderr).toMatch(/same file as import run 1/);
  });

  it('imports the sales of the tour, matched by the Réf in Client', () => {
    const r = s.json<Record<string, number>>(['import', VENTES, '--what', 'sales']);
    expect(r).toMatchObject({ read: 8, inserted: 8, rejected: 0 });
    expect(query("SELECT count(*) AS n FROM sales WHERE status = 'unpaid'")).toEqual([{ n: 2 }]);
  });
});

describe('exit codes and files', () => {
  it('rows rejected: exit 3, the valid ones imported, rejects beside the database in a 0600 file', () => {
    const t = sandbox('carnet-import-rej-');
    try {
      const path = join(t.dir, 'in.csv');
      writeFileSync(path, 'Nom;Prénom;E-mail\nMeyer;;e@x.fr\nDupont;;dupont@\n;Jean;jean@\n');
      const r = t.run(['import', path, '--json']);
      expect(r.code).toBe(3);
      const out = JSON.parse(r.stdout) as { inserted: number; rejected: number; rejects: string };
      // Dupont's bad e-mail costs no row (kept in extra, warned); Jean alone identifies nobody.
      expect(out).toMatchObject({ inserted: 2, rejected: 1, warnings: 1 });
      expect(out.rejects.startsWith(join(t.home, 'rejects', 'in-'))).toBe(true);
      expect(statSync(out.rejects).mode & 0o777).toBe(0o600);
      expect(readFileSync(out.rejects, 'utf8')).toMatch(/^3;email;imported — email: 'dupont@' is not an e-mail address/m);
      expect(r.stderr).toMatch(/line 3 email: 'dupont@' is not an e-mail address \(kept in extra as 'E-mail'\)/);
      expect(r.stderr).toMatch(/line 4 last_name: nothing in this row identifies anyone/);
      expect(query("SELECT extra FROM customers WHERE last_name = 'Dupont'", t.db)).toEqual([{ extra: '{"E-mail":"dupont@"}' }]);
    } finally {
      t.cleanup();
    }
  });

  it("Excel's sep=; first line names the delimiter and is no row; line numbers stay the file's", () => {
    const t = sandbox('carnet-import-sep-');
    try {
      const file = join(t.dir, 'excel.csv');
      writeFileSync(file, 'sep=;\r\nNom;E-mail;Ville\r\nMeyer;meyer@example.fr;Lyon, 3e\r\nDupont;pas-un-email;Nantes\r\n');
      const r = t.run(['import', file, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ read: 2, inserted: 2, rejected: 0, delimiter: ';' });
      expect(r.stderr).toContain("line 4 email: 'pas-un-email' is not an e-mail address");
      expect(t.json<{ last_name: string; city: string }[]>(['list', '--sort', 'last_name', '--json']).map((c) => [c.last_name, c.city])).toEqual([
        ['Dupont', 'Nantes'],
        ['Meyer', 'Lyon, 3e'],
      ]);
      const quoted = join(t.dir, 'quoted.csv');
      writeFileSync(quoted, '"sep=,"\nNom,E-mail\nRoux,roux@example.fr\nFaure,"jamais fermé\n');
      const bad = t.run(['import', quoted]);
      expect(bad.code).toBe(3);
      expect(bad.stderr).toContain('quoted.csv: a quote opened near line 4 is never closed');
    } finally {
      t.cleanup();
    }
  });

  it('an archive or a PDF is refused by name, with what to do, instead of read as a garbled CSV', () => {
    const t = sandbox('carnet-import-binary-');
    try {
      const gz = join(t.dir, 'clients.csv.gz');
      writeFileSync(gz, gzipSync('nom;email\nMeyer;meyer@example.fr\n'));
      const r = t.run(['import', gz]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^error: clients\.csv\.gz is a gzip archive, not a customer file — decompress it first: zcat FILE \| carnet import -$/m);
      const pdf = join(t.dir, 'liste.pdf');
      writeFileSync(pdf, '%PDF-1.4\n%\xe2\xe3\n1 0 obj\n');
      const p = t.run(['import', pdf]);
      expect(p.code).toBe(3);
      expect(p.stderr).toContain('liste.pdf is a PDF document');
      expect(query('SELECT (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM import_runs) AS r', t.db)).toEqual([{ c: 0, r: 0 }]);
    } finally {
      t.cleanup();
    }
  });

  it('a malformed file: exit 3 with the file, the line and what to do; the database untouched', () => {
    const t = sandbox('carnet-import-bad-');
    try {
      const path = join(t.dir, 'bad.csv');
      writeFileSync(path, 'Email, First name, Last name\nfoo@example.com, Foo, Bar\n"foo2@example.com","Foo2","Bar2"\nfoo3@example.com, "Foo 3", "Bar3"\n');
      const r = t.run(['import', path, '--json']);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: bad.csv, line 4: a quote in the middle of a value .* — .*remove the space after the delimiter/m);
      expect(query('SELECT (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM import_runs) AS r', t.db)).toEqual([{ c: 0, r: 0 }]);
    } finally {
      t.cleanup();
    }
  });

  it('a missing or empty file is a clear exit 3; usage errors exit 2', () => {
    expect(s.run(['import', join(s.dir, 'nope.csv')])).toMatchObject({ code: 3, stderr: expect.stringMatching(/cannot read .*nope\.csv: no such file/) });
    const empty = join(s.dir, 'empty.csv');
    writeFileSync(empty, '');
    expect(s.run(['import', empty])).toMatchObject({ code: 3, stderr: expect.stringMatching(/empty\.csv is empty/) });
    expect(s.run(['import', CLIENTS, '--map', 'Nom=surnom']).code).toBe(2);
    expect(s.run(['import', CLIENTS, '--what', 'orders']).code).toBe(2);
    expect(s.run(['import', CLIENTS, '--encoding', 'klingon']).code).toBe(2);
  });

  it('reads stdin with -', () => {
    const r = s.run(['import', '-', '--json', '--dry-run'], { input: 'NAME;SURNAME;EMAIL\nSmith;John;john.smith@example.com\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 1, inserted: 1, dry_run: true, format: 'brevo', file: 'stdin' });
    expect(r.stderr).toMatch(/SURNAME → first_name/);
    expect(r.stderr).toMatch(/dry run: nothing was written/);
  });

  it('--help describes the command with examples', () => {
    const r = s.run(['import', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/import customers \(or their sales or interactions\)/);
    expect(r.stdout).toMatch(/--on-conflict <mode>/);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ carnet import clients\.csv/);
  });
});

describe('big files', () => {
  it('threads give exactly the result of the main thread alone', () => {
    const path = join(s.dir, 'big.csv');
    bigFile(path, 8000);
    const results = ['0', '2'].map((threads) => {
      const t = sandbox('carnet-import-threads-');
      try {
        const r = t.run(['import', path, '--json'], { env: { CARNET_IMPORT_THREADS: threads } });
        expect(r.code).toBe(3);
        const rows = query<Record<string, unknown>>('SELECT id, first_name, last_name, email_norm, mobile_e164, notes, extra FROM customers ORDER BY id', t.db);
        const links = query('SELECT customer_id, line, action FROM customer_import_runs ORDER BY customer_id', t.db);
        const cats = query('SELECT customer_id, category_id FROM customer_categories ORDER BY 1, 2', t.db);
        const consents = query('SELECT customer_id, state FROM consents ORDER BY 1', t.db);
        const counts = JSON.parse(r.stdout) as Record<string, unknown>;
        return { counts: { ...counts, rejects: null, timings_ms: null }, rows, links, cats, consents };
      } finally {
        t.cleanup();
      }
    });
    expect(results[0]?.counts).toMatchObject({ read: 8002, inserted: 8000, rejected: 1, merged_in_file: 1 });
    expect(results[1]).toEqual(results[0]);
    const rows = results[0]?.rows ?? [];
    expect(rows[2]).toMatchObject({ last_name: 'Meyer-Bis', notes: 'ligne 1 "2"\nligne 2; suite' });
  });

  it('killed at any moment, the database holds all of the file or none of it', async () => {
    const path = join(s.dir, 'kill.csv');
    bigFile(path, 12000);
    for (const delay of [300, 800]) {
      const t = sandbox('carnet-import-kill-');
      try {
        expect(t.run(['init']).code).toBe(0);
        const schema = schemaOf(t.db);
        // A low bulk threshold: the kill may land while indexes and triggers are dropped for the bulk insert.
        const child = spawn(process.execPath, [BIN, 'import', path, '-q'], { env: { ...process.env, CARNET_DB: t.db, CI: 'true', CARNET_IMPORT_BULK_FROM: '100' }, stdio: 'ignore' });
        const exited = new Promise((r) => child.on('exit', r));
        await new Promise((r) => setTimeout(r, delay));
        child.kill('SIGKILL');
        await exited;
        const [row] = query<{ c: number; r: number }>('SELECT (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM import_runs) AS r', t.db);
        expect([{ c: 0, r: 0 }, { c: 12000, r: 1 }]).toContainEqual(row);
        expect(schemaOf(t.db)).toEqual(schema);
        expect(integrityOk(t.db)).toBe(true);
        // The file is whole again: a second run finishes the job.
        expect(t.run(['import', path, '-q']).code).toBe(3);
        expect(query('SELECT count(*) AS c FROM customers', t.db)).toEqual([{ c: 12000 }]);
      } finally {
        t.cleanup();
      }
    }
  });
});

const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

describe('progress bar', () => {
  it('is never drawn when stderr is not a terminal', () => {
    const r = s.run(['import', CLIENTS, '--dry-run']);
    expect(r.stderr).not.toMatch(/importing|\u001b\[/);
  });

  it.skipIf(!HAS_SCRIPT)('is drawn on a terminal: rows, rows/s and an ETA, then the summary', () => {
    const path = join(s.dir, 'big.csv');
    if (!existsSync(path)) bigFile(path, 8000);
    const t = sandbox('carnet-import-bar-');
    try {
      const cmd = `env CARNET_DB='${t.db}' LANG=C.UTF-8 '${process.execPath}' '${BIN}' import '${path}' --dry-run`;
      const r = spawnSync('script', ['-q', '-e', '-c', cmd, '/dev/null'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', TERM: 'xterm' }, timeout: 60_000 });
      expect(r.stdout).toMatch(/importing \[[=-]+\] \d+% · [\d,]+ rows · [\d,]+ rows\/s · ETA/);
      expect(r.stdout).toMatch(/big\.csv.*8002 rows read/);
      expect(existsSync(join(t.home, 'rejects'))).toBe(false);
    } finally {
      t.cleanup();
    }
  });
});

describe.skipIf(!existsSync(join(SHARED, 'contact-exports')))("keila's malformed files with the real binary", () => {
  const keila = join(SHARED, 'contact-exports', 'keila');

  it('malformed1 (a space before a quote): exit 3, line 4, nothing written', () => {
    const t = sandbox('carnet-import-keila-');
    try {
      const r = t.run(['import', join(keila, 'import_malformed1.csv')]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^error: import_malformed1.csv, line 4: a quote in the middle of a value/m);
      expect(query('SELECT (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM import_runs) AS r', t.db)).toEqual([{ c: 0, r: 0 }]);
    } finally {
      t.cleanup();
    }
  });

  it('malformed2 (no e-mail) under --key email --strict: exit 3, line 2, nothing written', () => {
    const t = sandbox('carnet-import-keila-');
    try {
      const r = t.run(['import', join(keila, 'import_malformed2.csv'), '--key', 'email', '--strict', '--json']);
      expect(r.code).toBe(3);
      expect(JSON.parse(r.stdout)).toMatchObject({ read: 1, inserted: 0, rejected: 1, aborted: true });
      expect(r.stderr).toMatch(/line 2 email: no email in this row, and --key email matches rows by it/);
      expect(query('SELECT (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM import_runs) AS r', t.db)).toEqual([{ c: 0, r: 0 }]);
    } finally {
      t.cleanup();
    }
  });
});
