import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { streamingOdsWriter } from '../../src/io/ods-out.js';
import type { BookColumn } from '../../src/io/write-book.js';

/** The .ods writer's cells, read back by SheetJS: what XML would collapse is kept. */
async function roundTrip(columns: BookColumn[], rows: (string | number | Date | null)[][]): Promise<XLSX.CellObject[][]> {
  const chunks: Uint8Array[] = [];
  const w = streamingOdsWriter('Feuille', columns, { write: (c) => void chunks.push(Buffer.from(c)) });
  for (const r of rows) await w.add(r);
  await w.close();
  const wb = XLSX.read(Buffer.concat(chunks), { dense: true });
  return (wb.Sheets.Feuille as XLSX.WorkSheet)['!data'] as XLSX.CellObject[][];
}

describe('streamingOdsWriter', () => {
  it('keeps spaces at either end and in runs, tabs, and line breaks; types numbers and dates; leaves empty cells empty', async () => {
    const texts = [' début', 'fin ', 'a  b   c', 'tab\tici', 'un\ndeux\r\ntrois', '<&> "quotes"', '=1+1'];
    const data = await roundTrip(
      [{ header: 'texte', type: 'text', width: 20 }, { header: 'n', type: 'text', width: 5 }, { header: 'jour', type: 'date', width: 12 }],
      texts.map((t, i) => [t, i === 0 ? null : i + 0.5, i === 0 ? new Date(Date.UTC(2026, 2, 12)) : null]),
    );
    expect(data[0]?.map((c) => c.v)).toEqual(['texte', 'n', 'jour']);
    expect(data.slice(1).map((r) => r[0]?.v)).toEqual(texts.map((t) => t.replace(/\r\n/g, '\n')));
    expect(data[2]?.[1]).toMatchObject({ t: 'n', v: 1.5 });
    expect(data[1]?.[1]?.v).toBeUndefined();
    expect(XLSX.SSF.format('yyyy-mm-dd', data[1]?.[2]?.v as number)).toBe('2026-03-12');
    expect(data[7]?.[0]).toMatchObject({ t: 's', v: '=1+1' });
  });
});
