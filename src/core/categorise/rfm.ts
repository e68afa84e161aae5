/**
 * RFM segmentation: recency, frequency and monetary scores from 1 to 5, and
 * named segments from the classic R × F segment map, with F replaced by FM
 * (the mean of F and M, rounded half up) so that one large invoice weighs like
 * several small ones, and with "lost" split off hibernating for R1 FM1.
 *
 *   FM →      1              2               3               4            5
 *   R 5   new            potential-loy.  potential-loy.  champions    champions
 *   R 4   promising      potential-loy.  potential-loy.  loyal        loyal
 *   R 3   about-to-sleep about-to-sleep  need-attention  loyal        loyal
 *   R 2   hibernating    hibernating     at-risk         at-risk      cannot-lose
 *   R 1   lost           hibernating     at-risk         at-risk      cannot-lose
 *
 * Who is scored: customers with at least one purchase (an order or invoice not
 * cancelled, drafted or refused), neither archived nor restricted.
 * - R: date of the last purchase (more recent, higher).
 * - F: number of purchases.
 * - M: invoiced revenue (invoices and credit notes), the filter's `revenue`.
 * Each score is the quintile of the customer's rank among the n scored
 * customers: 1 + ⌊5 × (rank − 1) / n⌋, where rank counts the customers with a
 * strictly lower value, plus one — so equal customers get equal scores, and the
 * many customers with one purchase all get F = 1.
 */

export type RfmSegmentKey =
  | 'champions'
  | 'loyal'
  | 'potential-loyalist'
  | 'new'
  | 'promising'
  | 'need-attention'
  | 'about-to-sleep'
  | 'at-risk'
  | 'cannot-lose'
  | 'hibernating'
  | 'lost';

export interface RfmSegment {
  key: RfmSegmentKey;
  /** The category name: `rfm:` + key. */
  category: string;
  description: string;
}

/** Category names of the segments start with this; people may not create categories with it. */
export const RFM_PREFIX = 'rfm:';

const SEGMENTS: [RfmSegmentKey, string][] = [
  ['champions', 'bought recently, often and for much: reward them, ask for referrals'],
  ['loyal', 'buy regularly and well: keep them close'],
  ['potential-loyalist', 'recent clients with average frequency or spend: grow them'],
  ['new', 'bought very recently for the first time, little so far: welcome them'],
  ['promising', 'recent, small buyers: make them come back'],
  ['need-attention', 'average recency, frequency and spend: re-engage them'],
  ['about-to-sleep', 'not bought for a while, little so far: remind them'],
  ['at-risk', 'used to buy well, not for a long time: call them'],
  ['cannot-lose', 'big clients who stopped buying: win them back first'],
  ['hibernating', 'long gone, little spent: low priority'],
  ['lost', 'longest gone, least spent: lowest priority'],
];

/** Every segment, in the order stats show them (best first). */
export const RFM_SEGMENTS: readonly RfmSegment[] = SEGMENTS.map(([key, description]) => ({ key, category: RFM_PREFIX + key, description }));

/** GRID[r - 1][fm - 1]. */
const GRID: readonly (readonly RfmSegmentKey[])[] = [
  ['lost', 'hibernating', 'at-risk', 'at-risk', 'cannot-lose'],
  ['hibernating', 'hibernating', 'at-risk', 'at-risk', 'cannot-lose'],
  ['about-to-sleep', 'about-to-sleep', 'need-attention', 'loyal', 'loyal'],
  ['promising', 'potential-loyalist', 'potential-loyalist', 'loyal', 'loyal'],
  ['new', 'potential-loyalist', 'potential-loyalist', 'champions', 'champions'],
];

function checkScore(name: string, s: number): void {
  if (!Number.isInteger(s) || s < 1 || s > 5) throw new RangeError(`${name} score must be 1 to 5, not ${s}`);
}

/** The FM score: the mean of F and M, rounded half up. */
export function fmScore(f: number, m: number): number {
  checkScore('F', f);
  checkScore('M', m);
  return Math.floor((f + m + 1) / 2);
}

export function rfmSegment(r: number, f: number, m: number): RfmSegmentKey {
  checkScore('R', r);
  const key = GRID[r - 1]?.[fmScore(f, m) - 1];
  if (key === undefined) throw new RangeError('RFM grid');
  return key;
}

/** The quintile score of a rank among n (rank 1 = lowest value; ties share the lowest rank). */
export function quintileScore(rank: number, n: number): number {
  if (!Number.isInteger(rank) || !Number.isInteger(n) || rank < 1 || rank > n) throw new RangeError(`rank ${rank} of ${n}`);
  return 1 + Math.floor((5 * (rank - 1)) / n);
}

/**
 * The four quintile boundaries of values sorted ascending: the value at
 * position ⌈k·n/5⌉ (1-based) for k = 1…4. A value's score is 1 plus the number
 * of boundaries it exceeds — the same as quintileScore() of its rank, computed
 * with one sort instead of a rank per customer.
 */
export function quintileBounds(sortedAsc: ArrayLike<number>): number[] {
  return quintilePositions(sortedAsc.length).map((p) => sortedAsc[p - 1] ?? Number.POSITIVE_INFINITY);
}

/** The 1-based positions ⌈k·n/5⌉, k = 1…4, of the quintile boundaries among n values sorted ascending (none when n is 0). */
export function quintilePositions(n: number): number[] {
  return n === 0 ? [] : [1, 2, 3, 4].map((k) => Math.floor((k * n + 4) / 5));
}

/** The letter that stands for a segment in RFM_CELLS: 'a' + its index in RFM_SEGMENTS. */
export function segmentLetter(key: RfmSegmentKey): string {
  return String.fromCharCode(97 + RFM_SEGMENTS.findIndex((s) => s.key === key));
}

/**
 * The segment of every (R, F, M) cell as one letter (segmentLetter), the
 * cell's at index 25·(R−1) + 5·(F−1) + (M−1): what a store needs to segment
 * customers itself, by a lookup, once it has their three scores.
 */
export const RFM_CELLS: string = Array.from({ length: 125 }, (_, i) => segmentLetter(rfmSegment(1 + Math.floor(i / 25), 1 + (Math.floor(i / 5) % 5), 1 + (i % 5)))).join('');

export function scoreAgainst(value: number, bounds: readonly number[]): number {
  let score = 1;
  for (const b of bounds) if (value > b) score++;
  return score;
}

/** Scored customers' raw values, one array per value aligned by index: last purchase (yyyymmdd, any increasing number), purchases, revenue. */
export interface RfmColumns {
  ids: ArrayLike<number>;
  last: ArrayLike<number>;
  orders: ArrayLike<number>;
  revenueCents: ArrayLike<number>;
}

export interface RfmScored {
  id: number;
  r: number;
  f: number;
  m: number;
  segment: RfmSegmentKey;
}

function boundsOf(values: ArrayLike<number>): number[] {
  return quintileBounds(Float64Array.from(values).sort());
}

/**
 * Scores and segments of every scored customer, in input order. A run of
 * categorise has the store do the same with quintilePositions and RFM_CELLS,
 * so that no buyer leaves it; this is that computation in memory, against
 * which the store's is tested (test/unit/categorise-rfm-store.test.ts).
 */
export function scoreCustomers(v: RfmColumns): RfmScored[] {
  const rb = boundsOf(v.last);
  const fb = boundsOf(v.orders);
  const mb = boundsOf(v.revenueCents);
  return Array.from(v.ids, (id, i) => {
    const r = scoreAgainst(v.last[i] ?? 0, rb);
    const f = scoreAgainst(v.orders[i] ?? 0, fb);
    const m = scoreAgainst(v.revenueCents[i] ?? 0, mb);
    return { id, r, f, m, segment: rfmSegment(r, f, m) };
  });
}
