import type { Db, Statement } from './port.js';

export type Stmt = Statement<unknown[], unknown>;

/**
 * Statements prepared once per connection, keyed by their SQL: repositories
 * whose SQL is built at run time (a column list, an optional table) use it so
 * that a purge or an adoption over 100,000 customers prepares each shape once.
 */
export class StatementCache {
  private readonly stmts = new Map<string, Stmt>();
  constructor(private readonly db: Db) {}

  get(sql: string): Stmt {
    let st = this.stmts.get(sql);
    if (!st) {
      st = this.db.prepare<unknown[], unknown>(sql);
      this.stmts.set(sql, st);
    }
    return st;
  }
}
