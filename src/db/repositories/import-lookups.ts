import type { Dialect } from '../dialect.js';
import { COLUMN } from '../columns.js';
import { KEYLESS_KEYS } from '../../core/fields/catalogue.js';

/** The lookups that find a staged row's customer, in the connection's dialect (`IS` is IS NOT DISTINCT FROM on PostgreSQL). */
export function lookups(d: Dialect) {
  const sameSource = (c: string) => d.same(`${c}.${COLUMN.externalSource}`, `s.${COLUMN.externalSource}`);
  /** A customer that already has an external id in the row's namespace is someone else when it differs. */
  const OTHER_EXTERNAL = `NOT (s.${COLUMN.externalId} IS NOT NULL AND c.${COLUMN.externalId} IS NOT NULL AND ${sameSource('c')})`;
  const BY_EXTERNAL = `CASE WHEN s.${COLUMN.externalId} IS NOT NULL THEN (SELECT c.id FROM customers c WHERE c.${COLUMN.externalId} = s.${COLUMN.externalId} AND ${sameSource('c')} ORDER BY c.id LIMIT 1) END`;
  /**
   * Among customers sharing a SIRET or an e-mail, a row without an external id
   * takes one without an external id in its namespace first (the customer an
   * earlier import of the same kind of file created), then the oldest: so a
   * re-import matches the rows the first import created, one to one.
   */
  const WITHOUT_EXTERNAL = `NOT (c.${COLUMN.externalId} IS NOT NULL AND ${sameSource('c')})`;
  const preferring = (where: string, guard: string) =>
    `coalesce((SELECT c.id FROM customers c WHERE ${where} AND ${guard} AND ${WITHOUT_EXTERNAL} ORDER BY c.id LIMIT 1),
            (SELECT c.id FROM customers c WHERE ${where} AND ${guard} ORDER BY c.id LIMIT 1))`;
  const BY_SIRET = (guard: string) => `CASE WHEN s.${COLUMN.siret} IS NOT NULL THEN ${preferring(`c.${COLUMN.siret} = s.${COLUMN.siret}`, guard)} END`;
  const BY_EMAIL = (guard: string) => `CASE WHEN s.${COLUMN.emailNorm} IS NOT NULL THEN ${preferring(`c.${COLUMN.emailNorm} = s.${COLUMN.emailNorm}`, guard)} END`;
  /** A record dedupe merged away: its keys now find the survivor (customer_aliases). */
  const alias = (kind: string, column: string, withSource = false) =>
    `CASE WHEN s.${column} IS NOT NULL THEN (SELECT a.customer_id FROM customer_aliases a WHERE a.kind = '${kind}' AND a.value = s.${column}${
      withSource ? ` AND ${d.same('a.source', `s.${COLUMN.externalSource}`)}` : ''
    } ORDER BY a.merge_id DESC LIMIT 1) END`;
  return {
    OTHER_EXTERNAL,
    BY_EXTERNAL,
    BY_SIRET,
    BY_EMAIL,
    ALIAS_EXTERNAL: alias(COLUMN.externalId, COLUMN.externalId, true),
    ALIAS_SIRET: alias('siret', COLUMN.siret),
    ALIAS_EMAIL: alias('email', COLUMN.emailNorm),
    BY_IDENTITY: `CASE WHEN substr(s.ikey, 1, 1) = 'f' THEN (SELECT k.id FROM temp.import_keyless k WHERE ${KEYLESS_KEYS.map((c) => d.same(`k.${c}`, `s.${c}`)).join(' AND ')} ORDER BY k.id LIMIT 1) END`,
  };
}
