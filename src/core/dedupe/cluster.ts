/**
 * Pairs above the threshold into groups, without chaining: A~B and B~C do
 * not put A with C unless A and C themselves look alike. Edges are taken
 * from the most to the least likely; two groups join only when, over every
 * cross pair (scored now if blocking never paired them), the average
 * probability is at least AVERAGE_MIN and none is below FLOOR (strong
 * evidence of two people), and no pair was marked "not the same".
 */
import { pairCode } from './blocking.js';

/** Average cross-pair probability two groups need to join. */
const AVERAGE_MIN = Number(process.env.DD_AVG ?? 0.5);
/**
 * Below this, a cross pair vetoes the join: the model is confident they
 * differ. A first name that differs alone, with everything a household
 * shares discounted (two slips in a record without a birth date: Robbid /
 * Obby at one address), scores about the prior less 5 bits, 0.02 on FEBRL-like
 * files: no evidence of two people, so it must not veto what the other
 * records of the cluster say; a different birth date or e-mail, or two
 * names differing, goes below. (0.05 split 3–6-record entities: FEBRL-like
 * tuning half F1 0.9926 -> 0.9956, splink 0.9891 -> 0.9951.) On small files
 * the scorer keeps such a pair just above this floor (NO_VETO_BITS in
 * scorer.ts) whatever weight EM gives the first name that differs.
 */
export const FLOOR = Number(process.env.DD_FLOOR ?? 0.01);
const MAX_SIZE = 100;

export interface ScoredEdge {
  a: number;
  b: number;
  p: number;
}

export interface RawCluster {
  members: number[];
  /** Mean probability over every pair of members. */
  score: number;
}

export interface ClusterOptions {
  threshold: number;
  probability: (a: number, b: number) => number;
  /** Pair codes a person said are different people. */
  cannotLink: Set<number>;
}

export function clusterEdges(edges: ScoredEdge[], opts: ClusterOptions): RawCluster[] {
  const known = new Map<number, number>();
  for (const e of edges) known.set(pairCode(e.a, e.b), e.p);
  const prob = (a: number, b: number): number => {
    const code = pairCode(a, b);
    if (opts.cannotLink.has(code)) return 0;
    let p = known.get(code);
    if (p === undefined) {
      p = opts.probability(a, b);
      known.set(code, p);
    }
    return p;
  };
  const groupOf = new Map<number, number[]>();
  const sorted = edges.filter((e) => e.p >= opts.threshold).sort((x, y) => y.p - x.p || x.a - y.a || x.b - y.b);
  for (const e of sorted) {
    const ga = groupOf.get(e.a) ?? [e.a];
    const gb = groupOf.get(e.b) ?? [e.b];
    if (ga === gb || ga.length + gb.length > MAX_SIZE) continue;
    if (!canJoin(ga, gb, prob)) continue;
    const joined = ga.length >= gb.length ? ga : gb;
    const other = joined === ga ? gb : ga;
    for (const m of other) joined.push(m);
    for (const m of joined) groupOf.set(m, joined);
  }
  const seen = new Set<number[]>();
  const out: RawCluster[] = [];
  for (const g of groupOf.values()) {
    if (seen.has(g) || g.length < 2) continue;
    seen.add(g);
    g.sort((x, y) => x - y);
    let sum = 0;
    let n = 0;
    for (let i = 0; i < g.length; i++) {
      for (let j = i + 1; j < g.length; j++) {
        sum += prob(g[i] ?? 0, g[j] ?? 0);
        n++;
      }
    }
    out.push({ members: g, score: sum / n });
  }
  return out;
}

function canJoin(ga: number[], gb: number[], prob: (a: number, b: number) => number): boolean {
  let sum = 0;
  let n = 0;
  for (const a of ga) {
    for (const b of gb) {
      const p = prob(a, b);
      if (p < FLOOR) return false;
      sum += p;
      n++;
    }
  }
  return sum / n >= AVERAGE_MIN;
}

/**
 * Clusters up to this size explain every pair (45); a bigger one explains
 * the links that hold it together: all pairs of a hundred-member cluster
 * are 4,950, and two thousand such clusters ran `--explain` out of memory.
 */
export const EXPLAIN_ALL_MAX = 10;

/**
 * The pairs of a cluster to explain: all of them in a small cluster;
 * otherwise a maximum spanning tree of its pair probabilities (Prim's, n²
 * probabilities): each member's strongest link to the rest, n − 1 pairs.
 */
export function pairsToExplain(members: readonly number[], probability: (a: number, b: number) => number): [number, number][] {
  const n = members.length;
  const at = (k: number): number => members[k] ?? 0;
  if (n <= EXPLAIN_ALL_MAX) return members.flatMap((a, i) => members.slice(i + 1).map((b): [number, number] => [a, b]));
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(-1);
  const via = new Int32Array(n).fill(0);
  const links: [number, number][] = [];
  let next = 0;
  for (let step = 0; step < n; step++) {
    inTree[next] = 1;
    if (step > 0) links.push([at(via[next] ?? 0), at(next)]);
    let pick = -1;
    for (let k = 0; k < n; k++) {
      if (inTree[k]) continue;
      const p = probability(at(next), at(k));
      if (p > (best[k] ?? -1)) {
        best[k] = p;
        via[k] = next;
      }
      if (pick < 0 || (best[k] ?? -1) > (best[pick] ?? -1)) pick = k;
    }
    if (pick < 0) break;
    next = pick;
  }
  return links;
}
