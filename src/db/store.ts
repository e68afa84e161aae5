import { randomUUID } from 'node:crypto';
import { BusyError } from '../core/errors.js';
import { copyDatabase, type CopyOptions, type CopyResult } from './copy.js';
import { openDatabase, asAppError, type OpenOptions } from './open.js';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isPgUrl, redact } from './pg/connect.js';
import { RETRYABLE } from './pg/errors.js';
import { BEYOND_REACH } from './pg/reach.js';
import { engineOf, type Db } from './port.js';
import { AuditRepo } from './repositories/audit.js';
import { dialectOf, type Dialect } from './dialect.js';
import { CategoriesRepo } from './repositories/categories.js';
import { ConsentsRepo } from './repositories/consents.js';
import { ContactsRepo } from './repositories/contacts.js';
import { CustomersRepo } from './repositories/customers.js';
import { InteractionsRepo } from './repositories/interactions.js';
import { MaintenanceRepo } from './repositories/maintenance.js';
import { SalesRepo } from './repositories/sales.js';
import { SettingsRepo } from './repositories/settings.js';
import { SuppressionsRepo } from './repositories/suppressions.js';

/**
 * One open database and its repositories, built on first use so that a
 * command prepares only the statements it runs. Transactions belong to the
 * core services, through tx().
 */
/**
 * Told when a write transaction starts and ends, so that the command line can
 * decide what Ctrl-C does: during a synchronous transaction the process may
 * simply die (SQLite discards what was not committed); once a commit is made,
 * an interrupt is too late to undo it.
 */
export interface TxHooks {
  begin(): void;
  end(committed: boolean): void;
}

/** Attempts of one PostgreSQL transaction that met a serialization failure, a deadlock or a busy lock. */
export const TX_ATTEMPTS = 5;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

export class Store {
  readonly db: Db;
  readonly path: string;
  private readonly cache = new Map<string, unknown>();
  /** True once a write transaction of this command has committed. */
  committed = false;
  hooks: TxHooks | null = null;

  constructor(db: Db, path: string) {
    this.db = db;
    this.path = path;
  }

  /** The SQLite file, or null (in memory, or a server's database). */
  get file(): string | null {
    return this.path === ':memory:' || this.path === '' || isPgUrl(this.path) ? null : this.path;
  }

  /** What to show for this database: the file's path, or the server's URL without its password. */
  get label(): string {
    return isPgUrl(this.path) ? redact(this.path) : this.path;
  }

  /**
   * Where carnet keeps its own files for this database (rejects): beside the
   * file; for a server's database, $XDG_DATA_HOME/carnet on this machine;
   * null in memory.
   */
  get localDir(): string | null {
    if (isPgUrl(this.path)) {
      const dataHome = process.env.XDG_DATA_HOME ? process.env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
      return join(dataHome, 'carnet');
    }
    return this.file === null ? null : dirname(resolve(this.file));
  }

  /** Copies of the data carnet cannot reach nor erase (a server's archives, backups, replicas, statistics); none for a file. */
  beyondReach(): readonly string[] {
    return engineOf(this.db) === 'postgres' ? BEYOND_REACH : [];
  }

  /** Copies the whole database to a new SQLite file or an empty PostgreSQL database, in one transaction. */
  copyTo(target: string, opts: CopyOptions): CopyResult {
    try {
      return copyDatabase(this.db, target, opts);
    } catch (err) {
      throw asAppError(err, target);
    }
  }

  static open(path: string, opts: OpenOptions = {}): Store {
    return new Store(openDatabase(path, opts), path);
  }

  /** The SQL dialect of this connection: for SQL built outside a repository (the compiled filter). */
  get dialect(): Dialect {
    return dialectOf(this.db);
  }

  private repo<T>(name: string, make: (db: Db) => T): T {
    let r = this.cache.get(name) as T | undefined;
    if (r === undefined) {
      r = make(this.db);
      this.cache.set(name, r);
    }
    return r;
  }

  get customers(): CustomersRepo { return this.repo('customers', (db) => new CustomersRepo(db)); }
  get contacts(): ContactsRepo { return this.repo('contacts', (db) => new ContactsRepo(db)); }
  get interactions(): InteractionsRepo { return this.repo('interactions', (db) => new InteractionsRepo(db)); }
  get sales(): SalesRepo { return this.repo('sales', (db) => new SalesRepo(db)); }
  get consents(): ConsentsRepo { return this.repo('consents', (db) => new ConsentsRepo(db)); }
  get categories(): CategoriesRepo { return this.repo('categories', (db) => new CategoriesRepo(db)); }
  get audit(): AuditRepo { return this.repo('audit', (db) => new AuditRepo(db)); }
  get settings(): SettingsRepo { return this.repo('settings', (db) => new SettingsRepo(db)); }
  get suppressions(): SuppressionsRepo { return this.repo('suppressions', (db) => new SuppressionsRepo(db)); }
  get maintenance(): MaintenanceRepo { return this.repo('maintenance', (db) => new MaintenanceRepo(db)); }

  /** Other repositories (import, dedupe, rgpd…) register here the same way. */
  extension<T>(name: string, make: (db: Db) => T): T {
    return this.repo(name, make);
  }

  /**
   * Runs fn in one IMMEDIATE transaction (or a savepoint when nested): the
   * write lock is taken up front, so a concurrent writer waits for the busy
   * timeout instead of failing half-way. On PostgreSQL the writers queue on
   * the schema's advisory lock; a serialization failure, a deadlock or a lock
   * not available (another program's) rolls back and runs fn again, up to
   * TX_ATTEMPTS times, then is exit 5.
   */
  tx<T>(fn: () => T): T {
    const outer = !this.db.inTransaction;
    if (outer) this.hooks?.begin();
    let ok = false;
    try {
      const result = outer && engineOf(this.db) === 'postgres' ? this.retried(fn) : this.db.transaction(fn).immediate();
      ok = true;
      return result;
    } catch (err) {
      throw asAppError(err, this.path);
    } finally {
      if (outer) {
        if (ok) this.committed = true;
        this.hooks?.end(ok);
      }
    }
  }

  /**
   * One IMMEDIATE transaction around async work: fn may pause (await) between
   * batches, which is where Ctrl-C is heard — the command then exits and
   * SQLite discards the uncommitted transaction, leaving the file as before.
   * Nested tx() calls inside become savepoints.
   */
  async txAsync<T>(fn: () => Promise<T>): Promise<T> {
    if (this.db.inTransaction) return fn();
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      throw asAppError(err, this.path);
    }
    try {
      const result = await fn();
      this.db.exec('COMMIT');
      this.committed = true;
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw asAppError(err, this.path);
    }
  }

  private retried<T>(fn: () => T): T {
    for (let attempt = 1; ; attempt++) {
      try {
        return this.db.transaction(fn).immediate();
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (typeof code !== 'string' || !RETRYABLE.has(code)) throw err;
        if (attempt >= TX_ATTEMPTS) {
          throw new BusyError(
            `the database stayed busy: ${TX_ATTEMPTS} attempts met another session's lock, deadlock or conflicting update (${code}); nothing was changed`,
            'run the command again when the other work is done',
          );
        }
        // A short, growing, jittered pause, so two retrying carnets do not meet again.
        Atomics.wait(PAUSE, 0, 0, 50 * 2 ** attempt * (0.5 + Math.random()));
      }
    }
  }

  /**
   * Who makes a change, for the audit log: the OS user, and on PostgreSQL the
   * database role too, since a team shares the database ("alice (role carnet_app)").
   */
  actorOf(osUser: string): string {
    if (engineOf(this.db) !== 'postgres') return osUser;
    const role = this.db.prepare('SELECT current_user').pluck().get() as string;
    return `${osUser} (role ${role})`;
  }

  newUid(): string {
    return randomUUID();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
