import { isoNow, type Ctx } from './context.js';
import { OperationsRepo, type OperationTimeRow } from '../db/repositories/operations.js';

/** The long operations whose last duration `carnet doctor` reports. */
export type OperationName = 'import' | 'purge' | 'dedupe --auto' | 'categorise';

function repo(ctx: Ctx): OperationsRepo {
  return ctx.store.extension('operations', (db) => new OperationsRepo(db));
}

/** Remembers how long this run took (wall seconds), replacing the previous run's. */
export function recordOperation(ctx: Ctx, name: OperationName, seconds: number, summary: string | null = null): void {
  ctx.store.tx(() => repo(ctx).record({ name, at: isoNow(ctx), seconds: Math.round(seconds * 1000) / 1000, summary }));
}

export function lastOperations(ctx: Ctx): OperationTimeRow[] {
  return repo(ctx).all();
}
