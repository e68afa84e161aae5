import type { Db } from '../port.js';

export interface OperationTimeRow {
  name: string;
  at: string;
  seconds: number;
  summary: string | null;
}

/** The last duration of each long operation (operation_times). */
export class OperationsRepo {
  constructor(private readonly db: Db) {}

  record(row: OperationTimeRow): void {
    this.db
      .prepare('INSERT INTO operation_times (name, at, seconds, summary) VALUES (@name, @at, @seconds, @summary) ON CONFLICT (name) DO UPDATE SET at = excluded.at, seconds = excluded.seconds, summary = excluded.summary')
      .run(row);
  }

  all(): OperationTimeRow[] {
    return this.db.prepare('SELECT name, at, seconds, summary FROM operation_times ORDER BY name').all() as OperationTimeRow[];
  }
}
