import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExportQuery } from '../../db/repositories/export.js';
import type { Sink } from '../../io/write-sink.js';
import type { Gate } from './gate.js';
import { JSON_ROW_SEPARATOR, type SliceDone, type SliceSetup } from './slices.js';
import type { WorkerInit, WorkerRecycle, WorkerReply, WorkerSlice } from './worker.js';

/**
 * A big plain export is CPU-bound in turning SQLite's rows into text; with
 * several cores, worker threads each read and encode slices of the id
 * range while the main thread writes the slices in order. Memory stays flat:
 * at most two slices per worker are in flight.
 */
const WORKER = new URL('./worker.js', import.meta.url);
/** Ids per slice: a few MB of text, and enough rows that a message costs nothing. */
const SLICE_IDS = 10_000;
/** Below this many ids, starting threads costs more than it saves. */
const MIN_PARALLEL_IDS = 150_000;

function envNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = env[name];
  return v !== undefined && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : fallback;
}

/** Slice size and threshold; CARNET_EXPORT_SLICE and CARNET_EXPORT_PARALLEL_MIN change them (tests, tuning). */
export function parallelTuning(env: NodeJS.ProcessEnv = process.env): { slice: number; minIds: number } {
  return { slice: envNumber(env, 'CARNET_EXPORT_SLICE', SLICE_IDS), minIds: envNumber(env, 'CARNET_EXPORT_PARALLEL_MIN', MIN_PARALLEL_IDS) };
}

/**
 * Worker threads for an export: CARNET_EXPORT_THREADS, else one per core,
 * up to 4 — but only when a core is free: on a machine already busy (load
 * average above the number of cores minus one) threads slow the export down,
 * so it runs on the main thread.
 */
export function exportThreads(env: NodeJS.ProcessEnv = process.env, load = loadavg()[0] ?? 0): number {
  const forced = env.CARNET_EXPORT_THREADS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Number(forced);
  const cores = availableParallelism();
  return cores >= 2 && cores - load >= 1 ? Math.min(4, cores) : 0;
}

/** The compiled worker exists only in the built program (dist/), not when the sources run under a test runner. */
export function workerAvailable(): boolean {
  return WORKER.protocol === 'file:' && existsSync(fileURLToPath(WORKER));
}

export interface ParallelRun {
  dbPath: string;
  salt: string | null;
  query: ExportQuery;
  setup: SliceSetup;
  range: { lo: number; hi: number };
  threads: number;
  /** Written first (BOM, header, `[`), and last given the number of rows. */
  head: string;
  tail: (rows: number) => string;
  sink: Sink;
  gate: Gate;
  progress: { exported: number };
  /** Lets writers commit again, once every worker holds its snapshot. */
  release: () => void;
}

interface Pool {
  send(slice: Omit<WorkerSlice, 'type'>): Promise<SliceDone>;
  /** Gives a written slice's memory back to the worker that made it. */
  recycle(done: SliceDone): void;
  close(): Promise<void>;
}

async function startPool(run: ParallelRun): Promise<Pool> {
  // A small young generation: the workers' garbage is short-lived strings, and memory should stay flat.
  const workers = Array.from({ length: run.threads }, () => new Worker(WORKER, { resourceLimits: { maxYoungGenerationSizeMb: 4 } }));
  const workerOf = new Map<number, number>();
  const load = workers.map(() => 0);
  const waiting = new Map<number, { resolve: (d: SliceDone) => void; reject: (e: Error) => void }>();
  let failure: Error | null = null;
  const fail = (err: Error): void => {
    failure ??= err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  const ready = workers.map(
    (w, i) =>
      new Promise<void>((resolve, reject) => {
        w.on('message', (msg: WorkerReply) => {
          if (msg.type === 'ready') return resolve();
          if (msg.type === 'failed') {
            const err = new Error(`export worker failed: ${msg.message}`);
            reject(err);
            return fail(err);
          }
          load[i] = (load[i] ?? 1) - 1;
          waiting.get(msg.index)?.resolve(msg);
          waiting.delete(msg.index);
        });
        w.on('error', (err) => {
          reject(err);
          fail(err);
        });
        const init: WorkerInit = { type: 'init', dbPath: run.dbPath, salt: run.salt, query: run.query, setup: run.setup };
        w.postMessage(init);
      }),
  );
  try {
    await Promise.all(ready);
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  return {
    send: (slice) =>
      new Promise<SliceDone>((resolve, reject) => {
        if (failure) return reject(failure);
        let best = 0;
        load.forEach((n, i) => void (n < (load[best] ?? 0) && (best = i)));
        load[best] = (load[best] ?? 0) + 1;
        waiting.set(slice.index, { resolve, reject });
        workerOf.set(slice.index, best);
        (workers[best] as Worker).postMessage({ type: 'slice', ...slice } satisfies WorkerSlice);
      }),
    recycle: (done) => {
      const w = workers[workerOf.get(done.index) ?? -1];
      workerOf.delete(done.index);
      const buffer = done.bytes.buffer as ArrayBuffer;
      if (w && !failure) w.postMessage({ type: 'recycle', buffer } satisfies WorkerRecycle, [buffer]);
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Writes the whole export; false (nothing written) when the threads could not start: the caller then uses one. */
export async function writeParallel(run: ParallelRun): Promise<boolean> {
  let pool: Pool;
  try {
    pool = await startPool(run);
  } catch {
    return false;
  } finally {
    run.release();
  }
  const { lo, hi } = run.range;
  const span = parallelTuning().slice;
  const total = Math.ceil((hi + 1 - lo) / span);
  const sliceAt = (k: number) => ({ index: k, lo: lo + k * span, hi: Math.min(hi + 1, lo + (k + 1) * span) });
  const queue: Promise<SliceDone>[] = [];
  let next = 0;
  const fill = (): void => {
    while (next < total && queue.length < run.threads * 2) queue.push(pool.send(sliceAt(next++)));
  };
  try {
    let wait = run.sink.write(run.head);
    if (wait) await wait;
    fill();
    let rows = 0;
    const json = run.setup.format === 'json';
    while (queue.length > 0 && !run.sink.broken) {
      const done = await (queue.shift() as Promise<SliceDone>);
      fill();
      for (const [reason, count] of Object.entries(done.leftOut)) run.gate.addLeftOut(reason, count ?? 0);
      if (done.rows === 0) continue;
      if (json) {
        wait = run.sink.write(rows > 0 ? JSON_ROW_SEPARATOR : '\n');
        if (wait) await wait;
      }
      rows += done.rows;
      run.progress.exported = rows;
      wait = run.sink.write(done.bytes, () => pool.recycle(done));
      if (wait) await wait;
    }
    if (!run.sink.broken) {
      wait = run.sink.write(run.tail(rows));
      if (wait) await wait;
    }
  } finally {
    // Slices still running are dropped with their threads.
    for (const p of queue) p.catch(() => undefined);
    await pool.close();
  }
  return true;
}
