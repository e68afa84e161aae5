import type { Batch } from './process.js';

/**
 * A batch as it crosses from a worker thread to the main thread. The staged
 * values (a million rows of 37) travel as one string of all the text values
 * end to end, the length of each value beside it and the numbers in a
 * typed array; only the small remainder (rejects, warnings) is JSON.
 * JSON of the whole batch cost the main thread as much as the worker saved
 * it (its parse is as slow as the row building it replaces); this costs a
 * substring per value.
 */
export interface WireBatch {
  /** The batch without its rows, categories and consents, as JSON. */
  head: string;
  /** Every text value of the rows, then of the categories, then of the consents, end to end. */
  text: string;
  /** Per value: its length in `text`, or NULL_VALUE, or NUMBER_VALUE (next of `numbers`). */
  lengths: Int32Array;
  numbers: Float64Array;
  rowCount: number;
  catCount: number;
  consentCount: number;
}

const NULL_VALUE = -1;
const NUMBER_VALUE = -2;

type Value = string | number | null;

class Writer {
  private readonly parts: string[] = [];
  private readonly nums: number[] = [];
  readonly lengths: Int32Array;
  private at = 0;

  constructor(values: number) {
    this.lengths = new Int32Array(values);
  }

  put(v: Value): void {
    if (v === null) this.lengths[this.at++] = NULL_VALUE;
    else if (typeof v === 'number') {
      this.lengths[this.at++] = NUMBER_VALUE;
      this.nums.push(v);
    } else {
      this.lengths[this.at++] = v.length;
      this.parts.push(v);
    }
  }

  text(): string {
    return this.parts.join('');
  }

  numbers(): Float64Array {
    return Float64Array.from(this.nums);
  }
}

export function encodeBatch(b: Batch): { wire: WireBatch; transfer: ArrayBuffer[] } {
  const { rows, cats, consents, ...rest } = b;
  const w = new Writer(rows.length * b.width + cats.length + consents.length);
  for (const row of rows) for (let i = 0; i < b.width; i++) w.put(row[i] ?? null);
  for (const v of cats) w.put(v);
  for (const v of consents) w.put(v);
  const wire: WireBatch = {
    head: JSON.stringify(rest),
    text: w.text(),
    lengths: w.lengths,
    numbers: w.numbers(),
    rowCount: rows.length,
    catCount: cats.length,
    consentCount: consents.length,
  };
  return { wire, transfer: [wire.lengths.buffer as ArrayBuffer, wire.numbers.buffer as ArrayBuffer] };
}

export function decodeBatch(wire: WireBatch): Batch {
  const rest = JSON.parse(wire.head) as Omit<Batch, 'rows' | 'cats' | 'consents'>;
  const { text, lengths, numbers } = wire;
  let at = 0;
  let pos = 0;
  let num = 0;
  const next = (): Value => {
    const len = lengths[at++] as number;
    if (len >= 0) return text.substring(pos, (pos += len));
    return len === NULL_VALUE ? null : (numbers[num++] as number);
  };
  const rows: Value[][] = new Array<Value[]>(wire.rowCount);
  for (let r = 0; r < wire.rowCount; r++) {
    const row = new Array<Value>(rest.width);
    for (let i = 0; i < rest.width; i++) row[i] = next();
    rows[r] = row;
  }
  const cats = new Array<string | number>(wire.catCount);
  for (let i = 0; i < wire.catCount; i++) cats[i] = next() as string | number;
  const consents = new Array<Value>(wire.consentCount);
  for (let i = 0; i < wire.consentCount; i++) consents[i] = next();
  return { ...rest, rows, cats, consents };
}
