import type { Db } from '../port.js';
import { departmentSql, eligibleSql, revenueSale } from './categorise-sql.js';
import { COLUMN } from '../columns.js';

/** One group of customers: left out (0 counted, 1 archived, 2 restricted), status and département. */
export interface PopulationGroup {
  out: 0 | 1 | 2;
  status: string;
  department: string | null;
  count: number;
}

/** The aggregate queries behind `carnet stats`. */
export class CategoriseStatsRepo {
  constructor(private readonly db: Db) {}

  /** Customers counted by (left out, status, département), in one scan of the table. */
  population(): PopulationGroup[] {
    return this.db
      .prepare(
        `SELECT CASE WHEN archived_at IS NOT NULL THEN 1 WHEN restricted_at IS NOT NULL THEN 2 ELSE 0 END AS out,
           ${COLUMN.status}, ${departmentSql('c')} AS department, count(*) AS count
         FROM customers c GROUP BY 1, 2, 3`,
      )
      .all() as PopulationGroup[];
  }

  /**
   * Each eligible customer's positive invoiced revenue in cents (invoices and
   * credit notes, as the filter's `revenue`), largest first; `since` keeps
   * sales issued on or after that day. Customers left out are found by one
   * scan of customers, not a lookup per sale.
   */
  revenues(since: string | null): number[] {
    return this.db
      .prepare(
        `SELECT rev FROM (
           SELECT sum(s.amount_cents) AS rev FROM sales s
            WHERE ${revenueSale('s')} AND (CAST(@since AS TEXT) IS NULL OR s.issued_on >= @since)
              AND s.customer_id NOT IN (SELECT c.id FROM customers c WHERE NOT (${eligibleSql('c')}))
            GROUP BY s.customer_id) AS r
         WHERE rev > 0 ORDER BY rev DESC`,
      )
      .pluck()
      .all({ since }) as number[];
  }
}
