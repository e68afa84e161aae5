import { AppError, ExitCode } from '../../core/errors.js';
import { dialectOf, quoteIdent } from '../dialect.js';
import { engineOf, isSqlite, type Db } from '../port.js';
import { appliedMigrations, listMigrations, migrationsDirOf, snapshotTo } from '../migrate.js';

/** What carnet's role may do on a PostgreSQL server, for `doctor`. */
export interface ServerReport {
  version: string;
  role: string;
  superuser: boolean;
  schema: string;
  /** Privileges carnet needs, and whether the role has each. */
  privileges: { what: string; granted: boolean }[];
  /** Extensions carnet needs: none (full text and carnet_fold are plain SQL). */
  extensions: string[];
}

/** Whole-file operations: integrity, schema level, checkpoints, backups. */
export class MaintenanceRepo {
  constructor(private readonly db: Db) {}

  /** SQLite's page check; a server checks its own pages (and carnet needs no superuser to run amcheck). */
  integrityCheck(): string[] {
    if (!isSqlite(this.db)) return ['ok'];
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  }

  /**
   * Rows whose parent is gone. SQLite may hold some (foreign keys off). PostgreSQL enforces its
   * references, foreign keys or level 9's statement-level triggers; the latter are counted anyway,
   * since a role that may disable triggers could have bypassed them.
   */
  foreignKeyProblems(): number {
    if (isSqlite(this.db)) return (this.db.pragma('foreign_key_check') as unknown[]).length;
    const d = dialectOf(this.db);
    const q = quoteIdent;
    let orphans = 0;
    for (const { name } of this.db.prepare(d.tablesSql).all() as { name: string }[]) {
      for (const r of this.db.prepare(d.foreignKeysSql).all(name) as { target: string; col: string }[]) {
        orphans += this.db
          .prepare(`SELECT count(*) FROM ${q(name)} c WHERE c.${q(r.col)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${q(r.target)} p WHERE p.id = c.${q(r.col)})`)
          .pluck()
          .get() as number;
      }
    }
    return orphans;
  }

  /** The server, the role and the privileges carnet needs; null for a SQLite file. */
  server(): ServerReport | null {
    if (isSqlite(this.db)) return null;
    const r = this.db
      .prepare(
        `SELECT current_setting('server_version') AS version, current_user AS role, current_schema() AS schema,
           (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
           has_database_privilege(current_database(), 'CONNECT') AS connect,
           has_database_privilege(current_database(), 'TEMPORARY') AS temp,
           has_schema_privilege(current_schema(), 'USAGE') AS usage,
           has_schema_privilege(current_schema(), 'CREATE') AS create,
           coalesce((SELECT bool_and(has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE'))
              FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'), true) AS tables`,
      )
      .get() as { version: string; role: string; schema: string; superuser: number; connect: number; temp: number; usage: number; create: number; tables: number };
    return {
      version: r.version,
      role: r.role,
      superuser: r.superuser === 1,
      schema: r.schema,
      privileges: [
        { what: 'CONNECT on the database', granted: r.connect === 1 },
        { what: 'TEMPORARY on the database (import, export and dedupe stage rows in temporary tables)', granted: r.temp === 1 },
        { what: `USAGE on schema ${r.schema}`, granted: r.usage === 1 },
        { what: `CREATE on schema ${r.schema} (upgrades add tables and indexes)`, granted: r.create === 1 },
        { what: `SELECT, INSERT, UPDATE, DELETE on the tables of schema ${r.schema}`, granted: r.tables === 1 },
      ],
      extensions: [],
    };
  }

  schema(): { applied: string[]; known: string[] } {
    return { applied: appliedMigrations(this.db), known: listMigrations(migrationsDirOf(engineOf(this.db))).map((m) => m.name) };
  }

  journalMode(): string {
    if (!isSqlite(this.db)) return 'the server\'s write-ahead log';
    return String(this.db.pragma('journal_mode', { simple: true }));
  }

  /** Moves the WAL into the main file and truncates it, so deleted pages leave no copy behind. */
  checkpointTruncate(): void {
    if (!isSqlite(this.db)) return; // the server's WAL is its own (see BEYOND_REACH)
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Rebuilds the full-text index's b-trees so no deleted term survives in a free page. */
  optimiseFts(): void {
    if (!isSqlite(this.db)) return; // a GIN index holds no deleted terms once its rows are gone and vacuumed
    this.db.prepare(`INSERT INTO customers_fts (customers_fts) VALUES ('optimize')`).run();
  }

  vacuum(): void {
    this.db.exec('VACUUM');
  }

  backupTo(target: string): void {
    if (!isSqlite(this.db)) {
      // The hint names this database and schema, so that it can be pasted as it is.
      const at = this.db.prepare('SELECT current_schema() AS schema, current_database() AS database').get() as { schema: string; database: string };
      throw new AppError('carnet backup copies a SQLite file; a PostgreSQL database is backed up with pg_dump', {
        exitCode: ExitCode.usage,
        hint: `run \`pg_dump --schema=${at.schema} ${at.database} > carnet.sql\`, or \`carnet copy FILE.db\` for a SQLite copy`,
      });
    }
    snapshotTo(this.db, target);
  }

  tableCounts(): Record<string, number> {
    const tables = (this.db.prepare(dialectOf(this.db).tablesSql).all() as { name: string }[]).map((r) => r.name);
    const out: Record<string, number> = {};
    for (const t of tables) out[t] = (this.db.prepare(`SELECT count(*) AS n FROM ${quoteIdent(t)}`).get() as { n: number }).n;
    return out;
  }
}
