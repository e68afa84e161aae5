import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { foldForSql } from '../../src/db/open.js';
import { Store } from '../../src/db/store.js';
import { freshPgUrl, PG_START_MS } from '../helpers/engines.js';

/** Strings where a fold could go wrong: accents, ligatures, letters that do not decompose, other scripts, final sigma; accents beside letters that do not decompose (level 9's fast path must not take them). */
const TRICKY = [
  'Élodie', 'ÉLODIE', 'Ærøskøbing', 'Œuvre', 'straße', 'STRASSE', 'ẞ', 'İstanbul', 'Łódź', 'Ĳssel', 'Ðorđe', 'Þór',
  'ΟΔΟΣ', 'ΣΑΣ Σ', 'ΑΣ.', 'ΟΔΟΣΑ', 'Ἀθῆναι', 'Москва', 'ЁЛКА', 'Å', 'Ångström', 'ﬁnance', 'naïve café', 'Zoë', 'ǅ', 'Ǆ',
  '', 'plain ascii MiXeD 123', 'Ｆｕｌｌ', '𐐀𐐨', 'Ⅻ', 'Ⓐ', 'ŉ', 'ǰ', "l'Oréal", 'Dvořák', 'Nguyễn', 'e\u0301', 'A\u20dd', '한국',
  'ǈ', 'ΐ', 'ß', 'Saint-Étienne', 'JEAN-PIERRE LEFÈVRE', '%_\\', 'ÉMILE ŁUKASZ', 'Hélène ΟΔΟΣ', 'CAFÉ Ｆ',
];

/** The PostgreSQL schema (migrations/postgres) against the SQLite one and the JavaScript fold. */
describe('the PostgreSQL schema', () => {
  let store: Store;

  beforeAll(async () => {
    store = Store.open(await freshPgUrl());
  }, PG_START_MS);
  afterAll(() => store?.close());

  it('has the same tables, and the same columns in the same order, as the SQLite schema', () => {
    const lite = Store.open(':memory:');
    try {
      const tables = (s: Store) => (s.db.prepare(s.dialect.tablesSql).all() as { name: string }[]).map((r) => r.name).filter((n) => n !== 'sqlite_sequence');
      expect(tables(store)).toEqual(tables(lite));
      // Views: SQLite gives computed columns no type, so their names only.
      for (const t of [...tables(lite), 'customer_facts', 'consent_records']) {
        const view = t === 'customer_facts' || t === 'consent_records';
        const cols = (s: Store) =>
          (s.db.prepare(s.dialect.columnsSql).all(t) as { name: string; type: string }[]).map((c) => (view ? c.name : `${c.name} ${c.type}`));
        expect(cols(store), t).toEqual(cols(lite));
      }
    } finally {
      lite.close();
    }
  });

  it('folds text in SQL exactly as JavaScript does (carnet_fold)', () => {
    const fold = store.db.prepare('SELECT carnet_fold(?) AS f').pluck();
    for (const s of TRICKY) expect(fold.get(s), JSON.stringify(s)).toBe(foldForSql(s));
    expect(fold.get(null)).toBeNull();
  });

  it('lets the planner inline carnet_fold into the statements that call it (level 12)', () => {
    // A call through the SQL-function executor costs ~3 µs a row on top of the fold itself.
    const plan = (store.db.prepare('EXPLAIN (VERBOSE) SELECT carnet_fold(first_name) FROM customers').all() as Record<string, string>[])
      .map((r) => Object.values(r).join(' '))
      .join('\n');
    expect(plan).not.toMatch(/carnet_fold\(/);
    expect(plan).toMatch(/regexp_replace/i);
  });

  it('folds the full-text document as carnet_fold does, stripping accents once (level 11)', () => {
    // carnet_fold_plain answers the plain-ASCII cases and NULL for the rest, which carnet_fold takes.
    const plain = store.db.prepare('SELECT carnet_fold_plain(?) AS f').pluck();
    const doc = store.db.prepare("SELECT CAST(carnet_fts_doc(?, ?, NULL, ?, '') AS text) AS d").pluck();
    const viaFold = store.db.prepare(`SELECT CAST(to_tsvector('simple'::regconfig, regexp_replace(carnet_fold(?), '[!-/:-@[-\`{-~]+', ' ', 'g')) AS text)`).pluck();
    let answered = 0;
    for (const s of TRICKY) {
      const p = plain.get(s) as string | null;
      if (p !== null) {
        answered++;
        expect(p, JSON.stringify(s)).toBe(foldForSql(s));
      }
      expect(doc.get(s, 'Ærøskøbing', s), JSON.stringify(s)).toBe(viaFold.get(`${s} Ærøskøbing  ${s} `));
    }
    expect(answered).toBeGreaterThan(10); // both paths are exercised
    expect(plain.get('ΟΔΟΣ')).toBeNull();
  });

  it('patches JSON objects into the bytes SQLite json_patch gives (carnet_json_patch)', () => {
    const lite = new Database(':memory:');
    const cases: [string, string][] = [
      ['{"b":"1","a":"x y","c":2}', '{"a":"z","d":[1,2],"c":null,"é\\"":true}'],
      ['{}', '{}'],
      ['{"a":1}', '{}'],
      ['{}', '{"k":"v","n":null}'],
      ['{"Ville":"Lyon","n°":"12"}', '{"n°":"13","Canal":"salon"}'],
    ];
    const pg = store.db.prepare('SELECT carnet_json_patch(?, ?) AS j').pluck();
    const sq = lite.prepare('SELECT json_patch(?, ?) AS j').pluck();
    for (const [t, p] of cases) expect(pg.get(t, p), `${t} + ${p}`).toBe(sq.get(t, p));
    lite.close();
  });

  it('finds customers by full text, accents and case ignored, by the start of any word', () => {
    const now = '2026-12-05T08:00:00.000Z';
    const ins = store.db.prepare(
      `INSERT INTO customers (uid, first_name, last_name, city, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)${store.dialect.returningId}`,
    );
    const a = Number(ins.run('u-a', 'Jean-Pierre', 'Lefèvre', 'Saint-Étienne', 'devis envoyé', now, now).lastInsertRowid);
    const b = Number(ins.run('u-b', 'Hélène', 'LEFEVRE', 'Lyon', null, now, now).lastInsertRowid);
    const ids = (words: string[]) => store.customers.search(words, 10).map((c) => c.id);
    expect(ids(['lefe'])).toEqual([a, b].sort((x, y) => x - y));
    expect(ids(['pierre', 'ETIENNE'])).toEqual([a]);
    expect(ids(['helene'])).toEqual([b]);
    expect(ids(['envoye'])).toEqual([a]);
    expect(ids(['lyonnais'])).toEqual([]);
  });
});
