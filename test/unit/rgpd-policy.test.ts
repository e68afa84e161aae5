import { expect, it } from 'vitest';
import { UsageError, ValidationError } from '../../src/core/errors.js';
import { cutoffDay, dayAfter, parseDuration } from '../../src/core/rgpd/duration.js';
import { readPolicy, setPolicy, showPolicy } from '../../src/core/rgpd/policy.js';
import { memoryCtx } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';

forEachEngine('rgpd durations', (engine) => {
  it('reads the ways people write a period', () => {
    expect(parseDuration('3y', 'x')).toEqual({ amount: 3, unit: 'y' });
    expect(parseDuration('18 mois', 'x')).toEqual({ amount: 18, unit: 'm' });
    expect(parseDuration(' 90D ', 'x')).toEqual({ amount: 90, unit: 'd' });
    expect(parseDuration('10 ans', 'x')).toEqual({ amount: 10, unit: 'y' });
    expect(parseDuration('2 semaines', 'x')).toEqual({ amount: 2, unit: 'w' });
    for (const bad of ['', '3', 'y', '3 lightyears', '-3y', '0d', '1.5y', '200y']) expect(() => parseDuration(bad, 'x'), bad).toThrow(ValidationError);
  });

  it('counts in calendar days, clamped at month ends', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    expect(cutoffDay(now, { amount: 3, unit: 'y' })).toBe('2023-11-23');
    expect(cutoffDay(now, { amount: 18, unit: 'm' })).toBe('2025-05-23');
    expect(cutoffDay(now, { amount: 90, unit: 'd' })).toBe('2026-08-25');
    expect(cutoffDay(new Date('2024-02-29T00:00:00Z'), { amount: 1, unit: 'y' })).toBe('2023-02-28');
    expect(dayAfter('2024-03-01', { amount: 10, unit: 'y' })).toBe('2034-03-01');
    expect(dayAfter('2023-11-22T10:00:00.000Z', { amount: 3, unit: 'y' })).toBe('2026-11-22');
  });
});

forEachEngine('rgpd policy', (engine) => {
  it('has the CNIL defaults', () => {
    const ctx = memoryCtx(engine);
    expect(readPolicy(ctx)).toEqual({
      prospect: { amount: 3, unit: 'y' },
      clientMarketing: { amount: 3, unit: 'y' },
      invoices: { amount: 10, unit: 'y' },
      inactiveAnonymise: null,
      rejects: { amount: 30, unit: 'd' },
      controller: null,
    });
    expect(showPolicy(ctx).every((e) => e.isDefault)).toBe(true);
  });

  it('validates keys and values, stores canonical values, warns when leaving the law, audits', () => {
    const ctx = memoryCtx(engine);
    expect(setPolicy(ctx, 'prospect', '36 mois')).toMatchObject({ value: '36m', previous: '3y', warnings: [] });
    expect(setPolicy(ctx, 'client_marketing', '4y').warnings[0]).toMatch(/longer than the 3 years/);
    expect(setPolicy(ctx, 'invoices', '6y').warnings[0]).toMatch(/shorter than the 10 years/);
    expect(setPolicy(ctx, 'inactive-anonymize', 'OFF').value).toBe('off');
    expect(setPolicy(ctx, 'inactive-anonymise', '5y').value).toBe('5y');
    expect(setPolicy(ctx, 'controller', '  Élodie  Meyer EI,  Lyon ').value).toBe('Élodie Meyer EI, Lyon');
    expect(() => setPolicy(ctx, 'retention', '3y')).toThrow(UsageError);
    expect(() => setPolicy(ctx, 'prospect', 'soon')).toThrow(ValidationError);
    expect(() => setPolicy(ctx, 'inactive-anonymise', 'maybe')).toThrow(/neither a duration nor off/);
    expect(readPolicy(ctx)).toMatchObject({ prospect: { amount: 36, unit: 'm' }, inactiveAnonymise: { amount: 5, unit: 'y' }, controller: 'Élodie Meyer EI, Lyon' });
    expect(setPolicy(ctx, 'invoices', 'default').value).toBe('10y');
    expect(showPolicy(ctx).find((e) => e.key === 'invoices')?.isDefault).toBe(true);
    expect(ctx.store.audit.list({ action: 'rgpd.policy' })).toHaveLength(7);
  });
});
