import type { Channel } from '../model.js';
import { channelsOfSource } from './columns.js';
import type { LeftOutReason } from './types.js';

/**
 * The door every row passes: the SQL put, after the values, one reason per
 * channel (NULL = may be contacted that way) or one for restricted/archived
 * files. A row with no usable channel is counted by reason and not written;
 * with several channels, the contact data of a channel the row may not be
 * reached on is emptied (someone who agreed to e-mails but not to SMS is
 * sent with no mobile).
 */
export class Gate {
  readonly leftOut: Partial<Record<LeftOutReason, number>> = {};
  leftOutTotal = 0;
  readonly withheld: Partial<Record<Channel, number>> = {};
  private readonly base: number;
  private readonly reasons: number;
  /** For each source to empty per row: its index and the reason indexes that must all be set to empty it. */
  private readonly blank: { index: number; reasons: number[] }[];

  constructor(
    sources: readonly string[],
    private readonly channels: readonly Channel[] | null,
    reasonColumns: number,
  ) {
    this.base = sources.length;
    this.reasons = reasonColumns;
    this.blank = [];
    if (channels && channels.length > 1) {
      sources.forEach((s, index) => {
        const reasons = channelsOfSource(s)
          .map((c) => channels.indexOf(c))
          .filter((i) => i >= 0);
        if (reasons.length > 0) this.blank.push({ index, reasons });
      });
    }
  }

  /**
   * True when the row is to be written (possibly with some values emptied
   * in place). `count` false: another row of the same customer (vCard, one
   * row per contact) — same decision, counted once.
   */
  admit(row: unknown[], count = true): boolean {
    if (this.reasons === 0) return true;
    const base = this.base;
    if (this.reasons === 1) {
      const r = row[base];
      if (r === null) return true;
      if (count) this.count(r as LeftOutReason);
      return false;
    }
    let usable = false;
    for (let i = 0; i < this.reasons; i++) if (row[base + i] === null) usable = true;
    if (!usable) {
      if (count) this.count(row[base] as LeftOutReason);
      return false;
    }
    for (let i = 0; count && i < this.reasons; i++) {
      const r = row[base + i];
      // Counted only when there was something to withhold (not "no mobile").
      if (r === null || (typeof r === 'string' && r.startsWith('no_') && r !== 'no_consent')) continue;
      const ch = this.channels?.[i];
      if (ch) this.withheld[ch] = (this.withheld[ch] ?? 0) + 1;
    }
    for (const b of this.blank) {
      if (b.reasons.every((i) => row[base + i] !== null)) row[b.index] = null;
    }
    return true;
  }

  /** Counts of a slice encoded elsewhere (a worker thread of a parallel export). */
  addLeftOut(reason: string, n: number): void {
    const r = reason as LeftOutReason;
    this.leftOut[r] = (this.leftOut[r] ?? 0) + n;
    this.leftOutTotal += n;
  }

  private count(reason: LeftOutReason): void {
    this.leftOut[reason] = (this.leftOut[reason] ?? 0) + 1;
    this.leftOutTotal++;
  }
}
