import { describe, expect, it } from 'vitest';
import { cellMemo, ownCopy } from '../../src/core/import/cell-memo.js';
import { CustomerRowBuilder } from '../../src/core/import/row.js';
import { buildMapping } from '../../src/core/import/mapping.js';

describe('cellMemo', () => {
  it('reads each distinct cell once and gives every row the same result', () => {
    let calls = 0;
    const read = cellMemo((raw: string) => {
      calls++;
      return raw === '?' ? undefined : raw.toUpperCase();
    });
    expect([read('a'), read('a'), read('?'), read('?'), read('b')]).toEqual(['A', 'A', undefined, undefined, 'B']);
    expect(calls).toBe(3);
  });

  it('never memoises a reader that throws: every row with the value throws (and is warned about)', () => {
    let calls = 0;
    const read = cellMemo((raw: string) => {
      calls++;
      if (raw === 'bad') throw new Error('bad');
      return raw;
    });
    expect(() => read('bad')).toThrow('bad');
    expect(() => read('bad')).toThrow('bad');
    expect(calls).toBe(2);
  });

  it('stays bounded', () => {
    let calls = 0;
    const read = cellMemo((raw: string) => (calls++, raw), 2);
    for (const s of ['a', 'b', 'c', 'a']) read(s);
    expect(calls).toBe(4);
    expect(ownCopy('Élodie')).toBe('Élodie');
  });

  it('rows sharing consent, category and date cells each get their own warnings', () => {
    const plan = buildMapping(['Nom', 'Newsletter', 'Catégories', 'Date de création']).plan;
    const b = new CustomerRowBuilder(plan, { key: 'auto', source: null, categories: [], defaultCountry: null });
    const rows = [0, 1].map(() => b.build(['Dupont', 'peut-être', 'VIP; Pro', 'hier soir']));
    for (const r of rows) {
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.row.categories).toEqual(['VIP', 'Pro']);
      expect(r.row.warnings.map((w) => w.field).sort()).toEqual(['consent', 'created_at']);
    }
  });
});
