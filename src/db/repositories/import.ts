import type { Statement } from '../port.js';
import type { What } from '../../core/model.js';
import { pipelineOf, type Db, type Pipeline } from '../port.js';
import { INTERACTION_STAGE, SALE_STAGE, STAGE_COLUMNS, STAGE_FIELD_COLUMNS } from './import-columns.js';
import { dialectOf, type Dialect } from '../dialect.js';
import { StageRowWriter } from './import-stage-rows.js';

export type StagedValue = string | number | null;
export type StageKind = What;

const OWN_UID = STAGE_COLUMNS.indexOf('own_uid');
const RESTRICTED_AT = STAGE_COLUMNS.indexOf('restricted_at');

/** Categories and consents per INSERT: nearly every row has a consent, and a call per pair or quad cost ~1 µs a row. */
const LINKS_PER_INSERT = 64;

// Staged columns have no declared type on purpose: no type affinity, so '+33612345678', '01000' and
// '00012' stay text exactly as normalised (a column typed ANY would get NUMERIC affinity and lose them).
const CUSTOMER_STAGE_DDL = `CREATE TEMP TABLE import_stage (
  seq INTEGER PRIMARY KEY, line INTEGER NOT NULL, ikey TEXT NOT NULL, mask INTEGER NOT NULL,
  ${STAGE_FIELD_COLUMNS.join(', ')},
  extra TEXT, created_at TEXT, last_contact_at TEXT, custom TEXT, own_uid TEXT, restricted_at TEXT, archived_at TEXT)`;
// The existing customer each staged row found (match), beside the stage rather than in it: writing
// a column of a million wide rows rewrites the whole stage, a narrow table costs a few megabytes.
const CUSTOMER_TARGETS_DDL = 'CREATE TEMP TABLE import_targets (seq INTEGER PRIMARY KEY, target INTEGER NOT NULL)';

const ACTIVITY_DDL: Readonly<Record<Exclude<StageKind, 'customers'>, string>> = {
  sales: `CREATE TEMP TABLE import_stage (${SALE_STAGE.map((c) => (c === 'seq' ? 'seq INTEGER PRIMARY KEY' : c)).join(', ')},
    customer_id INTEGER, target INTEGER, action TEXT, reason TEXT)`,
  interactions: `CREATE TEMP TABLE import_stage (${INTERACTION_STAGE.map((c) => (c === 'seq' ? 'seq INTEGER PRIMARY KEY' : c)).join(', ')},
    customer_id INTEGER, target INTEGER, action TEXT, reason TEXT)`,
};

/**
 * The same staging tables on PostgreSQL, typed (text COLLATE "C" as the customers' columns, whole
 * numbers bigint): PostgreSQL has no untyped column. `rid` numbers the rows as SQLite's rowid does.
 */
const PG_TEXT = 'text COLLATE "C"';
const pgColumn = (c: string): string =>
  c === 'seq' ? 'seq bigint PRIMARY KEY' : c === 'line' || c === 'mask' || c === 'amount_cents' ? `${c} bigint` : `${c} ${PG_TEXT}`;
const PG_STAGE_DDL: Readonly<Record<StageKind, string>> = {
  customers: `CREATE TEMP TABLE import_stage (${STAGE_COLUMNS.map(pgColumn).join(', ')})`,
  sales: `CREATE TEMP TABLE import_stage (${SALE_STAGE.map(pgColumn).join(', ')}, customer_id bigint, target bigint, action text, reason text)`,
  interactions: `CREATE TEMP TABLE import_stage (${INTERACTION_STAGE.map(pgColumn).join(', ')}, customer_id bigint, target bigint, action text, reason text)`,
};

function stageDdl(d: Dialect, kind: StageKind): string[] {
  if (d.engine === 'sqlite') {
    return [
      kind === 'customers' ? CUSTOMER_STAGE_DDL : ACTIVITY_DDL[kind],
      ...(kind === 'customers' ? [CUSTOMER_TARGETS_DDL] : []),
      'CREATE TEMP TABLE import_stage_cat (seq INTEGER NOT NULL, name TEXT NOT NULL)',
      'CREATE TEMP TABLE import_stage_consent (seq INTEGER NOT NULL, channel TEXT NOT NULL, state TEXT NOT NULL, at TEXT, apply INTEGER NOT NULL DEFAULT 1)',
    ];
  }
  const rid = 'rid bigint GENERATED ALWAYS AS IDENTITY';
  return [
    PG_STAGE_DDL[kind],
    ...(kind === 'customers' ? ['CREATE TEMP TABLE import_targets (seq bigint PRIMARY KEY, target bigint NOT NULL)'] : []),
    `CREATE TEMP TABLE import_stage_cat (${rid}, seq bigint NOT NULL, name ${PG_TEXT} NOT NULL)`,
    `CREATE TEMP TABLE import_stage_consent (${rid}, seq bigint NOT NULL, channel text NOT NULL, state text NOT NULL, at ${PG_TEXT}, apply integer NOT NULL DEFAULT 1)`,
  ];
}

function columnsOf(kind: StageKind): readonly string[] {
  return kind === 'customers' ? STAGE_COLUMNS : kind === 'sales' ? SALE_STAGE : INTERACTION_STAGE;
}

/**
 * The staging area of one import: TEMP tables on this connection (on disk
 * beside SQLite's other temp files, so a big file does not grow the
 * process's memory), filled in batches while the file is being read,
 * then applied in one transaction by the import service. Nothing here
 * touches the main database.
 */
export class ImportRepo {
  private stageRows: StageRowWriter | null = null;
  private insertCat: Statement<unknown[]> | null = null;
  private insertConsent: Statement<unknown[]> | null = null;
  private insertCats: Statement<unknown[]> | null = null;
  private insertConsents: Statement<unknown[]> | null = null;
  private kind: StageKind = 'customers';
  /** Which of carnet's own export columns some staged row holds: each is a scan of the whole stage to look for otherwise. */
  private held = { ownUid: false, restrictedAt: false };
  private readonly d: Dialect;
  /** PostgreSQL's batches, sent without waiting for each (see stageAsJson). */
  private pipe: Pipeline | null = null;

  constructor(private readonly db: Db) {
    this.d = dialectOf(db);
  }

  /** The statements name temp tables SQLite's way (temp.x): the dialect places them. */
  private prep(sql: string) {
    return this.db.prepare(this.d.tempSql(sql));
  }

  private exec(sql: string): void {
    this.db.exec(this.d.tempSql(sql));
  }

  /** (Re)creates the staging tables for one kind of import. */
  createStage(kind: StageKind): void {
    this.dropStage();
    // Big stages spill to a temp file instead of the heap; a modest cache keeps the memory bounded.
    if (this.d.engine === 'sqlite') this.db.pragma('temp.cache_size = -8192');
    for (const ddl of stageDdl(this.d, kind)) this.exec(ddl);
    this.kind = kind;
    this.held = { ownUid: false, restrictedAt: false };
    if (this.d.engine !== 'sqlite') this.pipe = pipelineOf(this.db);
    this.stageRows = new StageRowWriter('temp.import_stage', columnsOf(kind), (sql) => this.prep(sql));
    this.insertCat = this.prep('INSERT INTO temp.import_stage_cat (seq, name) VALUES (?, ?)');
    this.insertConsent = this.prep('INSERT INTO temp.import_stage_consent (seq, channel, state, at) VALUES (?, ?, ?, ?)');
    this.insertCats = this.prep(`INSERT INTO temp.import_stage_cat (seq, name) VALUES ${Array(LINKS_PER_INSERT).fill('(?, ?)').join(', ')}`);
    this.insertConsents = this.prep(`INSERT INTO temp.import_stage_consent (seq, channel, state, at) VALUES ${Array(LINKS_PER_INSERT).fill('(?, ?, ?, ?)').join(', ')}`);
  }

  dropStage(): void {
    this.pipe?.discard();
    this.pipe = null;
    this.exec('DROP TABLE IF EXISTS temp.import_stage; DROP TABLE IF EXISTS temp.import_stage_cat; DROP TABLE IF EXISTS temp.import_stage_consent; DROP TABLE IF EXISTS temp.import_keyless; DROP TABLE IF EXISTS temp.import_ids; ' +
      'DROP TABLE IF EXISTS temp.import_targets; DROP TABLE IF EXISTS temp.import_plan');
    this.stageRows = null;
    this.insertCat = this.insertConsent = this.insertCats = this.insertConsents = null;
    this.merging = null;
  }

  /** Stages one batch: rows (width values each), [seq, name] pairs, [seq, channel, state, at] quads. */
  stage(rows: readonly (readonly StagedValue[])[], cats: readonly StagedValue[], consents: readonly StagedValue[]): void {
    if (this.kind === 'customers') {
      for (const r of rows) {
        if (r[OWN_UID] !== null) this.held.ownUid = true;
        if (r[RESTRICTED_AT] !== null) this.held.restrictedAt = true;
      }
    }
    if (this.d.engine !== 'sqlite') {
      this.stageAsColumns(rows, cats, consents);
      return;
    }
    const { stageRows, insertCat: cat, insertConsent: consent, insertCats: catsMany, insertConsents: consentsMany } = this;
    if (!stageRows || !cat || !consent || !catsMany || !consentsMany) throw new Error('import stage not created');
    this.db.transaction(() => {
      stageRows.write(rows);
      // The flat pairs and quads bind as they are, a slice of many at a time (file order kept: the rowid orders them).
      let k = 0;
      for (; k + 2 * LINKS_PER_INSERT <= cats.length; k += 2 * LINKS_PER_INSERT) catsMany.run(cats.slice(k, k + 2 * LINKS_PER_INSERT));
      for (; k < cats.length; k += 2) cat.run(cats[k], cats[k + 1]);
      k = 0;
      for (; k + 4 * LINKS_PER_INSERT <= consents.length; k += 4 * LINKS_PER_INSERT) consentsMany.run(consents.slice(k, k + 4 * LINKS_PER_INSERT));
      for (; k < consents.length; k += 4) consent.run(consents[k], consents[k + 1], consents[k + 2], consents[k + 3]);
    })();
  }

  /**
   * PostgreSQL: each statement is a round trip to the server, so a batch travels as one
   * statement per table (three a batch, not one per category or consent), each column as one
   * JSON array, turned into an array and unnested by the server in file order. Measured on
   * 100,000 rows of 45 columns against one jsonb array of rows: 2.0 s of server CPU instead
   * of 2.9 (each value parsed once, not a document built and then taken apart value by
   * value), and less on carnet's side (a few long strings to serialise and hand to the
   * connection's thread). The statements are pipelined: sent without waiting, so the next
   * batch is read and checked while the server stores this one (each commits on its own: the
   * stage is temporary and thrown away whole if the import fails).
   */
  private stageAsColumns(rows: readonly (readonly StagedValue[])[], cats: readonly StagedValue[], consents: readonly StagedValue[]): void {
    const pipe = this.pipe;
    if (!pipe) throw new Error('import stage not created');
    if (pipe.copy) {
      // COPY: the server parses tab-separated text in C, row by row, without building arrays first.
      if (rows.length > 0) pipe.copy('pg_temp.import_stage', columnsOf(this.kind), rows);
      if (cats.length > 0) pipe.copy('pg_temp.import_stage_cat', ['seq', 'name'], { flat: cats });
      if (consents.length > 0) pipe.copy('pg_temp.import_stage_consent', ['seq', 'channel', 'state', 'at'], { flat: consents });
      return;
    }
    const bigint = (c: string): boolean => c === 'seq' || c === 'line' || c === 'mask' || c === 'amount_cents';
    // Value k of each record in a flat list of n-value records ([seq, name, seq, name, …]).
    const column = (flat: readonly StagedValue[], n: number, k: number): StagedValue[] => {
      const out: StagedValue[] = [];
      for (let i = k; i < flat.length; i += n) out.push(flat[i] ?? null);
      return out;
    };
    const insert = (table: string, cols: readonly string[], values: StagedValue[][]): void => {
      const arrays = cols.map((c) => `CAST(ARRAY(SELECT v FROM json_array_elements_text(CAST(? AS json)) WITH ORDINALITY AS j (v, k) ORDER BY k) AS ${bigint(c) ? 'bigint' : 'text'}[])`);
      // An array argument is a list of parameters: one JSON text per column.
      pipe.send(`INSERT INTO pg_temp.${table} (${cols.join(', ')}) SELECT ${cols.join(', ')}
        FROM unnest(${arrays.join(', ')}) WITH ORDINALITY AS t (${cols.join(', ')}, n) ORDER BY n`, values.map((v) => JSON.stringify(v)));
    };
    if (rows.length > 0) {
      const cols = columnsOf(this.kind);
      insert('import_stage', cols, cols.map((_, k) => rows.map((r) => r[k] ?? null)));
    }
    if (cats.length > 0) insert('import_stage_cat', ['seq', 'name'], [column(cats, 2, 0), column(cats, 2, 1)]);
    if (consents.length > 0) insert('import_stage_consent', ['seq', 'channel', 'state', 'at'], [0, 1, 2, 3].map((k) => column(consents, 4, k)));
  }

  /** Whether some staged row carries a uid, or a restriction date, of carnet's own export (merging rows never adds one). */
  holds(): { ownUid: boolean; restrictedAt: boolean } {
    return { ...this.held };
  }

  /** Waits for the batches still on their way and throws the first error among them. */
  flushStage(): void {
    this.pipe?.flush();
  }

  stagedCount(): number {
    this.flushStage();
    return (this.prep('SELECT count(*) AS n FROM temp.import_stage').get() as { n: number }).n;
  }

  /** Sequence numbers of staged rows sharing a value of `column` (ikey, or target once matched), in file order. */
  *groups(column: 'ikey' | 'target' | 'dedupe'): IterableIterator<number[]> {
    this.flushStage();
    const expr = column === 'dedupe' ? 'ikey' : column;
    const table = column === 'target' ? 'import_targets' : 'import_stage';
    // SQLite groups along this index; PostgreSQL measured the index's build (1.2 s on a million rows) dearer than the sort it saves.
    if (this.d.engine === 'sqlite') this.exec(`CREATE INDEX IF NOT EXISTS temp.${table}_${column} ON ${table} (${expr}, seq)`);
    const rows = this.prep(`SELECT ${this.d.groupConcat('seq', "','", 'seq')} AS seqs FROM (SELECT ${expr} AS k, seq FROM temp.${table} WHERE ${expr} IS NOT NULL) AS g
        GROUP BY k HAVING count(*) > 1 ORDER BY k`)
      .pluck()
      .all() as string[];
    for (const s of rows) yield s.split(',').map(Number);
  }

  private merging: {
    row: Statement<unknown[]>;
    update: Statement<unknown[]>;
    moveCats: Statement<unknown[]>;
    dropConsents: Statement<unknown[]>;
    moveConsents: Statement<unknown[]>;
    drop: Statement<unknown[]>;
    dropTargets: Statement<unknown[]>;
  } | null = null;

  private mergeStatements() {
    if (!this.merging) {
      const cols = columnsOf('customers');
      // The seqs of a group travel as a JSON array: one statement whatever the group's size.
      const inGroup = `seq IN ${this.d.jsonIds('@seqs')}`;
      const rowid = this.d.rowid;
      this.merging = {
        row: this.prep(`SELECT ${cols.join(', ')} FROM temp.import_stage WHERE seq = ?`).raw(),
        update: this.prep(`UPDATE temp.import_stage SET ${cols.slice(1).map((c) => `${c} = ?`).join(', ')} WHERE seq = ?`),
        moveCats: this.prep(`UPDATE temp.import_stage_cat SET seq = @keep WHERE ${inGroup}`),
        // Consents: the last row of the file that says something about a channel wins.
        dropConsents: this.prep(`DELETE FROM temp.import_stage_consent WHERE (${inGroup} OR seq = @keep)
          AND ${rowid} NOT IN (SELECT max(${rowid}) FROM temp.import_stage_consent WHERE ${inGroup} OR seq = @keep GROUP BY channel)`),
        moveConsents: this.prep(`UPDATE temp.import_stage_consent SET seq = @keep WHERE ${inGroup}`),
        drop: this.prep(`DELETE FROM temp.import_stage WHERE ${inGroup}`),
        dropTargets: this.prep(`DELETE FROM temp.import_targets WHERE ${inGroup}`),
      };
    }
    return this.merging;
  }

  /** Staged rows by sequence number, as arrays in stage column order. */
  rows(seqs: readonly number[]): StagedValue[][] {
    const stmt = this.mergeStatements().row;
    return seqs.map((s) => stmt.get(s) as StagedValue[]);
  }

  /** Replaces the first row of a group by the merged one; the others go, their categories and consents follow. */
  collapse(keep: readonly StagedValue[], drop: readonly number[]): void {
    const m = this.mergeStatements();
    const p = { keep: keep[0], seqs: JSON.stringify(drop) };
    m.update.run(...keep.slice(1), keep[0]);
    m.moveCats.run(p);
    m.dropConsents.run(p);
    m.moveConsents.run(p);
    m.drop.run(p);
    m.dropTargets.run(p);
  }

  createRun(r: { fileName: string; sha256: string; what: string; source: string | null; startedAt: string }): number {
    return Number(
      this.prep('INSERT INTO import_runs (file_name, sha256, what, source, started_at, dry_run) VALUES (@fileName, @sha256, @what, @source, @startedAt, 0)' + this.d.returningId)
        .run(r).lastInsertRowid,
    );
  }

  finishRun(id: number, endedAt: string, counts: Record<string, number>): void {
    this.prep('UPDATE import_runs SET ended_at = ?, counts = ? WHERE id = ?').run(endedAt, JSON.stringify(counts), id);
  }

  /** The last finished run of the same file content, if any: lets the summary say "same file as on …". */
  lastRunOf(sha256: string, what: string): { id: number; endedAt: string | null } | undefined {
    return this.prep('SELECT id, ended_at AS endedAt FROM import_runs WHERE sha256 = ? AND what = ? AND dry_run = 0 ORDER BY id DESC LIMIT 1')
      .get(sha256, what) as { id: number; endedAt: string | null } | undefined;
  }
}
