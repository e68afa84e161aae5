/**
 * Finding duplicates: read the customers into a match table, generate
 * candidate pairs by blocking, compare each pair field by field, estimate
 * the Fellegi–Sunter model from those comparisons (EM), score the pairs and
 * group the likely ones into clusters.
 */
import type { Ctx } from '../context.js';
import { UsageError } from '../errors.js';
import { displayNameOfRecord } from '../customers/display.js';
import { DedupeRepo } from '../../db/repositories/dedupe.js';
import { candidatePairs, PAIR_BASE, pairCode, sparePairs, type BlockingStats } from './blocking.js';
import { collectGarbage } from './memory.js';
import { clusterEdges, pairsToExplain, type ScoredEdge } from './cluster.js';
import { comparePair, F_ADDRESS, F_BIRTH, F_FIRST, F_LAST, F_LOCATION, fieldsFor } from './compare.js';
import { estimateModel, levelOf, patternOf, probabilityOf, type LinkageModel } from './model.js';
import { Scorer, type FieldContribution } from './scorer.js';
import { MatchTable } from './table.js';
import { listIdentifiers } from './identifiers.js';
import { KEY } from '../fields/catalogue.js';

/** Chosen on the benchmarks (FEBRL, splink, generated French files) as the best common value; see bench/dedupe-accuracy.js. */
export const DEFAULT_THRESHOLD = 0.9;
const RANDOM_PAIRS = 50_000;
const LAST_DIFFERENT = 4;
const SPARE_DIFFERENT_NAME_CAP = 0.3;

export function dedupeRepo(ctx: Ctx): DedupeRepo {
  return ctx.store.extension('dedupe', (db) => new DedupeRepo(db));
}

export interface FindOptions {
  threshold?: number;
  includeArchived?: boolean;
  /** Per pair, each field's contribution (costs a little more). */
  explain?: boolean;
  /** Progress for a person at a terminal: phase name and share done. */
  onPhase?: (phase: string) => void;
}

export interface ClusterMember {
  id: number;
  uid: string;
  [KEY.externalId]: string | null;
  display_name: string;
  email: string | null;
  phone: string | null;
  city: string | null;
}

export interface PairExplanation {
  a: number;
  b: number;
  score: number;
  prior: number;
  fields: FieldContribution[];
}

export interface DuplicateCluster {
  score: number;
  members: ClusterMember[];
  pairs?: PairExplanation[];
}

export interface FindResult {
  clusters: DuplicateCluster[];
  threshold: number;
  considered: number;
  /** Customers left out because their processing is restricted (RGPD art. 18). */
  restricted: number;
  candidatePairs: number;
  model: LinkageModel;
  blocking: BlockingStats[];
  seconds: number;
}

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export function checkThreshold(t: number | undefined): number {
  const v = t ?? DEFAULT_THRESHOLD;
  if (!Number.isFinite(v) || v <= 0 || v >= 1) throw new UsageError(`--threshold must be between 0 and 1 (exclusive), not ${t}`, `the default is ${DEFAULT_THRESHOLD}`);
  return v;
}

/** Reads the customers in scope into a match table. */
export function loadTable(ctx: Ctx, includeArchived: boolean): MatchTable {
  const repo = dedupeRepo(ctx);
  const scope = { includeArchived };
  const table = new MatchTable(repo.countForMatching(scope), listIdentifiers(ctx));
  for (const row of repo.iterateMatchRows(scope)) table.add(row);
  table.seal();
  return table;
}

/** The model estimated on a table and the scored candidate pairs above `keep`. */
export function scoreTable(t: MatchTable, keep: number, stats: BlockingStats[] = []): { scorer: Scorer; edges: ScoredEdge[]; pairs: number } {
  const specs = fieldsFor(t);
  const F = specs.length;
  const keyed = candidatePairs(t, stats);
  const spare = sparePairs(t, keyed, stats);
  const pairs = spare.length === 0 ? keyed : Float64Array.from([...keyed, ...spare]);
  const levels = new Uint8Array(F);
  const patterns = new Float64Array(pairs.length);
  const swapped = new Uint8Array(pairs.length);
  const counts = new Map<number, number>();
  for (let k = 0; k < pairs.length; k++) {
    const code = pairs[k] ?? 0;
    const a = Math.floor(code / PAIR_BASE);
    const b = code - a * PAIR_BASE;
    swapped[k] = comparePair(t, a, b, levels);
    const p = patternOf(levels, F);
    patterns[k] = p;
    // The model is estimated on the keyed pairs only (see sparePairs).
    if (k < keyed.length) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  const uRandom = specs.map((s) => new Array<number>(s.levels.length + 1).fill(0));
  const rand = mulberry32(0x5eed);
  const samples = t.n < 2 ? 0 : Math.min(RANDOM_PAIRS, (t.n * (t.n - 1)) / 2);
  for (let k = 0; k < samples; k++) {
    const a = Math.floor(rand() * t.n);
    let b = Math.floor(rand() * (t.n - 1));
    if (b >= a) b++;
    comparePair(t, a, b, levels);
    for (let f = 0; f < F; f++) {
      const row = uRandom[f];
      const l = levels[f] ?? 0;
      if (row) row[l] = (row[l] ?? 0) + 1;
    }
  }
  const model = estimateModel(specs, counts, uRandom);
  const scorer = new Scorer(t, specs, model);
  const edges: ScoredEdge[] = [];
  for (let k = 0; k < pairs.length; k++) {
    const code = pairs[k] ?? 0;
    const a = Math.floor(code / PAIR_BASE);
    const b = code - a * PAIR_BASE;
    let p = probabilityOf(scorer.bitsOf(patterns[k] ?? 0, a, b, swapped[k] ?? 0));
    // A spare pair (see sparePairs) whose family names differ outright is not taken on the model's word:
    // the keys seldom pair such records, so EM learns little about them.
    // Unless the rest says one person at one place: the same (or a close) address in the same postcode, town or area, and the same
    // birth date or first name (Rmid Bbai / Shai Reid, Jade Klarge / Jade Clarke: a surname mistyped past recognition).
    if (k >= keyed.length && levelOf(patterns[k] ?? 0, F_LAST) === LAST_DIFFERENT && !onePersonOnePlace(patterns[k] ?? 0)) p = Math.min(p, SPARE_DIFFERENT_NAME_CAP);
    if (p >= keep) edges.push({ a, b, p });
  }
  return { scorer, edges, pairs: pairs.length };
}

/** Same or close address, in the same postcode, town or area, and the same birth date or first name (levels of compare.ts). */
function onePersonOnePlace(pattern: number): boolean {
  const address = levelOf(pattern, F_ADDRESS);
  const location = levelOf(pattern, F_LOCATION);
  return address >= 1 && address <= 2 && location >= 1 && location <= 3 && (levelOf(pattern, F_BIRTH) === 1 || levelOf(pattern, F_FIRST) === 1);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

interface Detected {
  groups: { ids: number[]; score: number; pairs?: PairExplanation[] }[];
  considered: number;
  candidatePairs: number;
  model: LinkageModel;
  blocking: BlockingStats[];
}

/**
 * Everything that needs the match table, in its own function so that the
 * table (the bulk of the memory) can be freed before the results are read
 * back and printed.
 */
function detect(ctx: Ctx, opts: FindOptions, threshold: number): Detected {
  const repo = dedupeRepo(ctx);
  opts.onPhase?.('reading customers');
  const t = loadTable(ctx, opts.includeArchived ?? false);
  // Reading a million rows leaves a million rows of strings behind, and scoring arrays of pairs:
  // collected before the next phase adds its own, the peak is the table plus one phase, not all.
  const big = t.n > 200_000;
  if (big) collectGarbage();
  opts.onPhase?.('comparing candidate pairs');
  const blocking: BlockingStats[] = [];
  const { scorer, edges, pairs } = scoreTable(t, Math.min(threshold, 0.5), blocking);
  if (big) collectGarbage();
  const cannotLink = new Set<number>();
  for (const d of repo.distinctPairs()) {
    const a = t.indexOf(d.a);
    const b = t.indexOf(d.b);
    if (a >= 0 && b >= 0) cannotLink.add(pairCode(a, b));
  }
  opts.onPhase?.('grouping');
  const raw = clusterEdges(edges, { threshold, cannotLink, probability: (a, b) => scorer.probability(a, b) });
  raw.sort((x, y) => y.score - x.score || (x.members[0] ?? 0) - (y.members[0] ?? 0));
  const groups = raw.map((c) => {
    const g: Detected['groups'][number] = { ids: c.members.map((i) => t.ids[i] ?? 0), score: round(c.score) };
    if (opts.explain) {
      g.pairs = pairsToExplain(c.members, (a, b) => scorer.probability(a, b)).map(([a, b]) => {
        const e = scorer.explain(a, b);
        return { a: t.ids[a] ?? 0, b: t.ids[b] ?? 0, score: round(e.probability), prior: round(e.priorBits), fields: e.fields };
      });
    }
    return g;
  });
  return { groups, considered: t.n, candidatePairs: pairs, model: scorer.model, blocking };
}

export function findDuplicates(ctx: Ctx, opts: FindOptions = {}): FindResult {
  const started = Date.now();
  const threshold = checkThreshold(opts.threshold);
  const repo = dedupeRepo(ctx);
  const found = detect(ctx, opts, threshold);
  // The match table is garbage now; on a big file, free it before the results are read back.
  if (found.considered > 200_000) collectGarbage();
  const byId = new Map<number, ClusterMember>();
  for (const r of repo.memberSummaries(found.groups.flatMap((g) => g.ids))) {
    byId.set(r.id, {
      id: r.id,
      uid: r.uid,
      [KEY.externalId]: r[KEY.externalId],
      display_name: displayNameOfRecord(r),
      email: r.email,
      phone: r.phone,
      city: r.city,
    });
  }
  const clusters: DuplicateCluster[] = [];
  for (const g of found.groups) {
    const members = g.ids.map((id) => byId.get(id)).filter((m): m is ClusterMember => m !== undefined);
    if (members.length < 2) continue;
    clusters.push(g.pairs ? { score: g.score, members, pairs: g.pairs } : { score: g.score, members });
  }
  return {
    clusters,
    threshold,
    considered: found.considered,
    restricted: repo.countRestricted(),
    candidatePairs: found.candidatePairs,
    model: found.model,
    blocking: found.blocking,
    seconds: (Date.now() - started) / 1000,
  };
}
