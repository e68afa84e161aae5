/**
 * `carnet dedupe --auto`: every cluster at or above the threshold merged
 * without asking, in one transaction (all or nothing), each merge recorded
 * and undoable on its own.
 */
import { isoNow, type Ctx } from '../context.js';
import { pause } from '../pause.js';
import { findDuplicates, type FindOptions, type FindResult } from './find.js';
import { mergeInTx, type MergeResult } from './merge.js';

export interface AutoMergeResult {
  found: FindResult;
  merges: MergeResult[];
}

export async function autoMerge(ctx: Ctx, opts: FindOptions = {}): Promise<AutoMergeResult> {
  const found = findDuplicates(ctx, opts);
  // Pauses let Ctrl-C be heard: after the search, and between merges (the open transaction is then discarded).
  await pause();
  const at = isoNow(ctx);
  const merges = await ctx.store.txAsync(async () => {
    const out: MergeResult[] = [];
    for (const [i, c] of found.clusters.entries()) {
      if (i % 200 === 199) await pause();
      out.push(mergeInTx(ctx, { ids: c.members.map((m) => m.id), score: c.score, decidedBy: 'auto' }, at));
    }
    return out;
  });
  return { found, merges };
}
