import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Reply, Request, TxStatus, WorkerInit } from './protocol.js';
import { PgError } from './errors.js';

/** The worker's compiled file: beside this one in dist/, or dist/'s when the tests run the TypeScript (a worker cannot load .ts). */
function workerFile(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL('../../../dist/db/pg/worker.js', import.meta.url);
  // Checked here: a worker whose file is missing dies where the blocked main thread never hears it.
  if (!existsSync(fileURLToPath(built))) {
    throw new PgError({ message: `the PostgreSQL connection thread's file ${fileURLToPath(built)} is missing — run npm run build`, code: 'CARNET_WORKER' });
  }
  return built;
}

export type Ok = Extract<Reply, { ok: true }>;

/**
 * One PostgreSQL connection used synchronously: each call posts a request to
 * the connection's worker thread and blocks on Atomics.wait until the reply
 * is there, then takes it with receiveMessageOnPort. No event loop turn in
 * between, so the core's transactions stay plain synchronous code.
 */
export class SyncConnection {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag: Int32Array;
  tx: TxStatus = 'I';
  pid: number | undefined;
  closed = false;

  constructor(config: WorkerInit['config']) {
    const signal = new SharedArrayBuffer(8);
    this.flag = new Int32Array(signal);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(workerFile(), { workerData: { config, signal, port: port2 }, transferList: [port2] });
    // The worker must never keep a finished command alive.
    this.worker.unref();
    this.port.unref();
    const r = this.call({ op: 'connect' });
    this.pid = r.pid;
  }

  call(req: Request): Ok {
    if (this.closed) throw new PgError({ message: 'the PostgreSQL connection is closed', code: 'CARNET_CLOSED' });
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(req);
    for (;;) {
      Atomics.wait(this.flag, 0, 0, 1000);
      const m = receiveMessageOnPort(this.port);
      if (m !== undefined) {
        const reply = m.message as Reply;
        this.tx = reply.tx;
        if (!reply.ok) throw new PgError(reply.error);
        return reply;
      }
      if (Atomics.load(this.flag, 0) === 0 && this.workerGone()) {
        this.closed = true;
        throw new PgError({ message: 'the PostgreSQL connection thread stopped', code: 'CARNET_WORKER' });
      }
    }
  }

  /**
   * Posts a statement without waiting for it (a pipeline), after waiting until fewer than `bound`
   * are in flight: the caller goes on preparing the next while the server runs this one. Its
   * error is thrown by the next call().
   */
  send(req: Extract<Request, { op: 'send' }>, bound: number): void {
    if (this.closed) throw new PgError({ message: 'the PostgreSQL connection is closed', code: 'CARNET_CLOSED' });
    for (let n = Atomics.load(this.flag, 1); n >= bound; n = Atomics.load(this.flag, 1)) {
      if (Atomics.wait(this.flag, 1, n, 1000) === 'timed-out' && this.workerGone()) {
        this.closed = true;
        throw new PgError({ message: 'the PostgreSQL connection thread stopped', code: 'CARNET_WORKER' });
      }
    }
    Atomics.add(this.flag, 1, 1);
    this.port.postMessage(req);
  }

  /** A worker that died (out of memory…) never answers: checked on each second of waiting. */
  private workerGone(): boolean {
    return this.worker.threadId === -1;
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call({ op: 'end' });
    } catch {
      // already gone
    }
    this.closed = true;
    void this.worker.terminate();
  }
}
