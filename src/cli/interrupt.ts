import type { Store } from '../db/store.js';

/**
 * What Ctrl-C does, decided in one place:
 * - before anything is committed, or at a pause inside a transaction held
 *   across batches (Store.txAsync): exit 130, and SQLite discards what was not
 *   committed — the file is as before;
 * - during a synchronous transaction, no listener is installed, so the
 *   signal ends the process at once (the shell reports 130) with the same
 *   result: SQLite never saw a commit;
 * - once the work is committed, it is too late to undo: say so and let the
 *   command finish (its scrub, its report) with its own exit code.
 */
let watched: Store | null = null;
/** Ends the process with exit 130: given by main.ts, the one place that exits. */
let cancel: () => void = () => undefined;

function onInterrupt(): void {
  if (watched?.committed) {
    process.stderr.write('\ninterrupted, but the change is already saved: finishing\n');
    return;
  }
  process.stderr.write('\ncancelled: nothing was changed\n');
  cancel();
}

function listen(): void {
  if (!process.listeners('SIGINT').includes(onInterrupt)) process.on('SIGINT', onInterrupt);
}

export function installInterrupt(exit: () => void): void {
  cancel = exit;
  listen();
}

/** Follows this store's transactions (withCtx calls it for the database it opens). */
export function watchInterrupts(store: Store): void {
  watched = store;
  store.hooks = {
    begin: () => process.removeListener('SIGINT', onInterrupt),
    end: () => listen(),
  };
}
