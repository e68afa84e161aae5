/**
 * The Fellegi–Sunter model: for each field and agreement level, m = P(level
 * | same person) and u = P(level | different people); a pair's evidence is
 * the sum of log2(m/u) over its fields plus the prior odds of a match.
 *
 * m, u and the prior are estimated from the file itself by EM over the
 * candidate pairs (grouped by their agreement pattern, so an iteration costs
 * the number of distinct patterns, not of pairs). u starts from random pairs
 * of the file; m starts from the priors in compare.ts, which also act as
 * pseudo-counts so that a file of twelve customers still gets sane weights.
 * Exact agreement on a value is then adjusted by that value's frequency (a
 * shared "Martin" says less than a shared "Kerhervé").
 */
import type { FieldSpec } from './compare.js';

export const LEVEL_BITS = 8;

export interface FieldWeights {
  name: string;
  levels: readonly string[];
  /** Index 0 unused (missing); 1…k as in FieldSpec.levels. */
  m: number[];
  u: number[];
  /** log2(m/u) per level, made monotone: more agreement never weighs less. */
  weight: number[];
}

export interface LinkageModel {
  fields: FieldWeights[];
  /** Share of candidate pairs that are matches. */
  lambda: number;
  priorBits: number;
  iterations: number;
  candidatePairs: number;
}

export function levelOf(pattern: number, f: number): number {
  return Math.floor(pattern / LEVEL_BITS ** f) % LEVEL_BITS;
}

export function patternOf(levels: Uint8Array, nFields: number): number {
  let p = 0;
  for (let f = nFields - 1; f >= 0; f--) p = p * LEVEL_BITS + (levels[f] ?? 0);
  return p;
}

const M_PSEUDO = 50;
const U_PSEUDO = 50;
const LAMBDA_PSEUDO = 20;
/** Random pairs of a small file are few and full of its duplicates: the prior u outweighs them until the file is large. */
const RANDOM_PSEUDO = 2000;
const MAX_ITERATIONS = 200;
const MAX_BITS = 20;
/** Candidate pairs a level must show before its own ratio is trusted. */
const MIN_OBSERVED = 3;

function normalised(values: readonly number[]): number[] {
  const s = values.reduce((a, b) => a + b, 0);
  return values.map((v) => v / s);
}

/**
 * EM over pattern counts. `uRandom[f][l]` counts levels among random pairs
 * (nearly all of them different people): the starting u and its prior.
 */
export function estimateModel(specs: readonly FieldSpec[], patterns: Map<number, number>, uRandom: number[][]): LinkageModel {
  const F = specs.length;
  const pats: { levels: number[]; count: number }[] = [];
  let total = 0;
  for (const [p, c] of patterns) {
    const levels: number[] = [];
    for (let f = 0; f < F; f++) levels.push(levelOf(p, f));
    pats.push({ levels, count: c });
    total += c;
  }
  const m0 = specs.map((s) => [0, ...normalised(s.m0)]);
  const u0 = specs.map((s, f) => {
    const counts = uRandom[f] ?? [];
    const k = s.levels.length;
    const prior = normalised(s.u0);
    const seen = counts.slice(1, k + 1).reduce((a, b) => a + b, 0);
    // The random sample, smoothed toward the prior so no level is ever 0.
    return [0, ...prior.map((p, l) => ((counts[l + 1] ?? 0) + RANDOM_PSEUDO * p) / (seen + RANDOM_PSEUDO))];
  });
  // u starts from the candidates themselves (most of them are different people), not from
  // random pairs: blocking makes candidates agree far more than random pairs do, and starting
  // from random u lets EM drift to a "same first name, same town" class instead of "same person".
  const candidateLevels = specs.map((sp) => new Array<number>(sp.levels.length + 1).fill(0));
  for (const { levels, count } of pats) levels.forEach((l, f) => l > 0 && ((candidateLevels[f] as number[])[l] = (candidateLevels[f]?.[l] ?? 0) + count));
  let m = m0.map((r) => [...r]);
  let u = candidateLevels.map((acc, f) => smooth(acc, u0[f] ?? [], U_PSEUDO));
  const uStart = u;
  let lambda = 0.1;
  let iterations = 0;
  let observed = specs.map((sp) => new Array<number>(sp.levels.length + 1).fill(0));
  if (total > 0) {
    for (; iterations < MAX_ITERATIONS; iterations++) {
      const accM = specs.map((s) => new Array<number>(s.levels.length + 1).fill(0));
      const accU = specs.map((s) => new Array<number>(s.levels.length + 1).fill(0));
      let sumW = 0;
      const logL = Math.log(lambda);
      const log1L = Math.log(1 - lambda);
      const logM = m.map((r) => r.map((v) => Math.log(v)));
      const logU = u.map((r) => r.map((v) => Math.log(v)));
      for (const { levels, count } of pats) {
        let lm = logL;
        let lu = log1L;
        for (let f = 0; f < F; f++) {
          const l = levels[f] ?? 0;
          if (l === 0) continue;
          lm += logM[f]?.[l] ?? 0;
          lu += logU[f]?.[l] ?? 0;
        }
        const w = posterior(lm - lu);
        sumW += count * w;
        for (let f = 0; f < F; f++) {
          const l = levels[f] ?? 0;
          if (l === 0) continue;
          (accM[f] as number[])[l] = (accM[f]?.[l] ?? 0) + count * w;
          (accU[f] as number[])[l] = (accU[f]?.[l] ?? 0) + count * (1 - w);
        }
      }
      observed = accM.map((acc, f) => acc.map((v, l) => v + (accU[f]?.[l] ?? 0)));
      const nextM = accM.map((acc, f) => smooth(acc, m0[f] ?? [], M_PSEUDO));
      const nextU = accU.map((acc, f) => smooth(acc, u0[f] ?? [], U_PSEUDO));
      const nextLambda = shareOfMatches(sumW, total);
      const delta = Math.abs(nextLambda - lambda) + maxDiff(nextM, m);
      m = nextM;
      u = nextU;
      lambda = nextLambda;
      if (delta < 1e-7) break;
    }
  }
  // EM can still settle on another split than same/different person. Then either agreement on a
  // name is likelier among "matches" than among others for no field, or some field's outright
  // difference is likelier among "matches". The second happened on a file of namesakes without a
  // single duplicate (80,000 customers drawn from a few hundred names in a few towns): candidates
  // came from two blockings, same name anywhere and same town; EM took the first for the matches,
  // made "different town" worth +10 bits and proposed 868 clusters of namesakes at 0.999 (2,958
  // at 200,000). Either way: back to the priors, cruder, never absurd.
  const sane = specs.some((_, f) => (m[f]?.[1] ?? 0) > (u[f]?.[1] ?? 0)) && [0, 1].every((f) => (m[f]?.[1] ?? 0) >= (u[f]?.[1] ?? 0) || total === 0)
    && specs.every((s, f) => differenceSane(s, m[f] ?? [], u[f] ?? [], observed[f] ?? []));
  if (!sane) {
    m = m0.map((r) => [...r]);
    // u as EM started it (the candidates' own levels), and the share of matches fitted to the
    // candidates under these m and u: random-pair u and a fixed share of 0.1 made every
    // namesake of one town a match (13,000 clusters in the file above, where there is none).
    u = uStart;
    lambda = total > 0 ? lambdaGiven(pats, m, u) : 0.1;
  }
  const fields = specs.map((s, f) => {
    const mf = m[f] ?? [];
    const uf = u[f] ?? [];
    const weight = [0];
    const k = s.levels.length;
    for (let l = 1; l <= k; l++) weight.push(clampBits(Math.log2((mf[l] ?? 1e-9) / (uf[l] ?? 1e-9))));
    // A level the candidates (almost) never show has no evidence of its own: it takes the
    // priors' ratio. Then monotone: a closer level never weighs less than a looser one.
    const prior = specs[f];
    for (let l = 1; l <= k; l++) {
      if (((observed[f]?.[l] ?? 0) < MIN_OBSERVED || prior?.fixed) && prior) weight[l] = clampBits(Math.log2((prior.m0[l - 1] ?? 1e-9) / (prior.u0[l - 1] ?? 1e-9)));
    }
    for (let l = k - 1; l >= 1; l--) if ((weight[l] ?? 0) < (weight[l + 1] ?? 0)) weight[l] = weight[l + 1] ?? 0;
    return { name: s.name, levels: s.levels, m: mf, u: uf, weight };
  });
  return { fields, lambda, priorBits: Math.log2(lambda / (1 - lambda)), iterations, candidatePairs: total };
}

/** P(match) of a pattern from its log odds (prior included), overflow-safe. */
function posterior(logOdds: number): number {
  return 1 / (1 + Math.exp(Math.max(-700, Math.min(700, -logOdds))));
}

/** EM's M-step for the share of matches: the expected matches over the pairs, smoothed toward 0.05 and kept off 0 and 1. */
function shareOfMatches(expectedMatches: number, pairs: number): number {
  return Math.min(0.999, Math.max(1e-6, (expectedMatches + LAMBDA_PSEUDO * 0.05) / (pairs + LAMBDA_PSEUDO)));
}

/** EM on the share of matches alone, m and u held fixed. */
function lambdaGiven(pats: readonly { levels: number[]; count: number }[], m: readonly number[][], u: readonly number[][]): number {
  const ratio = pats.map(({ levels }) => levels.reduce((acc, l, f) => (l === 0 ? acc : acc + Math.log(m[f]?.[l] ?? 1) - Math.log(u[f]?.[l] ?? 1)), 0));
  const total = pats.reduce((a, p) => a + p.count, 0);
  let lambda = 0.1;
  for (let k = 0; k < MAX_ITERATIONS; k++) {
    const prior = Math.log(lambda / (1 - lambda));
    let sumW = 0;
    pats.forEach((p, i) => (sumW += p.count * posterior(prior + (ratio[i] ?? 0))));
    const next = shareOfMatches(sumW, total);
    if (Math.abs(next - lambda) < 1e-9) return next;
    lambda = next;
  }
  return lambda;
}

/** A field's last level (its values differ outright), where the pairs show it, is no likelier among matches than among others. */
function differenceSane(spec: FieldSpec, m: readonly number[], u: readonly number[], observed: readonly number[]): boolean {
  const last = spec.levels.length;
  if (spec.fixed || (observed[last] ?? 0) < MIN_OBSERVED) return true;
  return (m[last] ?? 0) <= (u[last] ?? 0);
}

function smooth(acc: number[], prior: number[], pseudo: number): number[] {
  const mass = acc.reduce((a, b) => a + b, 0);
  return acc.map((v, l) => (l === 0 ? 0 : (v + pseudo * (prior[l] ?? 0)) / (mass + pseudo)));
}

function maxDiff(a: number[][], b: number[][]): number {
  let d = 0;
  a.forEach((r, f) => r.forEach((v, l) => (d = Math.max(d, Math.abs(v - (b[f]?.[l] ?? 0))))));
  return d;
}

function clampBits(x: number): number {
  return Number.isFinite(x) ? Math.max(-MAX_BITS, Math.min(MAX_BITS, x)) : x > 0 ? MAX_BITS : -MAX_BITS;
}

export function probabilityOf(bits: number): number {
  return 1 / (1 + 2 ** -bits);
}
