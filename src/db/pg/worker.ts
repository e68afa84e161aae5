import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import pg from 'pg';
import type { Reply, Request, TxStatus, WireError, WorkerInit } from './protocol.js';
import { copyIn } from './copy-in.js';
import { startCopyOut, type CopyOut } from './copy-out.js';
import { copyColumns } from './copy-out-text.js';
import { FROM_TEXT, VALUE_KINDS } from './value-kinds.js';

/**
 * The PostgreSQL connection's thread: node-postgres is asynchronous, carnet's
 * core is not. The main thread posts one request and sleeps (Atomics.wait)
 * until this thread has posted the reply and raised the flag.
 */

// SQLite's value conventions on the way out (value-kinds.ts), for every type carnet reads.
for (const [oid, kind] of VALUE_KINDS) pg.types.setTypeParser(oid, FROM_TEXT[kind]);

const init = workerData as WorkerInit & { port: MessagePort };
const flag = new Int32Array(init.signal);
let client = makeClient(init.config);
let status: TxStatus = 'I';
let lost: WireError | null = null;
/** Pipelined statements: the last one's completion, and the first error among them (reported by the next request). */
let sent: Promise<void> = Promise.resolve();
let sendError: WireError | null = null;
/** The COPY TO whose pages the main thread is reading, if any. */
let copyOut: CopyOut | null = null;

function makeClient(config: WorkerInit['config']): pg.Client {
  const ssl = typeof config.ssl === 'object' ? (({ fallback: _f, ...rest }) => rest)(config.ssl) : config.ssl;
  const c = new pg.Client({ ...config, ssl });
  c.on('error', (err) => {
    lost = wire(err);
  });
  return c;
}

/** sslmode=prefer/allow: TLS when the server has it, else a plain connection (as libpq). */
async function connect(): Promise<void> {
  const ssl = init.config.ssl;
  try {
    await client.connect();
  } catch (err) {
    if (typeof ssl !== 'object' || !ssl.fallback || !/does not support SSL/i.test(String((err as Error).message))) throw err;
    lost = null;
    client = makeClient({ ...init.config, ssl: false });
    await client.connect();
  }
}

function wire(err: unknown): WireError {
  const e = err as Partial<Record<keyof WireError, unknown>> & { message?: unknown };
  const out: WireError = { message: typeof e.message === 'string' ? e.message : String(err) };
  for (const k of ['code', 'detail', 'hint', 'severity', 'constraint', 'table', 'column'] as const) {
    if (typeof e[k] === 'string') out[k] = e[k] as string;
  }
  return out;
}

async function handle(req: Request): Promise<Reply> {
  await sent;
  if (copyOut && req.op !== 'copyNext' && req.op !== 'copyStop') await copyOut.drain();
  if (lost !== null) return { ok: false, error: lost, tx: status };
  switch (req.op) {
    case 'connect': {
      await connect();
      // ReadyForQuery carries the transaction status: what better-sqlite3 calls inTransaction.
      const conn = (client as unknown as { connection: { on(ev: 'readyForQuery', f: (m: { status: string }) => void): void } }).connection;
      conn.on('readyForQuery', (m) => {
        status = m.status as TxStatus;
      });
      const pid = (client as unknown as { processID?: number }).processID;
      return { ok: true, rows: [], rowCount: 0, command: 'CONNECT', tx: status, pid };
    }
    case 'query': {
      // node-postgres sends `types` both as the Parse message's parameter OIDs and as the result's type parsers.
      const types = req.paramTypes ? Object.assign([...req.paramTypes], { getTypeParser: pg.types.getTypeParser }) : undefined;
      const config = { text: req.text, values: req.values, ...(types ? { types: types as unknown as pg.CustomTypesConfig } : {}) };
      const r = req.rowMode === 'array' ? await client.query({ ...config, rowMode: 'array' as const }) : await client.query(config);
      return { ok: true, rows: r.rows, rowCount: r.rowCount ?? 0, command: r.command, tx: status };
    }
    case 'exec': {
      const r = await client.query(req.text);
      const last = Array.isArray(r) ? r[r.length - 1] : r;
      return { ok: true, rows: [], rowCount: last?.rowCount ?? 0, command: last?.command ?? '', tx: status };
    }
    case 'sync':
      return { ok: true, rows: [], rowCount: 0, command: 'SYNC', tx: status };
    case 'copyOut': {
      // The column types first (COPY gives none): a plan of the query and no row.
      const described = await client.query({ text: `SELECT * FROM (${req.text}) AS carnet_described LIMIT 0`, rowMode: 'array' });
      const types = described.fields.map((f) => f.dataTypeID);
      // A type copy-out-text.ts does not read: no COPY, the main thread takes the cursor instead.
      if (!copyColumns(types)) return { ok: true, rows: [], rowCount: 0, command: 'COPY', tx: status, copy: { types, page: null } };
      copyOut = startCopyOut(client, req.text);
      return copyPage(types);
    }
    case 'copyNext':
      return copyPage(undefined);
    case 'copyStop': {
      const c = copyOut;
      copyOut = null;
      await c?.stop();
      return { ok: true, rows: [], rowCount: 0, command: 'COPY', tx: status };
    }
    case 'send':
      throw new Error('send has no reply'); // handled in the message listener
    case 'end':
      await client.end().catch(() => undefined);
      return { ok: true, rows: [], rowCount: 0, command: 'END', tx: 'I' };
  }
}

async function copyPage(types: number[] | undefined): Promise<Reply> {
  if (!copyOut) throw new Error('no COPY under way');
  let page: Uint8Array | null;
  try {
    page = await copyOut.next();
  } catch (err) {
    copyOut = null;
    throw err;
  }
  if (page === null) copyOut = null;
  return { ok: true, rows: [], rowCount: 0, command: 'COPY', tx: status, copy: { types, page } };
}

/**
 * Sent statements run one after the other, chained by hand (node-postgres deprecates a query
 * issued while another runs); a request with a reply comes after them, since the main thread
 * sends nothing while it waits for one.
 */
function send(req: Extract<Request, { op: 'send' }>): void {
  sent = sent
    .then(async () => {
      if (copyOut) await copyOut.drain();
      if (req.copy !== undefined) await copyIn(client, req.text, req.copy);
      else await client.query({ text: req.text, values: req.values });
    })
    .then(
      () => undefined,
      (err: unknown) => {
        sendError ??= wire(err);
      },
    )
    .finally(() => {
      Atomics.sub(flag, 1, 1);
      Atomics.notify(flag, 1);
    });
}

init.port.on('message', (req: Request) => {
  if (req.op === 'send') {
    send(req);
    return;
  }
  handle(req)
    .catch((err: unknown): Reply => ({ ok: false, error: wire(err), tx: status }))
    .then((reply) => {
      // A pipelined statement's failure comes first: what followed it ran on its consequences.
      if (sendError !== null) {
        reply = { ok: false, error: sendError, tx: status };
        sendError = null;
      }
      const page = reply.ok ? reply.copy?.page : null;
      init.port.postMessage(reply, page ? [page.buffer as ArrayBuffer] : []);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    });
});
parentPort?.unref();
