import { quoteIdent } from './dialect.js';
import { engineOf, type Db } from './port.js';

/**
 * Runs fn, inside the current write transaction, with PostgreSQL's reference
 * checks on the INSERTs into `tables` switched off: the statement triggers of
 * schema level 9 (carnet_ref_check) that stand for the foreign keys.
 *
 * Why: each check copies every new row into a transition table and then
 * anti-joins it with the parent. On a first import of a million rows the
 * checks of the run links, consents and category links cost about 15 s of the
 * server's 65 s; categorise's memberships pay the same per row. SQLite's
 * categorise switches its foreign keys off for the same reason.
 *
 * Why it is safe: the callers insert only ids they just inserted or read
 * inside this transaction, and every carnet writer holds the schema's
 * advisory lock, so no parent can vanish meanwhile. The ALTER TABLE also takes
 * a SHARE ROW EXCLUSIVE lock on each table until commit: any other program
 * writing there waits for the commit, and its own checks and cascades (on the
 * parents' side, untouched) then see these rows. Readers are not blocked
 * (their ACCESS SHARE does not conflict). The triggers are switched back on
 * before fn's savepoint is released; if fn throws, the savepoint's rollback
 * restores them. A role that does not own the tables (ALTER TABLE needs the
 * owner) keeps the checks: slower, never wrong. SQLite: fn as is.
 */
export function withTrustedReferences<T>(db: Db, tables: readonly string[], fn: () => T): T {
  if (engineOf(db) !== 'postgres' || !db.inTransaction || tables.length === 0) return fn();
  const triggers = db
    .prepare(
      `SELECT c.relname AS tbl, t.tgname AS name FROM pg_trigger t
         JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid
        WHERE n.nspname = current_schema() AND c.relname IN (${tables.map(() => '?').join(', ')}) AND p.proname = 'carnet_ref_check'
          AND t.tgenabled <> 'D' AND (t.tgtype & 4) <> 0 AND pg_has_role(c.relowner, 'USAGE')
        ORDER BY c.relname, t.tgname`,
    )
    .all(...tables) as { tbl: string; name: string }[];
  if (triggers.length === 0) return fn();
  const byTable = new Map<string, string[]>();
  for (const t of triggers) byTable.set(t.tbl, [...(byTable.get(t.tbl) ?? []), t.name]);
  const alter = (verb: 'DISABLE' | 'ENABLE'): void => {
    for (const [tbl, names] of byTable) db.exec(`ALTER TABLE ${quoteIdent(tbl)} ${names.map((n) => `${verb} TRIGGER ${quoteIdent(n)}`).join(', ')}`);
  };
  return db.transaction(() => {
    alter('DISABLE');
    const result = fn();
    alter('ENABLE');
    return result;
  })();
}

