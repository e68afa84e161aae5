/**
 * Worker thread entry: decodes, parses and normalises chunks of the file
 * beside the main thread, which only stages the results. A batch goes back
 * in its wire form (batch-wire.ts); a CSV error or a failure as JSON.
 */
import { parentPort } from 'node:worker_threads';
import type { RawChunk } from '../../io/read/csv.js';
import { encodeBatch } from './batch-wire.js';
import { makeProcessor, processSafely, type Batch, type ProcessorInit, type Suppressed } from './process.js';

interface InitMessage {
  type: 'init';
  init: ProcessorInit;
}
interface ChunkMessage {
  type: 'chunk';
  index: number;
  firstLine: number;
  bytes: Uint8Array;
  skipHeader: boolean;
}

let run: ((chunk: RawChunk, skipHeader: boolean) => Batch) | null = null;

async function suppressionFor(init: ProcessorInit): Promise<Suppressed | null> {
  if (init.suppressionDb === null) return null;
  const [{ Store }, { suppressionChecker }] = await Promise.all([import('../../db/store.js'), import('../rgpd/suppression.js')]);
  const store = Store.open(init.suppressionDb, { readonly: true, migrate: false });
  const check = suppressionChecker(store);
  return (ids) => check(ids).suppressed;
}

const port = parentPort;
if (port) {
  let ready: Promise<void> = Promise.resolve();
  port.on('message', (msg: InitMessage | ChunkMessage) => {
    if (msg.type === 'init') {
      ready = suppressionFor(msg.init).then((s) => void (run = makeProcessor(msg.init, s)));
      return;
    }
    void ready.then(() => {
      try {
        if (!run) throw new Error('worker used before init');
        const chunk: RawChunk = { index: msg.index, firstLine: msg.firstLine, bytes: Buffer.from(msg.bytes.buffer, msg.bytes.byteOffset, msg.bytes.byteLength) };
        const out = processSafely(run, chunk, msg.skipHeader);
        if ('error' in out) port.postMessage(JSON.stringify(out));
        else {
          const { wire, transfer } = encodeBatch(out);
          port.postMessage(wire, transfer);
        }
      } catch (err) {
        port.postMessage(JSON.stringify({ index: msg.index, fatal: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
      }
    });
  });
}
