import type { Db } from '../port.js';
import { dialectOf } from '../dialect.js';

export type SuppressionKind = 'email' | 'phone' | 'siret';

export class SuppressionsRepo {
  private readonly insertStmt;
  private readonly hasStmt;
  private readonly countStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      dialectOf(db).insertOrIgnore('suppressions (hash, kind, channel, reason, created_at) VALUES (@hash, @kind, @channel, @reason, @at)'),
    );
    this.hasStmt = db.prepare('SELECT channel, reason FROM suppressions WHERE hash = ?');
    this.countStmt = db.prepare('SELECT count(*) AS n FROM suppressions');
  }

  add(hash: string, kind: SuppressionKind, reason: 'erased' | 'opposed', at: string, channel = 'all'): void {
    this.insertStmt.run({ hash, kind, channel, reason, at });
  }

  lookup(hash: string): { channel: string; reason: string }[] {
    return this.hasStmt.all(hash) as { channel: string; reason: string }[];
  }

  count(): number {
    return (this.countStmt.get() as { n: number }).n;
  }
}
