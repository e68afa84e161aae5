/**
 * For the right to erasure: a merge snapshot keeps a copy of the merged
 * records so that the merge can be undone. When a person is erased, those
 * copies must go too. rgpd forget calls this with the person's uid (and the
 * uids merged into them); the merges stay in the history, marked as no
 * longer undoable, without any personal data.
 */
import { isoNow, type Ctx } from '../context.js';
import { mergesRepo } from './merge.js';

export function forgetInMerges(ctx: Ctx, uids: readonly string[]): { redacted: number[] } {
  const repo = mergesRepo(ctx);
  const ids = [...new Set(uids.flatMap((uid) => repo.mergesHolding(uid)))].sort((a, b) => a - b);
  for (const id of ids) repo.redactSnapshot(id);
  if (ids.length > 0) {
    ctx.store.audit.record({ at: isoNow(ctx), action: 'dedupe.snapshot_erased', subject: null, actor: ctx.actor ?? null, details: { merges: ids } });
  }
  return { redacted: ids };
}
