// A real PostgreSQL (PGlite: PostgreSQL compiled to WebAssembly) listening on a
// Unix socket, for the tests: `node pglite-server.mjs DIR PID` listens on
// DIR/.s.PGSQL.5432, writes DIR/pid once it listens, and serves until process
// PID (its vitest worker) is gone. Plain JavaScript: node runs it directly.
import { writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const [dir, watched] = process.argv.slice(2);
const db = await PGlite.create();
const server = new PGLiteSocketServer({ db, path: `${dir}/.s.PGSQL.5432`, maxConnections: 64 });
serialiseByConversation(server.queryQueue);
await server.start();
writeFileSync(`${dir}/pid`, String(process.pid));

setInterval(() => {
  try {
    process.kill(Number(watched), 0);
  } catch {
    process.exit(0);
  }
}, 1000);

/**
 * pglite-socket queues each protocol message on its own, so outside an explicit
 * transaction the Parse of one connection could run between the Parse and the
 * Bind of another on PGlite's single backend (the unnamed statement replaced
 * under it), and the CopyData of a COPY could meet another connection's query:
 * under load, a carnet read another's result (seen once in CI as exit 3, a
 * schema "exists but is empty"). A real server gives each connection its own
 * backend; here a connection keeps the backend from its first message until
 * PGlite answers ReadyForQuery with the idle status ('I'), as a session would.
 * It replaces the queue's internals of pglite-socket 0.2.17 (processQueue,
 * clearQueueForHandler): package.json pins that version exactly for this reason.
 */
function serialiseByConversation(queue) {
  const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);
  let owner = null; // the handler whose conversation is open, or null when the backend is idle
  queue.processQueue = async function processQueue() {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const i = owner === null ? 0 : this.queue.findIndex((q) => q.handlerId === owner);
        if (i === -1) break; // the owner's next message wakes the queue again
        const [query] = this.queue.splice(i, 1);
        let tail = new Uint8Array(0);
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(query.message, {
              onRawData: (data) => {
                tail = data.length >= 6 ? data.slice(-6) : Uint8Array.from([...tail, ...data].slice(-6));
                query.onData(data);
              },
            }),
          );
        } catch (error) {
          owner = null;
          query.reject(error);
          continue;
        }
        this.lastHandlerId = query.handlerId;
        const type = query.message[0];
        const idle = tail.length === 6 && tail[0] === 0x5a && tail[5] === 0x49; // ReadyForQuery, status I
        owner = idle || type === 0x58 /* Terminate */ ? null : query.handlerId;
        query.resolve(0);
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId) => {
    clear(handlerId);
    if (owner !== handlerId) return;
    // Gone in the middle of its conversation: end the extended query it left open, roll
    // its transaction back, then free the backend (the library's own rollback is skipped:
    // it would race the Sync).
    queue.lastHandlerId = null;
    owner = 'closing';
    const db = queue.db;
    db.runExclusive(() => db.execProtocolRaw(SYNC))
      .then(() => (db.isInTransaction() ? db.exec('ROLLBACK') : undefined))
      .catch(() => {})
      .finally(() => {
        owner = null;
        queue.processQueue();
      });
  };
}
