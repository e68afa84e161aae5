import type { KeyMode, OnConflict } from '../../core/model.js';
import type { Db } from '../port.js';
import { bitOf } from './import-columns.js';
import { changedSql, insertSql, updateSql } from './import-apply-sql.js';
import { dialectOf, quoteIdent, type Dialect } from '../dialect.js';
import { COLUMN } from '../columns.js';
import { lookups } from './import-lookups.js';
import { KEYLESS_KEYS } from '../../core/fields/catalogue.js';
import { withTrustedReferences } from '../trusted-references.js';

export type { KeyMode, OnConflict } from '../../core/model.js';

/**
 * Tables a big import writes many rows into: their secondary indexes are rebuilt once instead of
 * updated a million times. (Measured: even indexes whose keys arrive in order — the new ids of
 * consents, links and categories, the shared status — cost more kept live than rebuilt.)
 */
const BULK_TABLES = ['customers', 'customer_import_runs', 'consents', 'customer_categories'];

/** What the links of an import run need: the run, its time and file, and the category names the plan found new. */
export interface LinkParams {
  run: number;
  now: string;
  source: string;
  proof: string;
  newCategories: readonly string[];
}

export interface StageCounts {
  insert: number;
  update: number;
  unchanged: number;
}

/**
 * Matching, classifying and applying a staged customer import, set-based:
 * each step is one statement over the whole stage, run by SQLite in C, so
 * that a million rows cost a few statements rather than a million round
 * trips. The import service runs them inside one transaction.
 */
export class ImportApplyRepo {
  private readonly d: Dialect;
  private readonly q: ReturnType<typeof lookups>;

  constructor(private readonly db: Db) {
    this.d = dialectOf(db);
    this.q = lookups(this.d);
  }

  /** The statements name temp tables SQLite's way (temp.x): the dialect places them. */
  private prep(sql: string) {
    return this.db.prepare(this.d.tempSql(sql));
  }

  private exec(sql: string): void {
    this.db.exec(this.d.tempSql(sql));
  }

  /** A temp table's DDL, typed by the dialect: on PostgreSQL INTEGER is bigint (a seq reaches 2^21 × the chunk count). */
  private ddl(sql: string): void {
    this.db.exec(this.d.tempDdl(this.d.tempSql(sql)));
  }

  /**
   * PostgreSQL, inside the import's transaction (SET LOCAL): a work_mem for the joins and sorts of
   * a big stage (the default 4 MB sent the sort of the new customers' rows to disk).
   */
  tuneTransaction(): void {
    if (this.d.engine !== 'sqlite' && this.db.inTransaction) this.db.exec("SET LOCAL work_mem = '64MB'");
  }

  /** Statistics once a temp table is filled, where the engine plans with them (see Dialect.analyseTemp). */
  private analyse(...tables: string[]): void {
    const sql = this.d.analyseTemp(tables);
    if (sql !== null) this.db.exec(sql);
  }

  customerCount(): number {
    return (this.prep('SELECT count(*) AS n FROM customers').get() as { n: number }).n;
  }

  /** Finds the existing customer of each staged row (external id, else SIRET, else e-mail; rows with no key: an identical file). */
  match(mode: KeyMode): void {
    let expr: string;
    const { BY_EXTERNAL, ALIAS_EXTERNAL, BY_SIRET, ALIAS_SIRET, BY_EMAIL, ALIAS_EMAIL, OTHER_EXTERNAL, BY_IDENTITY } = this.q;
    switch (mode) {
      case COLUMN.externalId:
        expr = `coalesce(${BY_EXTERNAL}, ${ALIAS_EXTERNAL})`;
        break;
      case COLUMN.siret:
        expr = `coalesce(${BY_SIRET('1')}, ${ALIAS_SIRET})`;
        break;
      case COLUMN.email:
        expr = `coalesce(${BY_EMAIL('1')}, ${ALIAS_EMAIL})`;
        break;
      default: {
        const parts = [BY_EXTERNAL, ALIAS_EXTERNAL, BY_SIRET(OTHER_EXTERNAL), ALIAS_SIRET, BY_EMAIL(OTHER_EXTERNAL), ALIAS_EMAIL];
        const keyless = this.prep(`SELECT 1 FROM temp.import_stage WHERE substr(ikey, 1, 1) = 'f' LIMIT 1`).get() !== undefined;
        if (keyless) {
          this.exec(`DROP TABLE IF EXISTS temp.import_keyless;
            CREATE TEMP TABLE import_keyless AS SELECT id, ${KEYLESS_KEYS.join(', ')} FROM customers
              WHERE ${COLUMN.externalId} IS NULL AND ${COLUMN.siret} IS NULL AND ${COLUMN.emailNorm} IS NULL;
            CREATE INDEX temp.import_keyless_names ON import_keyless (${COLUMN.lastName}, ${COLUMN.firstName})`);
          parts.push(BY_IDENTITY);
        }
        expr = `coalesce(${parts.join(',\n ')})`;
      }
    }
    // Materialised: the filter on the result must not evaluate the lookups a second time.
    // Rows matchOwnUids already placed keep their target.
    this.exec(`WITH m AS MATERIALIZED (SELECT s.seq, ${expr} AS target FROM temp.import_stage AS s
        WHERE s.seq NOT IN (SELECT seq FROM temp.import_targets))
      INSERT INTO temp.import_targets (seq, target) SELECT seq, target FROM m WHERE target IS NOT NULL ORDER BY seq`);
  }

  /**
   * A row of carnet's own export whose uid column is the uid of a customer
   * is that customer (its external id column stays what it is). A row whose
   * external id is the uid of a customer is that customer too: a card carnet
   * exported (its UID is the uid) comes back to its own file, and the uid is
   * not stored as an external id. Runs before match().
   */
  matchOwnUids(ownUids = true): void {
    const bits = bitOf(COLUMN.externalId) + bitOf(COLUMN.externalSource);
    // Every uid carnet gives or keeps is a 36-character UUID: other external ids need no look-up in the uid index.
    this.exec(`DELETE FROM temp.import_targets;
      ${ownUids ? `INSERT INTO temp.import_targets (seq, target)
        SELECT s.seq, c.id FROM temp.import_stage AS s JOIN customers c ON c.uid = s.own_uid
        WHERE s.own_uid IS NOT NULL ORDER BY s.seq;` : ''}
      DROP TABLE IF EXISTS temp.import_uid_ext;
      CREATE TEMP TABLE import_uid_ext AS
        SELECT s.seq, c.id AS target FROM temp.import_stage AS s JOIN customers c ON c.uid = s.${COLUMN.externalId}
        WHERE s.${COLUMN.externalId} IS NOT NULL AND length(s.${COLUMN.externalId}) = 36 AND s.seq NOT IN (SELECT seq FROM temp.import_targets);
      INSERT INTO temp.import_targets (seq, target) SELECT seq, target FROM temp.import_uid_ext ORDER BY seq;
      UPDATE temp.import_stage AS s SET ${COLUMN.externalId} = NULL, ${COLUMN.externalSource} = NULL, mask = s.mask & ~${bits}
        WHERE s.seq IN (SELECT seq FROM temp.import_uid_ext);
      DROP TABLE temp.import_uid_ext`);
  }

  /**
   * Decides which consents of matched rows apply: a row's consent is
   * recorded when it changes the customer's latest state for the channel —
   * except that a file never re-grants what the person withdrew or opposed
   * (those rows are marked -1, for the summary). In fill mode, only a
   * channel with no consent at all is filled.
   */
  markConsents(mode: OnConflict): void {
    this.exec('CREATE INDEX IF NOT EXISTS temp.import_stage_consent_seq ON import_stage_consent (seq)');
    this.exec('CREATE INDEX IF NOT EXISTS temp.import_stage_cat_seq ON import_stage_cat (seq)');
    // Rows without a target (new customers) keep apply = 1.
    if (mode === 'skip') {
      this.exec('UPDATE temp.import_stage_consent AS k SET apply = 0 FROM temp.import_targets AS s WHERE s.seq = k.seq');
      return;
    }
    const rowid = this.d.rowid;
    // The latest state of each (customer, channel) is looked up once per consent row, in a materialised
    // step (inline, the CASE below read it twice), and the opposition only for a grant.
    const latest = `(SELECT l.state FROM consents l WHERE l.customer_id = s.target AND l.channel = k.channel AND l.purpose = 'marketing'
                     ORDER BY l.recorded_at DESC, l.id DESC LIMIT 1)`;
    const opposed = `CASE WHEN k.state = 'granted' THEN EXISTS (SELECT 1 FROM consents o WHERE o.customer_id = s.target AND o.channel = k.channel AND o.state = 'opposed') ELSE ${this.d.engine === 'sqlite' ? '0' : 'false'} END`;
    const decide =
      mode === 'fill'
        ? 'CASE WHEN x.latest IS NULL THEN 1 ELSE 0 END'
        : `CASE WHEN x.state = 'granted' AND (x.opposed OR x.latest IN ('withdrawn', 'opposed')) THEN -1
                WHEN ${this.d.same('x.latest', 'x.state')} THEN 0 ELSE 1 END`;
    this.exec(`WITH x AS MATERIALIZED (SELECT k.${rowid} AS r, k.state, ${latest} AS latest, ${mode === 'fill' ? 'NULL' : opposed} AS opposed
        FROM temp.import_stage_consent AS k JOIN temp.import_targets AS s ON s.seq = k.seq)
      UPDATE temp.import_stage_consent AS k SET apply = ${decide} FROM x WHERE x.r = k.${rowid}`);
  }

  /** True when some staged row found an existing customer. */
  hasTargets(): boolean {
    return this.prep('SELECT 1 FROM temp.import_targets LIMIT 1').get() !== undefined;
  }

  /**
   * update / unchanged for every staged row that found its customer, into
   * the narrow import_plan (seq, target, action); a row without a target is
   * an insert (not written anywhere: the stage is not rewritten).
   */
  classify(mode: OnConflict): StageCounts {
    this.ddl(`DROP TABLE IF EXISTS temp.import_plan;
      CREATE TEMP TABLE import_plan (seq INTEGER PRIMARY KEY, target INTEGER NOT NULL, action TEXT NOT NULL)`);
    const staged = (this.prep('SELECT count(*) AS n FROM temp.import_stage').get() as { n: number }).n;
    if (!this.hasTargets()) return { insert: staged, update: 0, unchanged: 0 };
    if (mode === 'skip') {
      this.exec(`INSERT INTO temp.import_plan (seq, target, action) SELECT seq, target, 'unchanged' FROM temp.import_targets ORDER BY seq`);
    } else {
      const newCategory = `EXISTS (SELECT 1 FROM temp.import_stage_cat sc WHERE sc.seq = t.seq AND NOT EXISTS (
        SELECT 1 FROM customer_categories cc JOIN categories cat ON cat.id = cc.category_id WHERE cc.customer_id = t.target AND ${this.d.nocaseEq('cat.name', 'sc.name')}))`;
      const newConsent = 'EXISTS (SELECT 1 FROM temp.import_stage_consent k WHERE k.seq = t.seq AND k.apply = 1)';
      this.exec(`INSERT INTO temp.import_plan (seq, target, action)
        SELECT t.seq, t.target, CASE
          WHEN EXISTS (SELECT 1 FROM customers c WHERE c.id = t.target AND (${changedSql(this.d, mode)})) OR ${newCategory} OR ${newConsent} THEN 'update'
          ELSE 'unchanged' END
        FROM temp.import_targets t JOIN temp.import_stage s ON s.seq = t.seq ORDER BY t.seq`);
    }
    const counts: StageCounts = { insert: staged, update: 0, unchanged: 0 };
    for (const r of this.prep('SELECT action, count(*) AS n FROM temp.import_plan GROUP BY 1').all() as { action: 'update' | 'unchanged'; n: number }[]) {
      counts[r.action] = r.n;
      counts.insert -= r.n;
    }
    return counts;
  }

  /** Consents a file tried to grant again after a withdrawal or an objection (not applied). */
  blockedGrants(): number {
    return (this.prep('SELECT count(*) AS n FROM temp.import_stage_consent WHERE apply = -1').get() as { n: number }).n;
  }

  /** Category names the import would create (rows left unchanged create none). */
  newCategories(): string[] {
    // Without matched rows every staged row is written: no need to look at the stage itself.
    const written = this.hasTargets() ? `AND NOT EXISTS (SELECT 1 FROM temp.import_plan p WHERE p.seq = sc.seq AND p.action = 'unchanged')` : '';
    return this.prep(this.firstNames('f.name', `FROM temp.import_stage_cat sc
        WHERE NOT EXISTS (SELECT 1 FROM categories c WHERE ${this.d.nocaseEq('c.name', 'sc.name')}) ${written}`))
      .pluck()
      .all() as string[];
  }

  /**
   * `SELECT select` over the staged category names `f`, one per group of
   * names equal but for case (the groups of `from`, over `sc`): the first
   * in the file, in file order. The group's first row is found by its row
   * number alone: PostgreSQL's array_agg(name ORDER BY rid) sorted every
   * staged name (2.4 s of a million-row import, now a fifth).
   */
  private firstNames(select: string, from: string): string {
    const rid = this.d.rowid;
    return `SELECT ${select} FROM temp.import_stage_cat f
      WHERE f.${rid} IN (SELECT min(sc.${rid}) ${from} GROUP BY ${this.d.nocase('sc.name')}) ORDER BY f.${rid}`;
  }

  /**
   * Before applying: the staged rows that will restrict processing of a
   * customer (a new one, or an updated one not restricted yet), so that
   * restrictedByImport() can name them for the audit log afterwards.
   */
  markRestrictions(any = true): void {
    // No staged restriction: an empty table, without a scan of the whole stage.
    this.exec(`DROP TABLE IF EXISTS temp.import_restrict;
      CREATE TEMP TABLE import_restrict AS SELECT s.seq FROM temp.import_stage s
        LEFT JOIN temp.import_plan p ON p.seq = s.seq LEFT JOIN customers c ON c.id = p.target
        WHERE ${any ? '' : '1 = 0 AND '}s.restricted_at IS NOT NULL AND (p.seq IS NULL OR (p.action = 'update' AND c.restricted_at IS NULL))`);
  }

  /** After applying: the customers this import restricted, with the date the file gave. */
  restrictedByImport(): { uid: string; restrictedAt: string; line: number }[] {
    return this.prep(`SELECT c.uid, c.restricted_at AS restrictedAt, i.line FROM temp.import_restrict r
        JOIN temp.import_ids i ON i.seq = r.seq JOIN customers c ON c.id = i.id ORDER BY r.seq`)
      .all() as { uid: string; restrictedAt: string; line: number }[];
  }

  applyUpdates(mode: OnConflict, now: string): void {
    if (mode !== 'skip') this.prep(updateSql(this.d, mode)).run({ now });
  }

  /**
   * The customer id of every row the import writes: new ones after the
   * current last id, in file order; updated ones their target. A narrow
   * table, so that links, consents and categories do not rescan the stage.
   */
  assignIds(): number {
    // After the highest id ever given (sqlite_sequence): ids of erased or merged customers are never reused.
    const base = Number((this.prep(this.d.customerIdHighWaterSql).get() as { m: number }).m);
    this.ddl(`DROP TABLE IF EXISTS temp.import_ids;
      CREATE TEMP TABLE import_ids (seq INTEGER PRIMARY KEY, id INTEGER NOT NULL, inserted INTEGER NOT NULL, line INTEGER NOT NULL)`);
    // Without matched rows every row is new: numbering them in the stage's own order needs no sort.
    const sql = this.hasTargets()
      ? `SELECT s.seq, CASE WHEN p.seq IS NULL THEN @base + row_number() OVER (PARTITION BY p.seq IS NULL ORDER BY s.seq) ELSE p.target END,
             CASE WHEN p.seq IS NULL THEN 1 ELSE 0 END, s.line
         FROM temp.import_stage s LEFT JOIN temp.import_plan p ON p.seq = s.seq WHERE p.seq IS NULL OR p.action = 'update' ORDER BY s.seq`
      : `SELECT seq, @base + row_number() OVER (ORDER BY seq), 1, line FROM temp.import_stage ORDER BY seq`;
    this.prep(`INSERT INTO temp.import_ids (seq, id, inserted, line) ${sql}`).run({ base });
    this.analyse('import_ids');
    return base;
  }

  applyInserts(p: { now: string; uidPrefix: string; defaultSource: string | null }, ownUids = true): void {
    this.exec(`DROP TABLE IF EXISTS temp.import_kept_uids;
      CREATE TEMP TABLE import_kept_uids AS SELECT min(seq) AS seq FROM temp.import_stage
        WHERE ${ownUids ? '' : '1 = 0 AND '}own_uid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.uid = own_uid) GROUP BY own_uid`);
    this.prep(insertSql(this.d)).run(p);
    // PostgreSQL's id generator does not see ids given explicitly: moved past them.
    if (this.d.customerIdsTakenSql) this.prep(this.d.customerIdsTakenSql).get();
    this.exec('DROP TABLE temp.import_kept_uids');
  }

  applyLinks(p: LinkParams, trace: (step: string) => void = () => undefined): void {
    // Every id written below was inserted or matched in this transaction: see withTrustedReferences.
    withTrustedReferences(this.db, ['customer_import_runs', 'consents', 'customer_categories'], () => this.writeLinks(p, trace));
  }

  private writeLinks(p: LinkParams, trace: (step: string) => void): void {
    // The run is new: a link can only meet another of the same customer in this statement, and
    // without matched rows every id is a new customer's, given once (PostgreSQL then skips ON
    // CONFLICT's speculative insertion of each row).
    const link = this.hasTargets() ? this.d.insertOrIgnore : this.d.insertNew;
    this.prep(link(`customer_import_runs (customer_id, import_run_id, line, action)
      SELECT id, @run, line, CASE inserted WHEN 1 THEN 'inserted' ELSE 'updated' END FROM temp.import_ids`)).run({ run: p.run });
    trace('links');
    // One proof for the run (source and "import of FILE"); each consent row refers to it with its line.
    const any = this.prep('SELECT 1 FROM temp.import_stage_consent WHERE apply = 1 LIMIT 1').get() !== undefined;
    const proofId = any && Number(
      this.prep(`INSERT INTO consent_proofs (import_run_id, source, proof) VALUES (?, ?, ?)${this.d.returningId}`).run(p.run, p.source, p.proof).lastInsertRowid,
    );
    this.prep(`INSERT INTO consents (customer_id, channel, purpose, state, proof_id, proof_line, recorded_at)
      SELECT i.id, k.channel, 'marketing', k.state, @proofId, i.line, coalesce(k.at, @now)
      FROM temp.import_stage_consent k JOIN temp.import_ids i ON i.seq = k.seq
      WHERE k.apply = 1 ORDER BY k.${this.d.rowid}`).run({ proofId: proofId || null, now: p.now });
    trace('consent rows');
    // The plan has found them (newCategories: the first spelling in the file of each name no category
    // has yet, among the rows written); grouping the staged names a second time cost 0.4 s a million rows.
    const category = this.prep(this.d.insertOrIgnore(`categories (name, kind, created_at) VALUES (?, 'manual', ?)`));
    for (const name of p.newCategories) category.run(name, p.now);
    this.prep(this.d.insertOrIgnore(`customer_categories (customer_id, category_id, assigned_by, assigned_at)
      SELECT i.id, cat.id, 'import', @now
      FROM temp.import_stage_cat sc JOIN temp.import_ids i ON i.seq = sc.seq JOIN categories cat ON ${this.d.nocaseEq('cat.name', 'sc.name')}
      WHERE i.inserted = 1 OR NOT EXISTS (SELECT 1 FROM customer_categories x WHERE x.customer_id = i.id AND x.category_id = cat.id)`)).run({ now: p.now });
    trace('category links');
  }

  /**
   * Before a bulk insert: the secondary indexes of the tables it fills are
   * dropped (rebuilt after: one sort instead of a million random B-tree
   * insertions), and the full-text index is fed in one statement after the
   * rows rather than by its per-row trigger. Everything happens inside the
   * import's transaction, so a crash leaves the schema as it was.
   */
  suspendForBulk(): { indexes: { sql: string }[]; triggers: { sql: string }[] } {
    // PostgreSQL: indexes stay (readers keep using them during a long import; no DDL in a shared schema).
    if (this.d.engine !== 'sqlite') return { indexes: [], triggers: [] };
    const indexes = this.prep(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE '%UNIQUE%'
        AND tbl_name IN (${BULK_TABLES.map((t) => `'${t}'`).join(', ')})`)
      .all() as { name: string; sql: string }[];
    for (const i of indexes) this.exec(`DROP INDEX ${quoteIdent(i.name)}`);
    const triggers = this.prep(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'customers' AND sql LIKE '%AFTER INSERT%' AND sql LIKE '%customers_fts%'`)
      .all() as { name: string; sql: string }[];
    for (const t of triggers) this.exec(`DROP TRIGGER ${quoteIdent(t.name)}`);
    return { indexes, triggers };
  }

  /** After a bulk insert: the full-text rows of the new customers, then the triggers and indexes back. */
  resumeAfterBulk(suspended: { indexes: { sql: string }[]; triggers: { sql: string }[] }, base: number, trace: (step: string) => void = () => undefined): void {
    if (suspended.triggers.length > 0) {
      const cols = (this.prep(`SELECT name FROM pragma_table_info('customers_fts')`).pluck().all() as string[]).join(', ');
      this.prep(`INSERT INTO customers_fts (rowid, ${cols}) SELECT id, ${cols} FROM customers WHERE id > ?`).run(base);
      for (const t of suspended.triggers) this.exec(t.sql);
      trace('full-text index');
    }
    // One thread: SQLite's helper sorter threads were no faster here and cost 50 MB at the peak.
    for (const i of suspended.indexes) this.exec(i.sql);
  }

}
