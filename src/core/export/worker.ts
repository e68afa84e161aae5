/**
 * Worker thread of a parallel export: opens its own read-only connection,
 * starts one read transaction (the main thread holds writers off until
 * every worker has), then encodes the id slices it is sent, in any order;
 * the main thread writes them in order.
 */
import { parentPort } from 'node:worker_threads';
import { openDatabase } from '../../db/open.js';
import { ExportRepo, type ExportQuery } from '../../db/repositories/export.js';
import { isMobileE164 } from '../normalise/index.js';
import { hashIdentifier } from '../rgpd/suppression.js';
import { sliceEncoder, type SliceDone, type SliceSetup } from './slices.js';

export interface WorkerInit {
  type: 'init';
  dbPath: string;
  salt: string | null;
  query: ExportQuery;
  setup: SliceSetup;
}
export interface WorkerSlice {
  type: 'slice';
  index: number;
  lo: number;
  hi: number;
}
export interface WorkerRecycle {
  type: 'recycle';
  buffer: ArrayBuffer;
}
export type WorkerReply = { type: 'ready' } | ({ type: 'done' } & SliceDone) | { type: 'failed'; message: string };

const port = parentPort;
if (port) {
  let run: ((lo: number, hi: number, index: number) => SliceDone) | null = null;
  let recycle: ((buffer: ArrayBuffer) => void) | null = null;
  port.on('message', (msg: WorkerInit | WorkerSlice | WorkerRecycle) => {
    try {
      if (msg.type === 'recycle') return recycle?.(msg.buffer);
      if (msg.type === 'init') {
        const db = openDatabase(msg.dbPath, { readonly: true, migrate: false });
        const repo = new ExportRepo(db);
        const salt = msg.salt;
        repo.useHelpers({ isMobile: isMobileE164, hash: salt ? (kind, value) => hashIdentifier(salt, kind, value) : undefined });
        repo.beginSnapshot();
        const rows = repo.prepared(msg.query);
        const encoder = sliceEncoder(msg.setup);
        run = (lo, hi, index) => encoder.encode(rows({ range_lo: lo, range_hi: hi }), index);
        recycle = encoder.recycle;
        port.postMessage({ type: 'ready' } satisfies WorkerReply);
        return;
      }
      if (!run) throw new Error('slice before init');
      const done = run(msg.lo, msg.hi, msg.index);
      port.postMessage({ type: 'done', ...done } satisfies WorkerReply, [done.bytes.buffer as ArrayBuffer]);
    } catch (err) {
      port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
    }
  });
}
