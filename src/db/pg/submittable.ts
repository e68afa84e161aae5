/**
 * A query object of carnet's own for node-postgres (a "submittable": pg calls
 * submit, then one handler per message of the server). COPY in both directions
 * is one: pg's own Query object knows neither direction without a stream
 * library. Every message the server may send has a handler here, a no-op
 * unless the subclass needs it, since pg calls them even on a confused server.
 */
import type pg from 'pg';

/** The parts of pg's connection a COPY uses. */
export type PgConnection = {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  stream: { pause(): void; resume(): void };
};

export abstract class Submittable {
  /** node-postgres sets this on a submittable; unused here (callers await the subclass's own signal). */
  callback?: unknown;

  constructor(readonly text: string) {}

  /** Queued on the client: pg submits it once the queries before it are done. */
  sendThrough(client: pg.Client): void {
    void client.query(this as unknown as pg.QueryConfig);
  }

  submit(connection: PgConnection): void {
    connection.query(this.text);
  }

  /** The statement failed; ReadyForQuery may or may not follow (pg forgets a failed query). */
  abstract handleError(err: Error): void;
  abstract handleReadyForQuery(): void;

  handleCopyInResponse(_connection: PgConnection): void {}
  handleCopyData(_msg: { chunk: Buffer }): void {}
  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
}
