/**
 * `carnet dedupe --auto`: every cluster at or above the threshold merged
 * without asking, in one transaction (all or nothing), each merge recorded
 * and undoable on its own.
 *
 * A fixed point: a merged record carries its members' fields (an e-mail from
 * one, a phone from another) and the file's model is re-estimated without the
 * duplicates, so a survivor can now match a record that no member matched.
 * The search runs again on the merged file until it proposes nothing, so
 * that a second `--auto` right after has nothing to do. Each pass merges
 * fewer; the cap only guards against a bug turning this into a loop.
 */
import { isoNow, type Ctx } from '../context.js';
import { pause } from '../pause.js';
import { findDuplicates, type FindOptions, type FindResult } from './find.js';
import { mergeInTx, type MergeResult } from './merge.js';

const MAX_PASSES = 8;

export interface AutoMergeResult {
  found: FindResult;
  merges: MergeResult[];
  /** Searches run, the last one finding nothing more (or the cap reached). */
  passes: number;
}

export async function autoMerge(ctx: Ctx, opts: FindOptions = {}): Promise<AutoMergeResult> {
  const at = isoNow(ctx);
  // Pauses let Ctrl-C be heard between searches and merges: the open transaction is then discarded.
  return ctx.store.txAsync(async () => {
    const merges: MergeResult[] = [];
    let found = findDuplicates(ctx, opts);
    const first = found;
    let passes = 1;
    while (found.clusters.length > 0) {
      for (const [i, c] of found.clusters.entries()) {
        if (i % 200 === 0) await pause();
        merges.push(mergeInTx(ctx, { ids: c.members.map((m) => m.id), score: c.score, decidedBy: 'auto' }, at));
      }
      if (passes >= MAX_PASSES) break;
      await pause();
      found = findDuplicates(ctx, opts);
      passes++;
    }
    return { found: first, merges, passes };
  });
}
