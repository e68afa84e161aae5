import { describe, expect, it } from 'vitest';
import { bar, barStyle, chart, renderBars } from '../../src/cli/bars.js';
import { textWidth } from '../../src/cli/output.js';

const bars = [
  { label: 'client', value: 8, note: '8 (57 %)' },
  { label: 'prospect', value: 3, note: '3 (21 %)' },
  { label: 'ancien client très fidèle de longue date', value: 1, note: '1 (7 %)' },
  { label: 'none', value: 0, note: '0 (0 %)' },
];

describe('terminal bar charts', () => {
  it('draws Unicode blocks with eighths, scaled to the largest value', () => {
    expect(bar(3, true)).toBe('███');
    expect(bar(2.5, true)).toBe('██▌');
    expect(bar(0.01, true)).toBe('▏'); // anything above zero shows
    expect(bar(0, true)).toBe('');
    expect(bar(2.4, false)).toBe('##');
    expect(bar(0.2, false)).toBe('#');
  });

  it('fits every line in the width, labels clipped, notes aligned', () => {
    for (const width of [40, 80, 123]) {
      for (const unicode of [true, false]) {
        const lines = renderBars(bars, { width, unicode });
        for (const l of lines) expect(textWidth(l), l).toBeLessThanOrEqual(width);
        // Notes start in one column.
        expect(new Set(lines.map((l, i) => textWidth(l) - textWidth(bars[i]?.note ?? ''))).size).toBe(1);
        expect(lines[0]).toMatch(unicode ? /█/ : /#/);
        expect(lines[2]).toContain('…');
        expect(lines[3]).toMatch(/^ {2}none +0 \(0 %\)$/);
      }
    }
  });

  it('the largest bar fills the room left by label and note', () => {
    const [first] = renderBars(bars.slice(0, 2), { width: 60, unicode: true });
    expect(first).toBe(`  client    ${'█'.repeat(60 - 2 - 8 - 2 - 1 - 8)} 8 (57 %)`);
  });

  it('uses ASCII when piped, Unicode and the window width on a UTF-8 terminal', () => {
    const piped = { isTTY: false, columns: undefined } as unknown as NodeJS.WriteStream;
    const tty = { isTTY: true, columns: 120 } as unknown as NodeJS.WriteStream;
    expect(barStyle(piped, {})).toEqual({ width: 80, unicode: false });
    expect(barStyle(piped, { COLUMNS: '100' })).toEqual({ width: 100, unicode: false });
    expect(barStyle(tty, { LANG: 'fr_FR.UTF-8' })).toEqual({ width: 120, unicode: true });
    expect(barStyle(tty, { LANG: 'C' })).toEqual({ width: 120, unicode: false });
    expect(barStyle(tty, { TERM: 'dumb' })).toEqual({ width: 80, unicode: false });
  });

  it('says none for an empty chart', () => {
    expect(chart('By segment', [], { width: 80, unicode: true })).toBe('By segment\n  (none)');
  });
});
