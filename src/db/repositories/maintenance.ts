import { AppError, ExitCode } from '../../core/errors.js';
import { engineOf, isSqlite, type Db } from '../port.js';
import { appliedMigrations, listMigrations, migrationsDirOf, snapshotTo } from '../migrate.js';

/** Whole-file operations: integrity, schema level, checkpoints, backups. */
export class MaintenanceRepo {
  constructor(private readonly db: Db) {}

  integrityCheck(): string[] {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  }

  foreignKeyProblems(): number {
    return (this.db.pragma('foreign_key_check') as unknown[]).length;
  }

  schema(): { applied: string[]; known: string[] } {
    return { applied: appliedMigrations(this.db), known: listMigrations(migrationsDirOf(engineOf(this.db))).map((m) => m.name) };
  }

  journalMode(): string {
    return String(this.db.pragma('journal_mode', { simple: true }));
  }

  /** Moves the WAL into the main file and truncates it, so deleted pages leave no copy behind. */
  checkpointTruncate(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Rebuilds the full-text index's b-trees so no deleted term survives in a free page. */
  optimiseFts(): void {
    this.db.prepare(`INSERT INTO customers_fts (customers_fts) VALUES ('optimize')`).run();
  }

  vacuum(): void {
    this.db.exec('VACUUM');
  }

  backupTo(target: string): void {
    if (!isSqlite(this.db)) {
      throw new AppError('carnet backup copies a SQLite file; a PostgreSQL database is backed up with pg_dump', {
        exitCode: ExitCode.usage,
        hint: 'run `pg_dump --schema=carnet DBNAME > carnet.sql`, or `carnet copy FILE.db` for a SQLite copy',
      });
    }
    snapshotTo(this.db, target);
  }

  tableCounts(): Record<string, number> {
    const tables = (
      this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'customers_fts%' ORDER BY name`).all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    const out: Record<string, number> = {};
    for (const t of tables) out[t] = (this.db.prepare(`SELECT count(*) AS n FROM "${t.replace(/"/g, '""')}"`).get() as { n: number }).n;
    return out;
  }
}
