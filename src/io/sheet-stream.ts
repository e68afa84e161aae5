import type { BookValue, BookWriter } from './write-book.js';
import type { ZipOut } from './zip-out.js';

type Streamed = Awaited<ReturnType<ZipOut['streamed']>>;

/**
 * A workbook whose one sheet is one streamed ZIP entry (xlsx-out.ts,
 * ods-out.ts): the package's small parts and the sheet's head when the first
 * row comes (or at close, for an empty export), then rows buffered 64 KB at a
 * time with the sink's backpressure, then the sheet's tail and what follows it.
 * Row numbers count the header row as 1.
 */
export function streamedSheet(parts: {
  begin: () => Promise<{ sheet: Streamed; head: string }>;
  row: (values: readonly BookValue[], n: number) => string;
  end: (rows: number) => { tail: string; after: () => Promise<void> };
}): BookWriter {
  let sheet: Streamed | null = null;
  let rows = 1;
  let buf = '';
  let started: Promise<void> | null = null;
  const start = (): Promise<void> =>
    (started ??= parts.begin().then((b) => {
      sheet = b.sheet;
      buf = b.head;
    }));
  const flush = (): Promise<void> | undefined => {
    const text = buf;
    buf = '';
    return sheet?.write(text);
  };
  const add = (values: readonly BookValue[]): Promise<void> | undefined => {
    rows++;
    buf += parts.row(values, rows);
    return buf.length >= 1 << 16 ? flush() : undefined;
  };
  return {
    add: (values) => (started ? add(values) : start().then(() => void add(values))),
    close: async () => {
      await start();
      const { tail, after } = parts.end(rows);
      buf += tail;
      const wait = flush();
      if (wait) await wait;
      await (sheet as Streamed | null)?.end();
      await after();
    },
  };
}
