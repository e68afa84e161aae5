/** The merges dedupe made, newest first, for `carnet dedupe history`. */
import type { Ctx } from '../context.js';
import { mergesRepo } from './merge.js';

export interface MergeHistoryEntry {
  id: number;
  merged_at: string;
  decided_by: string;
  score: number | null;
  survivor_id: number;
  survivor_uid: string | null;
  merged_ids: number[];
  merged_uids: string[];
  undone_at: string | null;
}

export function mergeHistory(ctx: Ctx, limit = 100): MergeHistoryEntry[] {
  const repo = mergesRepo(ctx);
  return repo.listMerges(limit).map((m) => {
    const uids = repo.snapshotUids(m.id);
    return {
      id: m.id,
      merged_at: m.merged_at,
      decided_by: m.decided_by,
      score: m.score,
      survivor_id: m.survivor_id,
      survivor_uid: uids.survivor,
      merged_ids: JSON.parse(m.merged_ids) as number[],
      merged_uids: uids.merged,
      undone_at: m.undone_at,
    };
  });
}
