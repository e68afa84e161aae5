import type { MatchRow } from '../../core/dedupe/table.js';
import type { Db } from '../port.js';
import { dialectOf } from '../dialect.js';
import { cols, COLUMN, type Columns } from '../columns.js';

export interface MatchScope {
  includeArchived: boolean;
}

export type MemberSummaryRow = Columns<'externalId' | 'firstName' | 'lastName' | 'companyName' | 'email' | 'phone' | 'city'> & {
  id: number;
  uid: string;
  [COLUMN.kind]: string;
};

// The order is MatchRow's (core/dedupe/table.ts reads these rows by position).
const MATCH_COLUMNS = `id, ${cols(null, 'firstName', 'lastName', 'companyName', 'siret', 'emailNorm', 'phoneE164', 'mobileE164',
  'addressLine1', 'addressLine2', 'postalCode', 'city', 'country', 'birthDate')}, extra, ${cols(null, 'externalId', 'vatNumber')}`;

function scopeSql(s: MatchScope): string {
  return `restricted_at IS NULL${s.includeArchived ? '' : ' AND archived_at IS NULL'}`;
}

/** What dedupe reads to find duplicates, and the "not the same" decisions. */
export class DedupeRepo {
  private readonly insertDecision;
  private readonly decisionPairs;
  private readonly restrictedCount;

  constructor(private readonly db: Db) {
    this.insertDecision = db.prepare(
      dialectOf(db).insertOrIgnore(`dedupe_decisions (uid_a, uid_b, decision, decided_at) VALUES (@a, @b, 'distinct', @at)`),
    );
    this.decisionPairs = db.prepare(`SELECT ca.id AS a, cb.id AS b FROM dedupe_decisions d
      JOIN customers ca ON ca.uid = d.uid_a JOIN customers cb ON cb.uid = d.uid_b WHERE d.decision = 'distinct'`);
    this.restrictedCount = db.prepare('SELECT count(*) AS n FROM customers WHERE restricted_at IS NOT NULL');
  }

  countForMatching(scope: MatchScope): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM customers WHERE ${scopeSql(scope)}`).get() as { n: number }).n;
  }

  /** Customers whose processing is restricted (RGPD art. 18): never matched, never merged. */
  countRestricted(): number {
    return (this.restrictedCount.get() as { n: number }).n;
  }

  /** The matching columns of every customer in scope, by ascending id, as raw arrays (no object per row). */
  iterateMatchRows(scope: MatchScope): IterableIterator<MatchRow> {
    return this.db
      .prepare(`SELECT ${MATCH_COLUMNS} FROM customers WHERE ${scopeSql(scope)} ORDER BY id`)
      .raw(true)
      .iterate() as IterableIterator<MatchRow>;
  }

  /** What a cluster listing shows of each member, for the ids asked (any number), streamed. */
  *memberSummaries(ids: readonly number[]): IterableIterator<MemberSummaryRow> {
    if (ids.length === 0) return;
    yield* this.db
      .prepare(`SELECT id, uid, ${cols(null, 'externalId', 'kind', 'firstName', 'lastName', 'companyName', 'email', 'phone', 'city')}
        FROM customers WHERE id IN ${dialectOf(this.db).jsonIds('?')} ORDER BY id`)
      .iterate(JSON.stringify(ids)) as IterableIterator<MemberSummaryRow>;
  }

  /** Pairs of customer ids a person said are different people. */
  distinctPairs(): { a: number; b: number }[] {
    return this.decisionPairs.all() as { a: number; b: number }[];
  }

  /** Remembers that two customers are different people (uids in order, as the table requires). */
  addDistinct(uidA: string, uidB: string, at: string): boolean {
    const [a, b] = uidA < uidB ? [uidA, uidB] : [uidB, uidA];
    return this.insertDecision.run({ a, b, at }).changes > 0;
  }
}
