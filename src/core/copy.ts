import type { Ctx } from './context.js';
import type { CopyResult } from '../db/copy.js';

export type { CopyResult } from '../db/copy.js';

/**
 * The whole customer file, copied to TARGET (a new file or an empty server
 * database): how a user moves from one machine to a team, and back.
 */
export function copyTo(ctx: Ctx, target: string, onProgress?: (done: number, total: number) => void): CopyResult {
  return ctx.store.copyTo(target, { now: ctx.now, actor: ctx.actor ?? null, onProgress });
}
