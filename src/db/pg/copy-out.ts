/**
 * COPY (SELECT …) TO STDOUT for node-postgres, in pages: the connection's
 * worker thread keeps the server's CopyData bytes as they come and hands
 * them to the main thread a page at a time, unparsed, transferred rather
 * than cloned (copy-out-text.ts parses them there). A big read (dedupe's match
 * rows) then costs the worker nothing per row: pg's row parser and the
 * structured clone of each FETCH page were 1.2 s of CPU per 138,000 rows.
 * The socket is paused while a page waits, so memory stays one page or so.
 * A statement asked for on the same connection while a COPY is read (the
 * caller writes as it reads) first drains the COPY into memory (drain()):
 * the server would otherwise wait on the paused socket and the statement on
 * the server.
 */
import type pg from 'pg';
import { Submittable, type PgConnection } from './submittable.js';

/** Bytes gathered before the socket is paused and a page is ready. */
const PAGE_BYTES = 4 << 20;

export class CopyOut extends Submittable {
  /** The page being filled: CopyData messages (a row each) copied in end to end. */
  private page = new Uint8Array(PAGE_BYTES);
  private bytes = 0;
  private ended = false;
  private error: Error | null = null;
  private wake: (() => void) | null = null;
  private connection: PgConnection | null = null;
  /** Set once the caller stops reading: the rest is dropped as it comes. */
  private dropping = false;
  /** Set when another statement needs the connection: pages are kept here instead of pausing. */
  private draining = false;
  private full: Uint8Array[] = [];

  override submit(connection: PgConnection): void {
    this.connection = connection;
    super.submit(connection);
  }

  override handleCopyData(msg: { chunk: Buffer }): void {
    if (this.dropping) return;
    // Copied: the chunk is a view into the parser's buffer, which it reuses.
    const n = msg.chunk.length;
    if (this.bytes + n > this.page.length) {
      const bigger = new Uint8Array(Math.max(2 * this.page.length, this.bytes + n));
      bigger.set(this.page.subarray(0, this.bytes));
      this.page = bigger;
    }
    this.page.set(msg.chunk, this.bytes);
    this.bytes += n;
    if (this.bytes >= PAGE_BYTES) {
      if (this.draining) this.keepPage();
      else {
        this.connection?.stream.pause();
        this.notify();
      }
    }
  }

  private keepPage(): void {
    this.full.push(this.page.subarray(0, this.bytes));
    this.page = new Uint8Array(PAGE_BYTES);
    this.bytes = 0;
  }

  /** The query ends here: node-postgres forgets a failed query, so no ReadyForQuery reaches it (the next query still waits for one). */
  handleError(err: Error): void {
    this.error ??= err;
    this.ended = true;
    this.notify();
  }

  handleReadyForQuery(): void {
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** The next page of rows (whole CopyData messages: whole rows), or null once the copy has ended. */
  async next(): Promise<Uint8Array | null> {
    const kept = this.full.shift();
    if (kept) return kept;
    while (!this.ended && this.bytes < PAGE_BYTES) await new Promise<void>((r) => (this.wake = r));
    if (this.error) throw this.error;
    if (this.bytes === 0) return null;
    // The page goes to the main thread as it is (transferred); a new one is filled meanwhile.
    const page = this.page.subarray(0, this.bytes);
    this.page = new Uint8Array(PAGE_BYTES);
    this.bytes = 0;
    this.connection?.stream.resume();
    return page;
  }

  /** Reads the rest of the COPY into memory, so that the connection can serve another statement. */
  async drain(): Promise<void> {
    if (this.ended) return;
    this.draining = true;
    if (this.bytes >= PAGE_BYTES) this.keepPage();
    this.connection?.stream.resume();
    while (!this.ended) await new Promise<void>((r) => (this.wake = r));
  }

  /** The caller stopped early: drop the rest and wait until the connection is ready again. */
  async stop(): Promise<void> {
    this.dropping = true;
    this.bytes = 0;
    this.full = [];
    this.connection?.stream.resume();
    while (!this.ended) await new Promise<void>((r) => (this.wake = r));
  }
}

export function startCopyOut(client: pg.Client, select: string): CopyOut {
  const q = new CopyOut(`COPY (${select}) TO STDOUT`);
  q.sendThrough(client);
  return q;
}
