import { performance } from 'node:perf_hooks';
import type { Ctx } from '../core/context.js';
import type { OperationName } from '../core/operations.js';

/**
 * Runs a long operation and, when it wrote something, records how long it
 * took (`carnet doctor` shows the last one of each). A dry run is not timed.
 */
export async function timed<T>(ctx: Ctx, name: OperationName, fn: () => T | Promise<T>, summary?: (r: T) => string | null, record = true): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  if (record) {
    const { recordOperation } = await import('../core/operations.js');
    recordOperation(ctx, name, (performance.now() - t0) / 1000, summary ? summary(r) : null);
  }
  return r;
}
