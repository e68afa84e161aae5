import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RawChunk } from '../../io/read/csv.js';
import { decodeBatch, type WireBatch } from './batch-wire.js';
import { makeProcessor, processSafely, type Batch, type BatchError, type ProcessorInit, type Suppressed } from './process.js';

/** Something that turns chunks into batches: the main thread itself, or a pool of worker threads. */
export interface ChunkRunner {
  readonly threads: number;
  run(chunk: RawChunk, skipHeader: boolean): Promise<Batch | BatchError>;
  close(): Promise<void>;
}

export function inlineRunner(init: ProcessorInit, suppressed: Suppressed | null): ChunkRunner {
  const run = makeProcessor(init, suppressed);
  return {
    threads: 0,
    run: (chunk, skipHeader) => Promise.resolve(processSafely(run, chunk, skipHeader)),
    close: () => Promise.resolve(),
  };
}

/**
 * How many worker threads a big import uses. Measured on 2 cores with one
 * worker (1,000,000 rows, three interleaved pairs, 7 Dec): the read phase
 * 10.5 s against 13.6 s and the import 29.8 s against 32.7 s of wall time,
 * but 4–6 s more CPU and 30–60 MB more memory (194–225 against 156–169 MB, near the
 * 250 MB bound) — a nightly import beside other work on two cores pays the
 * CPU. So threads start at 4 cores (two left to the main thread and the
 * system), at most 3. CARNET_IMPORT_THREADS overrides (0: main thread only).
 */
export function defaultThreads(env: NodeJS.ProcessEnv = process.env): number {
  const forced = env.CARNET_IMPORT_THREADS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Number(forced);
  const cores = availableParallelism();
  return cores >= 4 ? Math.min(3, cores - 2) : 0;
}

interface Pending {
  resolve: (b: Batch | BatchError) => void;
  reject: (e: Error) => void;
  chunk: RawChunk;
  skipHeader: boolean;
  worker: number;
}

/**
 * A pool of worker threads, each with a bounded heap. A thread that dies
 * (out of memory on a monstrous record, say) hands its chunks to `fallback`
 * — the main thread — and gets no more: the import goes on, slower.
 */
export function workerRunner(init: ProcessorInit, threads: number, fallback: ChunkRunner): ChunkRunner {
  const url = new URL('./worker.js', import.meta.url);
  // A bounded heap per thread: parsing garbage is collected instead of growing the process past its memory goal.
  const workers = Array.from({ length: threads }, () => new Worker(url, { resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } }));
  const pending = new Map<number, Pending>();
  const load = workers.map(() => 0);
  const dead = workers.map(() => false);
  const viaFallback = (p: Pending): void => void fallback.run(p.chunk, p.skipHeader).then(p.resolve, p.reject);
  const fail = (i: number): void => {
    if (dead[i]) return;
    dead[i] = true;
    for (const [index, p] of [...pending]) {
      if (p.worker !== i) continue;
      pending.delete(index);
      viaFallback(p);
    }
  };
  workers.forEach((w, i) => {
    w.postMessage({ type: 'init', init });
    w.on('message', (data: string | WireBatch) => {
      const msg = typeof data === 'string' ? (JSON.parse(data) as (Batch | BatchError) & { fatal?: string }) : (decodeBatch(data) as Batch & { fatal?: string });
      load[i] = (load[i] ?? 1) - 1;
      const p = pending.get(msg.index);
      pending.delete(msg.index);
      if (msg.fatal !== undefined) p?.reject(new Error(`import worker failed: ${msg.fatal}`));
      else p?.resolve(msg);
    });
    w.on('error', () => fail(i));
    w.on('exit', (code) => {
      if (code !== 0) fail(i);
    });
  });
  return {
    threads,
    run: (chunk, skipHeader) =>
      new Promise((resolve, reject) => {
        let best = -1;
        load.forEach((n, i) => {
          if (!dead[i] && (best < 0 || n < (load[best] ?? 0))) best = i;
        });
        const p: Pending = { resolve, reject, chunk, skipHeader, worker: best };
        if (best < 0) return viaFallback(p);
        load[best] = (load[best] ?? 0) + 1;
        pending.set(chunk.index, p);
        // A copy of the bytes (chunks are views into bigger buffers that must not be detached).
        const bytes = new Uint8Array(chunk.bytes);
        (workers[best] as Worker).postMessage({ type: 'chunk', index: chunk.index, firstLine: chunk.firstLine, bytes, skipHeader }, [bytes.buffer]);
      }),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
      await fallback.close();
    },
  };
}
