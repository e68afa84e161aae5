/**
 * Lets the event loop run (a progress bar redraws, Ctrl-C is heard) in the
 * middle of a long synchronous operation. setImmediate runs after pending I/O
 * and signal callbacks, so one pause is enough for either.
 */
export function pause(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
