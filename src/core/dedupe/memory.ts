/**
 * A full garbage collection on demand. After matching a million customers
 * the match table (several hundred MB) is garbage, but V8, with a heap limit
 * sized for this 24 GB machine, would rather grow than collect it before the
 * results are read back: the peak memory would be table + results. The gc
 * function is not exposed without --expose-gc, which the bin shim does not
 * pass; this enables it for a fresh context, as Node allows at run time.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
