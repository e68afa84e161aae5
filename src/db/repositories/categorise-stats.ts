import type { Db } from '../open.js';
import { departmentSql, eligibleSql, revenueSale } from './categorise-sql.js';

/** The aggregate queries behind `carnet stats`: each one pass, over eligible customers (not archived, not restricted). */
export class CategoriseStatsRepo {
  constructor(private readonly db: Db) {}

  population(): { eligible: number; archived: number; restricted: number } {
    return this.db
      .prepare(
        `SELECT coalesce(sum(archived_at IS NULL AND restricted_at IS NULL), 0) AS eligible,
                coalesce(sum(archived_at IS NOT NULL), 0) AS archived,
                coalesce(sum(archived_at IS NULL AND restricted_at IS NOT NULL), 0) AS restricted FROM customers`,
      )
      .get() as { eligible: number; archived: number; restricted: number };
  }

  byStatus(): { status: string; count: number }[] {
    return this.db
      .prepare(`SELECT status, count(*) AS count FROM customers c WHERE ${eligibleSql('c')} GROUP BY status ORDER BY count DESC, status`)
      .all() as { status: string; count: number }[];
  }

  /** Département counts; customers without a usable postal code have a null département. */
  byDepartment(): { department: string | null; count: number }[] {
    return this.db
      .prepare(
        `SELECT ${departmentSql('c')} AS department, count(*) AS count FROM customers c WHERE ${eligibleSql('c')}
         GROUP BY 1 ORDER BY count DESC, department`,
      )
      .all() as { department: string | null; count: number }[];
  }

  /**
   * Each eligible customer's positive invoiced revenue in cents (invoices and
   * credit notes, as the filter's `revenue`), largest first; `since` keeps
   * sales issued on or after that day.
   */
  revenues(since: string | null): number[] {
    return this.db
      .prepare(
        `SELECT rev FROM (
           SELECT sum(s.amount_cents) AS rev FROM sales s JOIN customers c ON c.id = s.customer_id
            WHERE ${revenueSale('s')} AND ${eligibleSql('c')} AND (@since IS NULL OR s.issued_on >= @since)
            GROUP BY s.customer_id)
         WHERE rev > 0 ORDER BY rev DESC`,
      )
      .pluck()
      .all({ since }) as number[];
  }
}
