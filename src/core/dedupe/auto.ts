/**
 * `carnet dedupe --auto`: every cluster at or above the threshold merged
 * without asking, in one transaction (all or nothing), each merge recorded
 * and undoable on its own.
 */
import { isoNow, type Ctx } from '../context.js';
import { findDuplicates, type FindOptions, type FindResult } from './find.js';
import { mergeInTx, type MergeResult } from './merge.js';

export interface AutoMergeResult {
  found: FindResult;
  merges: MergeResult[];
}

export function autoMerge(ctx: Ctx, opts: FindOptions = {}): AutoMergeResult {
  const found = findDuplicates(ctx, opts);
  const at = isoNow(ctx);
  const merges = ctx.store.tx(() =>
    found.clusters.map((c) => mergeInTx(ctx, { ids: c.members.map((m) => m.id), score: c.score, decidedBy: 'auto' }, at)),
  );
  return { found, merges };
}
