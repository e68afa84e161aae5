import { describe, expect, it } from 'vitest';
import {
  diffSorted,
  fmScore,
  orderRules,
  parseRule,
  quintileBounds,
  quintileScore,
  revenueStructure,
  rfmSegment,
  scoreAgainst,
  scoreCustomers,
} from '../../src/core/categorise/index.js';
import type { Category } from '../../src/core/model.js';
import { FilterSyntaxError } from '../../src/core/filter/index.js';

const cat = (id: number, name: string, rule: string): Category => ({ id, name, description: null, kind: 'rule', rule, createdAt: '2026-01-01T00:00:00.000Z' });

describe('RFM scores and segments', () => {
  it('scores a rank by quintile, ties sharing the lowest rank', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((r) => quintileScore(r, 7))).toEqual([1, 1, 2, 3, 3, 4, 5]);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((r) => quintileScore(r, 10))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(quintileScore(1, 1)).toBe(1);
    expect(() => quintileScore(0, 3)).toThrow(RangeError);
  });

  it('the quintile bounds give the same score as the rank of every value', () => {
    // Deterministic pseudo-random values with many ties.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 13;
    for (const n of [1, 2, 3, 5, 7, 10, 11, 50, 99]) {
      const values = Array.from({ length: n }, next);
      const sorted = Float64Array.from(values).sort();
      const bounds = quintileBounds(sorted);
      for (const v of values) {
        const rank = values.filter((x) => x < v).length + 1;
        expect(scoreAgainst(v, bounds), `n=${n} v=${v}`).toBe(quintileScore(rank, n));
      }
    }
  });

  it('maps (R, FM) to the documented grid', () => {
    expect(fmScore(5, 4)).toBe(5);
    expect(fmScore(1, 2)).toBe(2);
    expect(fmScore(4, 1)).toBe(3);
    expect(rfmSegment(5, 5, 5)).toBe('champions');
    expect(rfmSegment(5, 1, 1)).toBe('new');
    expect(rfmSegment(4, 1, 1)).toBe('promising');
    expect(rfmSegment(3, 3, 3)).toBe('need-attention');
    expect(rfmSegment(3, 4, 5)).toBe('loyal');
    expect(rfmSegment(2, 5, 5)).toBe('cannot-lose');
    expect(rfmSegment(1, 3, 3)).toBe('at-risk');
    expect(rfmSegment(2, 1, 2)).toBe('hibernating');
    expect(rfmSegment(1, 1, 1)).toBe('lost');
    expect(() => rfmSegment(6, 1, 1)).toThrow(RangeError);
  });

  it('scores customers from raw values', () => {
    const scored = scoreCustomers({
      ids: [1, 2, 3],
      last: [20230301, 20261001, 20260901],
      orders: [1, 2, 3],
      revenueCents: [1_200_000, 60_000, 750_000],
    });
    // n = 3: bounds at positions ⌈3k/5⌉ = 1, 2, 2, 3.
    expect(scored.map((s) => [s.id, s.r, s.f, s.m, s.segment])).toEqual([
      [1, 1, 1, 4, 'at-risk'],
      [2, 4, 2, 1, 'potential-loyalist'],
      [3, 2, 4, 2, 'at-risk'],
    ]);
  });
});

describe('membership diffs', () => {
  it('adds and removes only the difference, never touching frozen customers', () => {
    expect(diffSorted([1, 3, 5, 7], [2, 3, 7, 8], new Set())).toEqual({ add: [2, 8], remove: [1, 5] });
    expect(diffSorted([1, 3, 5], [3], new Set([5]))).toEqual({ add: [], remove: [1] });
    expect(diffSorted([], [4, 9], new Set([9]))).toEqual({ add: [4], remove: [] });
    expect(diffSorted([2, 4], [2, 4], new Set())).toEqual({ add: [], remove: [] });
  });
});

describe('rules', () => {
  it('orders rules so that a rule reading another category comes after it', () => {
    const a = parseRule(cat(1, 'Lyon', 'department = "69"'), 'department = "69"', false);
    const b = parseRule(cat(2, 'Lyonnais solides', 'category "lyon" and revenue >= 1000'), 'category "lyon" and revenue >= 1000', false);
    const c = parseRule(cat(3, 'Tagués', 'category is not empty'), 'category is not empty', false);
    expect(orderRules([c, b, a]).map((r) => r.category.name)).toEqual(['Lyon', 'Lyonnais solides', 'Tagués']);
    expect(b.reads).toEqual(['lyon']);
    expect(c.readsAll).toBe(true);
  });

  it('refuses cycles and self-reference with exit 2', () => {
    const a = parseRule(cat(1, 'A', 'category "B"'), 'category "B"', false);
    const b = parseRule(cat(2, 'B', 'category "A"'), 'category "A"', false);
    expect(() => orderRules([a, b])).toThrow(/depend on each other: A → B → A|B → A → B/);
    expect(() => parseRule(cat(3, 'Élite', 'category "elite"'), 'category "elite"', false)).toThrow(/reads the category itself/);
  });

  it('a stored rule with a syntax error names its category and keeps the caret', () => {
    try {
      parseRule(cat(1, 'Gros', 'revenue >='), 'revenue >=', true);
      expect.unreachable();
    } catch (err) {
      expect((err as { exitCode: number }).exitCode).toBe(2);
      expect((err as Error).message).toMatch(/^the rule of category 'Gros' is broken: bad filter at column \d+: .*\n {2}revenue >=\n {2} +\^$/);
    }
    expect(() => parseRule(cat(1, 'Gros', 'revenue >='), 'revenue >=', false)).toThrow(FilterSyntaxError);
  });
});

describe('revenue structure', () => {
  it('counts the clients making 80 % and the bands', () => {
    const cents = [1_200_000, 750_000, 150_000, 90_000, 80_000, 60_000, 30_000];
    const s = revenueStructure(cents, { bigEuros: 10_000, mediumEuros: 1_000 });
    expect(s.concentration).toEqual({ total: 23_600, clients: 7, clientsFor80: 2, shareFor80: 2 / 7, top20Share: (1_200_000 + 750_000) / 2_360_000 });
    expect(s.bands.map((b) => [b.band, b.clients, b.revenue])).toEqual([
      ['big', 1, 12_000],
      ['medium', 2, 9_000],
      ['small', 4, 2_600],
    ]);
  });

  it('reaches exactly 80 % with the fewest clients, and has no concentration without revenue', () => {
    expect(revenueStructure([800, 100, 100], { bigEuros: 10, mediumEuros: 5 }).concentration?.clientsFor80).toBe(1);
    expect(revenueStructure([799, 101, 100], { bigEuros: 10, mediumEuros: 5 }).concentration?.clientsFor80).toBe(2);
    expect(revenueStructure([], { bigEuros: 10, mediumEuros: 5 }).concentration).toBeNull();
  });
});
