import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { Store } from '../../src/db/store.js';
import { ON_PG, runCarnet, sandbox, type Sandbox } from '../helpers/cli.js';
import { openSandboxDb, withSandboxDb } from '../helpers/e2e-db.js';

/** The person who asks to be forgotten, in every form their identifiers take. */
const PERSON = {
  first: 'Gwendoline',
  last: 'Zellwegerova',
  emailTyped: 'Gwendoline.Zellwegerova@Exemple-Mail.fr',
  phoneTyped: '06.47.58.69.70',
};
const NEEDLES = [
  PERSON.emailTyped,
  PERSON.emailTyped.toLowerCase(),
  'Gwendoline.Zellwegerova',
  '06.47.58.69.70',
  '06 47 58 69 70',
  '0647586970',
  '+33647586970',
  '647586970',
  PERSON.last,
  PERSON.last.toLowerCase(),
  PERSON.last.toUpperCase(),
];

/**
 * Where the person still shows: the bytes of the SQLite file and its WAL; on
 * PostgreSQL every row of every table of the schema as text (the server's
 * files, WAL archives and backups are beyond carnet's reach, and forget says so).
 */
function traces(db: string): string[] {
  const found: string[] = [];
  if (ON_PG) {
    return withSandboxDb(db, (d) => {
      const tables = d.prepare(`SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`).pluck().all() as string[];
      for (const t of tables) {
        const rows = (d.prepare(`SELECT CAST(t AS text) FROM "${t}" t`).pluck().all() as string[]).join('\n');
        for (const n of NEEDLES) if (rows.includes(n)) found.push(`${t}: ${n}`);
      }
      return found;
    });
  }
  for (const file of [db, `${db}-wal`]) {
    if (!existsSync(file)) continue;
    const bytes = readFileSync(file);
    for (const n of NEEDLES) if (bytes.includes(Buffer.from(n, 'utf8'))) found.push(`${file.endsWith('-wal') ? 'wal' : 'db'}: ${n}`);
  }
  return found;
}

/** Others around the person, so that pages are shared and the erasure must be surgical (added in-process: fast). */
function neighbours(s: Sandbox): void {
  const store = Store.open(s.db);
  try {
    const ctx = { store, now: () => new Date(), actor: 'test' };
    for (let i = 0; i < 30; i++) addCustomer(ctx, { lastName: `Voisin${i}`, email: `voisin${i}@ex.fr`, city: 'Lyon', notes: `voisin numéro ${i}` });
  } finally {
    store.close();
  }
}

function lifeOfTheRecord(s: Sandbox, ref: string): void {
  for (const args of [
    ['log', ref, '--kind', 'call', '--direction', 'in', '--note', `${PERSON.last} rappelle au ${PERSON.phoneTyped}`],
    ['log', ref, '--kind', 'email', '--direction', 'out', '--note', `devis envoyé à ${PERSON.emailTyped}`],
    ['sale', 'add', ref, '--kind', 'quote', '--number', 'D-2026-042', '--amount', '1 250,00', '--label', `site de ${PERSON.last}`],
    ['rgpd', 'consent', ref, '--channel', 'email', '--granted', '--source', 'formulaire site', '--proof', `reçu de ${PERSON.emailTyped}`],
    ['tag', ref, 'VIP'],
  ]) {
    const r = s.run([...args, '-q']);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
}

function forgetAndCheck(s: Sandbox, remaining: number): void {
  expect(traces(s.db).length, 'the person is in the file before').toBeGreaterThan(0);
  const r = s.run(['rgpd', 'forget', PERSON.emailTyped.toUpperCase(), '--yes', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { mode: string; auditSubject: string; scrub: { fileTraces: number; checked: number }; suppressed: number };
  expect(out.mode).toBe('erased');
  expect(out.suppressed).toBe(2);
  expect(traces(s.db)).toEqual([]);
  if (ON_PG) {
    // No file to scrub on a server: forget names the copies carnet cannot reach instead.
    expect(r.stderr).toMatch(/carnet cannot reach the server's WAL archives/);
  } else {
    expect(out.scrub.fileTraces).toBe(0);
    expect(out.scrub.checked).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/no trace left/);
    const wal = `${s.db}-wal`;
    expect(!existsSync(wal) || readFileSync(wal).length === 0).toBe(true);
  }

  const log = s.json<{ action: string; subject: string | null; details: unknown }[]>(['rgpd', 'log', '--limit', '0']);
  const forgetEntry = log.find((e) => e.action === 'rgpd.forget');
  expect(forgetEntry?.subject).toMatch(/^[0-9a-f]{64}$/);
  expect(forgetEntry?.subject).toBe(out.auditSubject);
  const text = JSON.stringify(log);
  for (const n of NEEDLES) expect(text, n).not.toContain(n);
  expect(s.run(['show', PERSON.emailTyped]).code).toBe(4);
  expect(s.json<unknown[]>(['list'])).toHaveLength(remaining);
}

describe('rgpd forget leaves no trace (carnet add)', () => {
  let s: Sandbox;
  beforeAll(() => {
    s = sandbox();
  });
  afterAll(() => s.cleanup());

  it('erases the person: no e-mail, phone or name in the file or its WAL, the audit holds a hash', () => {
    neighbours(s);
    const add = s.run(['add', '--first-name', PERSON.first, '--last-name', PERSON.last, '--email', PERSON.emailTyped, '--phone', PERSON.phoneTyped, '--city', 'Annecy', '--notes', `client de ${PERSON.last}`]);
    expect(add.code, add.stderr).toBe(0);
    lifeOfTheRecord(s, PERSON.emailTyped);
    // Another process has the file open (a cron job, a second terminal): closing carnet then does
    // not checkpoint and delete the WAL, so only forget's own checkpoint and truncate can clean it.
    const other = openSandboxDb(s.db);
    try {
      other.prepare('SELECT count(*) FROM customers').get();
      forgetAndCheck(s, 30);
    } finally {
      other.close();
    }
    expect(s.run(['rgpd', 'forget', PERSON.emailTyped, '--yes']).code).toBe(4);
  });
});

/** The import engineer's command: this version runs once `carnet import` is in the build. */
const importReady = /^\s+import\b/m.test(runCarnet(['--help']).stdout);

describe.skipIf(!importReady)('rgpd forget leaves no trace, and a re-import is suppressed (carnet import)', () => {
  let s: Sandbox;
  let csv: string;
  beforeAll(() => {
    s = sandbox();
    csv = join(s.dir, 'prospects.csv');
    writeFileSync(
      csv,
      [
        'Prénom;Nom;E-mail;Téléphone;Ville',
        `${PERSON.first};${PERSON.last};${PERSON.emailTyped};${PERSON.phoneTyped};Annecy`,
        'Paul;Durandal;paul.durandal@ex.fr;04 78 11 22 33;Lyon',
      ].join('\r\n') + '\r\n',
    );
  });
  afterAll(() => s.cleanup());

  it('imports, erases, then refuses the same row at the next import', () => {
    neighbours(s);
    const first = s.json<{ inserted: number; suppressed: number }>(['import', csv]);
    expect(first).toMatchObject({ inserted: 2, suppressed: 0 });
    lifeOfTheRecord(s, PERSON.emailTyped);
    forgetAndCheck(s, 31);
    const again = s.json<{ inserted: number; updated: number; suppressed: number }>(['import', csv]);
    expect(again.suppressed).toBe(1);
    expect(again.inserted).toBe(0);
    expect(s.run(['show', PERSON.emailTyped]).code).toBe(4);
    expect(traces(s.db)).toEqual([]);
  });
});
