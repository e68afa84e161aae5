import type { Ctx } from '../context.js';
import { erasureRepo } from './identifiers.js';
import { NeedleSet } from './needles.js';

/**
 * Which dedupe merges hold a person in their undo snapshot — as survivor, as
 * a merged record, or quoting their uid or an identifier — for a whole purge
 * at once. The per-person query reads every snapshot, so a purge of 100,000
 * people on a deduplicated file read them 100,000 times; this reads them once,
 * looking for everyone's uids and identifiers in the same pass.
 */
export class MergeIndex {
  private readonly byKey = new Map<string, number[]>();
  private readonly gone = new Set<number>();

  constructor(ctx: Ctx, people: { uid: string; needles: string[] }[]) {
    const strings = [...new Set(people.flatMap((p) => [p.uid, ...p.needles]))];
    const set = new NeedleSet(strings);
    for (const m of erasureRepo(ctx).merges()) {
      this.file(`#${m.survivor_id}`, m.id);
      for (const v of parseIds(m.merged_ids)) this.file(`#${v}`, m.id);
      if (set.size > 0) for (const i of set.in(m.snapshot)) this.file(`~${strings[i] ?? ''}`, m.id);
    }
  }

  private file(key: string, id: number): void {
    const list = this.byKey.get(key);
    if (!list) this.byKey.set(key, [id]);
    else if (list[list.length - 1] !== id) list.push(id);
  }

  /** The same answer as RgpdRepo.mergesInvolving, for needles among those indexed; merges already deleted are left out. */
  involving(customerId: number, uid: string, needles: string[]): number[] {
    const out = new Set<number>();
    for (const key of [`#${customerId}`, `#${uid}`, `~${uid}`, ...needles.map((n) => `~${n}`)]) {
      for (const id of this.byKey.get(key) ?? []) if (!this.gone.has(id)) out.add(id);
    }
    const ids = [...out].sort((a, b) => a - b);
    for (const id of ids) this.gone.add(id);
    return ids;
  }
}

function parseIds(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String) : [];
  } catch {
    return [];
  }
}
