import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openInput } from '../../src/io/read/open.js';
import { BookReadError } from '../../src/io/read/errors.js';
import { readVcards } from '../../src/io/read/vcard.js';
import { BATCH_RECORDS } from '../../src/io/read/types.js';

const card = (i: number, extra = ''): string =>
  `BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nom${i};Prénom;;;\r\nFN:Prénom Nom${i}\r\nEMAIL:p${i}@example.fr\r\n${extra}END:VCARD\r\n`;

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('address books are read in two passes, a batch of cards at a time', () => {
  it('gives the first batch before the second pass has read the whole file, with columns found anywhere in it', async () => {
    const n = BATCH_RECORDS * 3;
    // A property only the last card has: a column of its own, in every record.
    const text = Array.from({ length: n }, (_, i) => card(i, i === n - 1 ? 'X-SALON:Lyon 2026\r\n' : '')).join('');
    const bytes = Buffer.from(text);
    let read = 0;
    const open = async function* (): AsyncGenerator<Buffer> {
      read = 0;
      for (let at = 0; at < bytes.length; at += 4096) {
        read = Math.min(bytes.length, at + 4096);
        yield bytes.subarray(at, at + 4096);
      }
    };
    const book = await readVcards(open, 'big.vcf');
    expect(book.header.at(-1)).toBe('X-SALON');
    let batches = 0;
    let records = 0;
    for await (const b of book.records()) {
      if (batches === 0) expect(read).toBeLessThan(bytes.length / 2);
      batches++;
      records += b.records.length;
      expect(b.records.every((r) => r.length === book.header.length)).toBe(true);
    }
    expect({ batches, records }).toEqual({ batches: 3, records: n });
  });

  it('refuses a file that changed between the two passes, rather than reading other cards than it counted', async () => {
    dir = mkdtempSync(join(tmpdir(), 'carnet-vcard-'));
    const path = join(dir, 'contacts.vcf');
    writeFileSync(path, card(1) + card(2));
    const opened = await openInput(path);
    if (opened.format === 'csv') throw new Error('read as CSV');
    const sheet = opened.book.sheets[0];
    expect(sheet?.records).toHaveLength(3);
    writeFileSync(path, card(1) + card(2, 'X-SALON:Lyon\r\n') + card(3));
    const err = await (async () => {
      for await (const _ of opened.book.records(0, 0)) void _;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BookReadError);
    expect((err as Error).message).toBe('contacts.vcf changed while it was being read');
    opened.book.close();
  });
});
