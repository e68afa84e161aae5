import type { Ctx } from '../context.js';
import type { ImportHooks, ImportInput, ImportResult } from './types.js';

export type { ImportCounts, ImportHooks, ImportInput, ImportNote, ImportResult, OnConflict, What } from './types.js';
export type { Progress } from './stream.js';
export { FORMATS, type Format } from './presets.js';

/**
 * `carnet import`: customers, or sales and interactions matched to them.
 * One call, one file, one transaction.
 */
export async function runImport(ctx: Ctx, input: ImportInput, hooks: ImportHooks = {}): Promise<ImportResult> {
  if (input.what === 'customers') {
    const { importCustomers } = await import('./customers.js');
    return importCustomers(ctx, input, hooks);
  }
  const { importActivity } = await import('./activity.js');
  return importActivity(ctx, input, hooks);
}
